"""The portal knows its own name and address: in allauth's e-mails, in the
admin's "View on site" links and in the Message-IDs of Django's mails."""

import re
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.contrib.sites.models import Site
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # the reset form is rate-limited per address and e-mail
    yield
    cache.clear()
    Site.objects.clear_cache()  # a Site changed by a test is rolled back, not uncached


def reset_mail(client, user):
    # Django's outbox rather than pytest-django's mailoutbox fixture, which
    # puts its own name into the Message-IDs.
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    return mail.outbox[0]


def test_the_site_is_the_portal_not_example_com():
    site = Site.objects.get_current()
    assert (site.domain, site.name) == (urlparse(settings.SITE_URL).netloc, "WeGO Portal")
    assert not Site.objects.filter(domain__contains="example.com").exists()


def test_the_password_reset_mail_names_the_portal_and_links_to_its_address(client, make_user):
    message = reset_mail(client, make_user("anne@paris.fr"))
    assert "your login to the WeGO Portal" in message.body
    assert "example.com" not in message.body
    # The request came in as "testserver"; the link leads to SITE_URL.
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", message.body).group(0)
    assert link.startswith(settings.SITE_URL + "/accounts/password/reset/key/")
    assert "testserver" not in message.body


def test_django_and_allauth_mails_carry_message_ids_of_the_portal(client, make_user):
    message = reset_mail(client, make_user("anne@paris.fr"))
    message_id = message.message()["Message-ID"]
    assert message_id.endswith(f"@{urlparse(settings.SITE_URL).hostname}>")
    assert "localhost" not in message_id


def test_a_changed_address_and_name_reach_the_site_at_the_next_migrate(client, make_user, settings):
    settings.SITE_URL = "https://portal.we-gov.org"
    settings.SITE_NAME = "WeGO Members"
    call_command("migrate", verbosity=0)
    site = Site.objects.get_current()
    assert (site.domain, site.name) == ("portal.we-gov.org", "WeGO Members")
    assert Site.objects.count() == 1

    message = reset_mail(client, make_user("anne@paris.fr"))
    assert "your login to the WeGO Members" in message.body
    assert "https://portal.we-gov.org/accounts/password/reset/key/" in message.body


def test_view_on_site_in_the_admin_leads_to_the_portals_own_address(staff_client, make_member):
    organisation = make_member("Seoul", country="KR")
    page = staff_client.get(reverse("admin:members_organisation_change", args=[organisation.pk])).content.decode()
    view_on_site = re.search(r'href="(/admin/r/[^"]+)"', page).group(1)
    response = staff_client.get(view_on_site)
    assert response.status_code == 302
    assert response["Location"] == settings.SITE_URL + organisation.get_absolute_url()
