"""Governance's public and member-facing forms, one module per subject
(``meetings``: a delegate registered for a meeting; ``voting``: a proxy
given, the secretariat's decisions in session). The admin's forms live
with the admin."""

from .meetings import DelegateForm
from .voting import ProxyDecisionForm, ProxyForm, RollChangeForm

__all__ = ["DelegateForm", "ProxyDecisionForm", "ProxyForm", "RollChangeForm"]
