"""What people trying the portal met in the secretariat's pages and
allauth's: numbering, readable histories, labels in the portal's voice."""

import datetime
import re

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse

from governance.models import AgendaItem, Document, DocumentState, DocumentVisibility
from members.models import Organisation
from tests.admin_forms import add_inline_row, change_page_data
from tests.meetings.conftest import make_meeting, tiny_pdf

pytestmark = pytest.mark.django_db


def test_agenda_items_added_together_are_numbered_in_the_order_given(staff_client, ga, term):
    meeting = make_meeting(ga, term, title="GA")
    url = reverse("admin:governance_meeting_change", args=[meeting.pk])
    data = change_page_data(staff_client.get(url))
    for title in ["Opening", "Report of the Secretary General", "Elections"]:
        data = add_inline_row(data, "agenda_items", title=title, position="0", description="")
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(meeting.agenda_items.values_list("position", "title")) == [
        (1, "Opening"),
        (2, "Report of the Secretary General"),
        (3, "Elections"),
    ]
    later = AgendaItem.objects.create(meeting=meeting, title="Closing")
    assert later.position == 4
    chosen = AgendaItem.objects.create(meeting=meeting, title="Placed", position=2)
    assert chosen.position == 2


def test_the_membership_history_says_what_changed_in_words(staff_client, make_member, associate_category, today):
    organisation = make_member("Seoul", country="KR")
    membership = organisation.membership
    membership.category = associate_category
    membership.end_date = datetime.date(2030, 12, 31)
    membership.save()
    html = staff_client.get(reverse("admin:members_organisation_change", args=[organisation.pk])).content.decode()
    assert "… → …" not in html
    assert "category: Full Member → Associate Member" in html
    assert "end date: open-ended → 2030-12-31" in html
    assert "start date: since before the portal&#x27;s records" in html

    history = staff_client.get(reverse("admin:members_membership_history", args=[membership.pk])).content.decode()
    rows = re.findall(r"<tr>(.*?)</tr>", history.split("<tbody>")[1], re.S)
    assert len(rows) == 2
    for row in rows:
        cells = [re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        assert cells[4] == "—"  # the change reason, none given
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", history).replace("&nbsp;", " ").replace("&rarr;", "→"))
    assert "End date: open-ended → 2030-12-31" in text
    assert "End date: None" not in text


def test_a_document_titled_as_its_kind_is_not_named_twice(client, ga, term):
    meeting = make_meeting(ga, term, title="GA")
    document = Document(
        meeting=meeting,
        kind="invitation",
        title="Invitation",
        state=DocumentState.FINAL,
        visibility=DocumentVisibility.PUBLIC,
    )
    document.file.save("invitation.pdf", ContentFile(tiny_pdf()), save=True)
    html = client.get(reverse("meetings:list")).content.decode()
    assert "(PDF)" in html
    assert "(Invitation, PDF)" not in html


def test_the_login_says_keep_me_logged_in(client):
    html = client.get(reverse("account_login")).content.decode()
    assert "Keep me logged in on this device" in html
    assert "Remember Me" not in html


def test_the_password_check_before_a_sensitive_change_reads_as_the_portal(client, make_user):
    client.force_login(make_user("someone@example.org"))
    html = client.get(reverse("account_reauthenticate")).content.decode()
    assert "Confirm it is you" in html
    assert "Confirm Access" not in html


def test_the_password_reset_email_is_in_the_portals_words(client, make_user, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_user("someone@example.org")
    client.post(reverse("account_reset_password"), {"email": "someone@example.org"})
    assert [message.subject for message in mail.outbox] == ["[WeGO] Set a new password for the WeGO Portal"]
    assert "Hello from" not in mail.outbox[0].body


@pytest.mark.parametrize(("code", "name"), [("BS", "Bahamas"), ("NR", "Nauru"), ("VG", "British Virgin Islands")])
def test_countries_are_named_as_people_write_them(code, name):
    assert Organisation(country=code).country.name == name
