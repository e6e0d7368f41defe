from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        # Public pages are cached until something they show is saved.
        from .caching import watch
        from .models import Membership, MembershipCategory, Organisation

        watch(Organisation, Membership, MembershipCategory)
