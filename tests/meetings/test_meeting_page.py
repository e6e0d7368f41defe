"""A meeting's page as Decidim users expect it: a safe Markdown
description, how it is held, the venue and its map, the online link for
registered delegates only and only near the start, places and a waiting
list, what happened after it, and links to add it to a calendar."""

import datetime
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from governance import access
from governance.models import (
    Attendance,
    AttendanceMode,
    Document,
    DocumentState,
    DocumentVisibility,
    MeetingStatus,
    Registration,
    RegistrationStatus,
)
from governance.services import meetings as meeting_services
from tests.meetings.conftest import tiny_pdf

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.org/wego-ga"


def _page(client, user, meeting):
    client.force_login(user)
    return client.get(meeting.get_absolute_url()).content.decode()


def test_the_description_is_markdown_with_nothing_unsafe_left(client, paris_user, ga_meeting):
    ga_meeting.description = (
        "The **ninth** assembly.\n\n- Elections\n- [Programme](https://we-gov.org/ga)\n\n"
        "<script>alert(1)</script> [bad](javascript:alert(1)) <img src=x onerror=alert(1)>"
    )
    ga_meeting.save()
    html = _page(client, paris_user, ga_meeting)
    assert "<strong>ninth</strong>" in html and "<li>Elections</li>" in html
    assert '<a href="https://we-gov.org/ga" rel="noopener noreferrer nofollow">Programme</a>' in html
    assert "<script>alert" not in html and "javascript:" not in html and "onerror" not in html


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"attendance_mode": AttendanceMode.ONLINE}, "needs its online meeting link"),
        ({"attendance_mode": AttendanceMode.IN_PERSON, "online_url": LINK}, "has no online link"),
        ({"latitude": 43.25}, "both the latitude and the longitude"),
    ],
)
def test_a_meeting_states_how_it_is_held_consistently(ga_meeting, fields, error):
    for name, value in fields.items():
        setattr(ga_meeting, name, value)
    with pytest.raises(ValidationError, match=error):
        ga_meeting.full_clean()


def test_the_venue_its_address_and_its_map_are_shown(client, paris_user, ga_meeting):
    ga_meeting.address = "4 Republic Square, Almaty"
    ga_meeting.latitude, ga_meeting.longitude = 43.238, 76.945
    ga_meeting.save()
    html = _page(client, paris_user, ga_meeting)
    assert "4 Republic Square, Almaty" in html
    assert 'id="meeting-map"' in html and 'data-lat="43.238000"' in html
    assert "js/meeting-map.js" in html and "<script>" not in html


@pytest.fixture
def hybrid(ga_meeting):
    ga_meeting.attendance_mode = AttendanceMode.HYBRID
    ga_meeting.online_url = LINK
    ga_meeting.online_link_opens_minutes = 30
    ga_meeting.save()
    return ga_meeting


def test_the_online_link_is_for_registered_delegates_from_the_time_set(
    client, hybrid, paris, paris_user, seoul_user, outsider, staff_user
):
    registration = meeting_services.register_delegate(hybrid.pk, paris.pk, paris_user.pk, "Anne", "anne@paris.fr")
    opens = hybrid.start - datetime.timedelta(minutes=30)
    before, during = opens - datetime.timedelta(minutes=1), opens + datetime.timedelta(minutes=1)
    assert not access.may_join_online(paris_user, hybrid, before)
    assert access.may_join_online(paris_user, hybrid, during)
    assert not access.may_join_online(seoul_user, hybrid, during)  # no delegate registered
    assert not access.may_join_online(outsider, hybrid, during)
    assert access.may_join_online(staff_user, hybrid, before)
    registration.status = RegistrationStatus.WAITING
    registration.save()
    assert not access.may_join_online(paris_user, hybrid, during)
    assert not access.may_join_online(paris_user, hybrid, hybrid.end + datetime.timedelta(minutes=1))

    # On the page, a month before the start: not yet.
    registration.status = RegistrationStatus.CONFIRMED
    registration.save()
    html = _page(client, paris_user, hybrid)
    assert LINK not in html and "from 30 minutes before the start" in html
    hybrid.start = timezone.now() + datetime.timedelta(minutes=10)
    hybrid.end = hybrid.start + datetime.timedelta(hours=2)
    hybrid.save()
    assert LINK in _page(client, paris_user, hybrid)
    assert LINK not in _page(client, seoul_user, hybrid)


