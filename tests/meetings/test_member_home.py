"""The member's home: their organisation, its meetings, the private feed, the profile."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from icalendar import Calendar
from PIL import Image

from governance.models import CalendarFeed, Registration
from governance.services import meetings as meeting_services

pytestmark = pytest.mark.django_db


def test_a_member_sees_their_organisation_its_meetings_and_registrations(
    client, paris_user, paris, ga_meeting, excom_meeting
):
    meeting_services.register_delegate(ga_meeting.pk, paris.pk, paris_user.pk, "Anne Delegate", "anne@paris.fr")
    client.force_login(paris_user)
    content = client.get(reverse("member_home:index")).content.decode()
    assert "Paris" in content and str(ga_meeting) in content and "Anne Delegate" in content
    assert str(excom_meeting) not in content


def test_a_login_without_an_organisation_is_told_so(client, outsider, ga_meeting):
    client.force_login(outsider)
    content = client.get(reverse("member_home:index")).content.decode()
    assert "not linked to a current member organisation" in content
    assert str(ga_meeting) not in content


def _feed_url(response):
    content = response.content.decode()
    start = content.index("/calendar/")
    return content[start : content.index('"', start)]


def test_the_private_feed_lists_the_users_meetings_until_it_is_reset_or_turned_off(
    client, seoul_user, ga_meeting, excom_meeting
):
    client.force_login(seoul_user)
    first = _feed_url(client.post(reverse("member_home:calendar_feed"), {"action": "reset"}))
    assert CalendarFeed.objects.get().token_hash not in first  # only the hash is kept
    client.logout()
    response = client.get(first)
    assert response.status_code == 200
    summaries = {str(event["SUMMARY"]) for event in Calendar.from_ical(response.content).walk("VEVENT")}
    assert summaries == {f"{ga_meeting} (GA)", f"{excom_meeting} (EXCOM)"}

    client.force_login(seoul_user)
    second = _feed_url(client.post(reverse("member_home:calendar_feed"), {"action": "reset"}))
    assert second != first
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    client.post(reverse("member_home:calendar_feed"), {"action": "revoke"})
    assert client.get(second).status_code == 404


def test_a_feed_follows_the_users_access_today(client, paris_user, paris, ga_meeting):
    client.force_login(paris_user)
    url = _feed_url(client.post(reverse("member_home:calendar_feed"), {"action": "reset"}))
    paris.membership.standing = "suspended"
    paris.membership.standing_reason = "Unpaid dues."
    paris.membership.save()
    assert not Calendar.from_ical(client.get(url).content).walk("VEVENT")


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "PNG")
    return buffer.getvalue()


def test_a_representative_updates_the_public_profile_and_the_history_names_them(client, paris_user, paris):
    client.force_login(paris_user)
    url = reverse("member_home:edit_profile", args=[paris.slug])
    response = client.post(
        url,
        {
            "name": "Lutetia",
            "description": "Ville de Paris.",
            "website": "paris.fr",
            "logo": SimpleUploadedFile("logo.png", _png(), "image/png"),
        },
    )
    assert response.status_code == 302
    paris.refresh_from_db()
    assert (paris.name, paris.description, paris.website) == ("Paris", "Ville de Paris.", "https://paris.fr")
    assert paris.logo
    assert paris.history.latest().history_user == paris_user


@pytest.mark.parametrize(
    "logo",
    [
        SimpleUploadedFile("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "image/svg+xml"),
        SimpleUploadedFile("logo.png", b"not an image at all", "image/png"),
    ],
)
def test_a_logo_that_is_not_a_png_jpeg_or_webp_is_refused(client, paris_user, paris, logo):
    client.force_login(paris_user)
    response = client.post(reverse("member_home:edit_profile", args=[paris.slug]), {"description": "x", "logo": logo})
    assert response.status_code == 400
    paris.refresh_from_db()
    assert not paris.logo and paris.description == ""


def test_no_one_edits_another_organisations_profile(client, paris_user, seoul):
    client.force_login(paris_user)
    url = reverse("member_home:edit_profile", args=[seoul.slug])
    assert client.get(url).status_code == 404
    assert client.post(url, {"description": "Hacked"}).status_code == 404


def test_the_profile_shows_the_current_logo_and_a_labelled_way_to_remove_it(client, paris_user, paris):
    client.force_login(paris_user)
    url = reverse("member_home:edit_profile", args=[paris.slug])
    client.post(url, {"description": "x", "logo": SimpleUploadedFile("logo.png", _png(), "image/png")})
    html = client.get(url).content.decode()
    assert "Currently" not in html and 'href="/media/' not in html
    source = re.search(r'<img src="([^"]+)" alt="The current logo"', html).group(1)
    assert source.startswith(reverse("members:logo", args=[paris.slug]))
    shown = client.get(source)
    assert shown.status_code == 200 and b"".join(shown.streaming_content).startswith(b"\x89PNG")
    checkbox = '<input type="checkbox" name="logo-clear" id="logo-clear_id">'
    assert f'{checkbox} <label for="logo-clear_id">Remove the logo</label>' in html

    client.post(url, {"description": "x", "logo-clear": "on"})
    paris.refresh_from_db()
    assert not paris.logo
    assert "The current logo" not in client.get(url).content.decode()


def test_my_page_says_which_delegates_are_on_a_waiting_list(client, paris_user, paris, seoul, ga_meeting):
    ga_meeting.capacity = 1
    ga_meeting.save()
    Registration.objects.create(meeting=ga_meeting, organisation=seoul, name="Min", email="min@seoul.go.kr")
    meeting_services.register_delegate(ga_meeting.pk, paris.pk, paris_user.pk, "Anne", "anne@paris.fr")
    client.force_login(paris_user)
    html = client.get(reverse("member_home:index")).content.decode()
    assert "Anne" in html and '<span class="badge badge-waiting">Waiting list</span>' in html
