"""The sites framework's Site, kept in step with SITE_URL and SITE_NAME.

allauth names the site and builds addresses from it in its e-mails, and the
admin's "View on site" links go to its domain; left alone it would be the
sites framework's "example.com".
"""

from urllib.parse import urlparse

from django.conf import settings
from django.contrib.sites.models import Site


def site_domain():
    """SITE_URL's host and port: what the sites framework calls a domain."""
    return urlparse(settings.SITE_URL).netloc


def sync_site(using="default", apps=None, **kwargs):
    """Write SITE_URL and SITE_NAME into Site(SITE_ID); a post_migrate
    receiver, so a changed setting is taken up at the next deployment."""
    if apps is not None:
        try:
            apps.get_model("sites", "Site")
        except LookupError:
            return  # a partial migrate that has not reached the sites framework yet
    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": site_domain(), "name": settings.SITE_NAME}
    )