def test_a_full_meeting_puts_delegates_on_a_waiting_list_that_moves_up(
    client, ga_meeting, paris, paris_user, seoul, seoul_user
):
    ga_meeting.capacity = 1
    ga_meeting.save()
    first = meeting_services.register_delegate(ga_meeting.pk, paris.pk, paris_user.pk, "Anne", "anne@paris.fr")
    second = meeting_services.register_delegate(ga_meeting.pk, seoul.pk, seoul_user.pk, "Min", "min@seoul.go.kr")
    assert (first.status, second.status) == (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING)
    html = _page(client, seoul_user, ga_meeting)
    assert "1 delegate registered of 1 places. 1 on the waiting list." in html
    assert "Waiting list" in html

    moved = meeting_services.remove_registration(first.pk, paris_user.pk)
    assert moved == [second]
    second.refresh_from_db()
    assert second.status == RegistrationStatus.CONFIRMED


def test_the_view_says_when_a_delegate_is_put_on_the_waiting_list(client, ga_meeting, paris, paris_user, seoul):
    ga_meeting.capacity = 1
    ga_meeting.save()
    Registration.objects.create(meeting=ga_meeting, organisation=seoul, name="Min", email="min@seoul.go.kr")
    client.force_login(paris_user)
    response = client.post(
        f"/meetings/{ga_meeting.slug}/delegates/{paris.pk}/", {"name": "Anne", "email": "anne@paris.fr"}, follow=True
    )
    assert "The meeting is full: Anne is on the waiting list" in response.content.decode()


def test_a_member_registers_no_more_delegates_than_the_meeting_allows(ga_meeting, paris, paris_user):
    ga_meeting.capacity_per_member = 1
    ga_meeting.save()
    meeting_services.register_delegate(ga_meeting.pk, paris.pk, paris_user.pk, "Anne", "anne@paris.fr")
    with pytest.raises(meeting_services.MeetingError, match="the most a member may"):
        meeting_services.register_delegate(ga_meeting.pk, paris.pk, paris_user.pk, "Bea", "bea@paris.fr")


def test_after_the_meeting_its_page_shows_the_minutes_and_who_attended(
    client, ga_meeting, paris, seoul, paris_user, partner_user
):
    for visibility in (DocumentVisibility.MEMBERS, DocumentVisibility.BODY):
        document = Document(
            meeting=ga_meeting,
            kind="minutes",
            title=f"Minutes for {visibility}",
            visibility=visibility,
            state=DocumentState.FINAL,
        )
        document.file.save("minutes.pdf", ContentFile(tiny_pdf()), save=True)
    Attendance.objects.create(meeting=ga_meeting, organisation=paris)
    Attendance.objects.create(meeting=ga_meeting, organisation=seoul)
    type(ga_meeting).objects.filter(pk=ga_meeting.pk).update(
        status=MeetingStatus.HELD,
        start=timezone.now() - datetime.timedelta(days=2),
        end=timezone.now() - datetime.timedelta(days=2, hours=-6),
    )
    html = _page(client, paris_user, ga_meeting)
    after = html[html.index('id="after-title"') : html.index('id="agenda-title"')]
    assert "Minutes for members" in after and "Minutes for body" in after
    assert "2 members were present." in after and "Paris" in after and "Seoul" in after
    # The documents' visibility rules hold: a member without a vote sees
    # the minutes for members, not those for the body's members.
    html = _page(client, partner_user, ga_meeting)
    after = html[html.index('id="after-title"') : html.index('id="agenda-title"')]
    assert "Minutes for members" in after and "Minutes for body" not in after


def test_google_and_outlook_links_carry_the_meeting_in_utc(client, paris_user, ga_meeting):
    html = _page(client, paris_user, ga_meeting)
    start = ga_meeting.start.astimezone(datetime.UTC)
    google = next(part for part in html.split('"') if part.startswith("https://calendar.google.com/"))
    query = parse_qs(urlparse(google.replace("&amp;", "&")).query)
    assert query["dates"][0].startswith(f"{start:%Y%m%dT%H%M%SZ}/")
    assert query["text"] == [str(ga_meeting)] and query["ctz"] == ["Asia/Seoul"]
    outlook = next(part for part in html.split('"') if part.startswith("https://outlook.office.com/"))
    query = parse_qs(urlparse(outlook.replace("&amp;", "&")).query)
    assert query["startdt"] == [start.strftime("%Y-%m-%dT%H:%M:%SZ")]
