"""Governance's public and member-facing forms, one module per subject
(``meetings``: a delegate registered for a meeting; ``applications``: the
public membership application). The admin's forms live with the admin."""

from .applications import ApplicationForm, ReasonForm
from .meetings import DelegateForm

__all__ = ["ApplicationForm", "DelegateForm", "ReasonForm"]
