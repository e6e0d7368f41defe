"""Meetings as iCalendar (RFC 5545), built with the icalendar package.

Only what is public about a meeting goes in: its date, time zone, place,
body and status, and a link back to its page. The UID never changes; the
SEQUENCE is the meeting's, raised on every change of time, place or status.
The ORGANIZER is the secretariat, which sends the notices: iTIP (RFC 5546)
requires one in every published or e-mailed calendar.
"""

from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from .models import MeetingStatus

PRODID = "-//WeGO//WeGO Portal//EN"
ICAL_STATUS = {
    MeetingStatus.PLANNED: "TENTATIVE",
    MeetingStatus.CONVENED: "CONFIRMED",
    MeetingStatus.HELD: "CONFIRMED",
    MeetingStatus.CANCELLED: "CANCELLED",
}


def _event(meeting, url, stamp):
    event = Event()
    event.add("uid", f"{meeting.uid}@wego-portal")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", stamp)
    event.add("created", meeting.created_at)
    event.add("last-modified", meeting.updated_at)
    event.add("dtstart", meeting.local_start)
    event.add("dtend", meeting.local_end)
    event.add("summary", f"{meeting} ({meeting.body.abbreviation})" if meeting.title else str(meeting))
    event.add("location", meeting.venue)
    event.add("status", ICAL_STATUS[meeting.status])
    event.add("url", url)
    event.add("organizer", organizer())
    return event


def organizer():
    """The secretariat, as the ORGANIZER of every meeting."""
    address = vCalAddress(f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    address.params["cn"] = vText("WeGO Secretariat")
    return address


def calendar_of(meetings, absolute_url, name):
    """The bytes of a calendar holding ``meetings``; ``absolute_url(path)``
    turns a meeting's path into a full address."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for meeting in meetings:
        calendar.add_component(_event(meeting, absolute_url(meeting.get_absolute_url()), stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()
