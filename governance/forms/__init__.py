"""Governance's public and member-facing forms, one module per subject
(``meetings``: a delegate registered for a meeting). The admin's forms live
with the admin."""

from .meetings import DelegateForm

__all__ = ["DelegateForm"]
