from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Governance")

    def ready(self):
        # The meeting notices register their kinds with the outbox, and the
        # members' pages learn of offices and the Executive Committee.
        from . import members, notices, registration_notices  # noqa: F401
