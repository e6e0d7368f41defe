from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Governance")

    def ready(self):
        # The meeting and dues notices register their kinds with the outbox, and the
        # members' pages learn of offices and the Executive Committee.
        from members.caching import watch

        from . import (  # noqa: F401
            application_notices,
            dues_notices,
            members,
            notices,
            registration_notices,
            voting_notices,
        )
        from .models import Body, Document, Meeting, Office, Post, Term

        # The public pages show these (offices on profiles and the governance
        # page, meetings and their public documents on the calendar).
        watch(Body, Term, Post, Office, Meeting, Document)
