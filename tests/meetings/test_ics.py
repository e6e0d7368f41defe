"""A meeting's .ics (RFC 5545), read back with icalendar."""

import datetime
import zoneinfo

import pytest
from icalendar import Calendar

from governance.services import meetings as meeting_services

pytestmark = pytest.mark.django_db


def read(client, meeting):
    response = client.get(meeting.get_ics_url())
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def test_the_ics_holds_the_time_in_the_meetings_time_zone_and_a_link_back(client, ga_meeting):
    calendar, event = read(client, ga_meeting)
    assert calendar["VERSION"] == "2.0"
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Asia/Seoul"
    start = event.decoded("DTSTART")
    assert start == ga_meeting.start
    assert event["DTSTART"].params["TZID"] == "Asia/Seoul"
    assert start.utcoffset() == datetime.timedelta(hours=9)
    assert event.decoded("DTEND") == ga_meeting.end
    assert str(event["LOCATION"]) == ga_meeting.venue
    assert str(event["URL"]) == "http://testserver" + ga_meeting.get_absolute_url()
    assert str(event["STATUS"]) == "TENTATIVE"
    assert event.decoded("SEQUENCE") == 0


def test_the_uid_stays_and_the_sequence_rises_on_each_change_of_time_place_or_status(client, ga_meeting):
    _calendar, before = read(client, ga_meeting)
    meeting_services.change_meeting(ga_meeting.pk, None, venue="Another hall")
    meeting_services.change_meeting(ga_meeting.pk, None, title="Renamed")  # not a change of time or place
    meeting_services.change_meeting(
        ga_meeting.pk,
        None,
        start=ga_meeting.start + datetime.timedelta(hours=1),
        end=ga_meeting.end + datetime.timedelta(hours=1),
    )
    meeting_services.convene_meeting(ga_meeting.pk, None)
    ga_meeting.refresh_from_db()
    _calendar, after = read(client, ga_meeting)
    assert after["UID"] == before["UID"]
    assert after.decoded("SEQUENCE") == 3
    assert str(after["STATUS"]) == "CONFIRMED"


def test_a_cancelled_meeting_says_so_with_a_higher_sequence(client, ga_meeting):
    meeting_services.cancel_meeting(ga_meeting.pk, None, reason="Postponed")
    ga_meeting.refresh_from_db()
    _calendar, event = read(client, ga_meeting)
    assert str(event["STATUS"]) == "CANCELLED"
    assert event.decoded("SEQUENCE") == 1


def test_a_time_zone_with_daylight_saving_is_described(client, ga_meeting):
    ga_meeting.time_zone = "Europe/Paris"
    ga_meeting.start = datetime.datetime(2026, 7, 1, 9, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))
    ga_meeting.end = ga_meeting.start + datetime.timedelta(hours=8)
    ga_meeting.save()
    calendar, event = read(client, ga_meeting)
    timezone_component = calendar.walk("VTIMEZONE")[0]
    assert timezone_component["TZID"] == "Europe/Paris"
    assert timezone_component.walk("DAYLIGHT")
    assert event.decoded("DTSTART").hour == 9
