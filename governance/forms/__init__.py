"""Governance's public and member-facing forms, one module per subject
(``meetings``: a delegate registered for a meeting; ``applications``: the
public membership application; ``voting``: a proxy given, the
secretariat's decisions in session). The admin's forms live with the admin."""

from .applications import ApplicationForm, ReasonForm
from .meetings import DelegateForm
from .voting import ProxyDecisionForm, ProxyForm, RollChangeForm

__all__ = ["ApplicationForm", "DelegateForm", "ProxyDecisionForm", "ProxyForm", "ReasonForm", "RollChangeForm"]
