"""The portal's own name and address, wherever Django and allauth look for them."""

from urllib.parse import urlparse

from django.apps import AppConfig, apps
from django.conf import settings
from django.core.mail import utils as mail_utils
from django.db.models.signals import post_migrate


class PortalConfig(AppConfig):
    name = "wego_portal"
    verbose_name = "WeGO Portal"

    def ready(self):
        # Django's signal pattern: the receivers' module needs the models,
        # which can only be imported once the registry is ready.
        from .sites import sync_site

        # Sent for apps with models only: after the sites framework's own
        # receiver, which would make "example.com".
        post_migrate.connect(sync_site, sender=apps.get_app_config("sites"), dispatch_uid="wego_portal.sync_site")
        # Django names every Message-ID it makes after the machine
        # (socket.getfqdn(), "localhost" in a container) and has no setting
        # for it; the portal's own notices already use SITE_URL's host. Seed
        # its cached name so that allauth's and Django's mails do too.
        mail_utils.DNS_NAME._fqdn = urlparse(settings.SITE_URL).hostname
