"""Every calendar the portal serves or e-mails, checked by libical (the
library behind many calendar programs): RFC 5545 parsing, then RFC 5546's
iTIP restrictions for its METHOD (an ORGANIZER always; the recipient as an
ATTENDEE in an invitation or a cancellation).

The checker is a small C program (ical_check.c) built here with gcc against
Debian's libical-dev, which .ci/run installs."""

import re
import shutil
import subprocess
from email import message_from_bytes, policy
from pathlib import Path
from unittest import mock

import pytest

from governance.models import CalendarFeed
from governance.notices import MeetingNotice
from governance.notifications import services
from governance.notifications.emails import build_message
from governance.notifications.models import Notification
from governance.services import meetings as meeting_services

pytestmark = pytest.mark.django_db

SOURCE = Path(__file__).with_name("ical_check.c")


@pytest.fixture(scope="session")
def ical_check(tmp_path_factory):
    """The libical checker, compiled once per run."""
    assert shutil.which("gcc") and shutil.which("pkg-config"), "gcc and pkg-config are needed (.ci/run)"
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "libical"], capture_output=True, text=True)
    assert flags.returncode == 0, "libical-dev is not installed (.ci/run installs it): " + flags.stderr
    binary = tmp_path_factory.mktemp("libical") / "ical_check"
    subprocess.run(["gcc", "-O1", "-o", str(binary), str(SOURCE), *flags.stdout.split()], check=True)

    def check(calendars, directory):
        """Run the checker on {name: text}; returns (exit code, output)."""
        paths = []
        for name, text in calendars.items():
            path = directory / f"{name}.ics"
            path.write_text(text, newline="")
            paths.append(str(path))
        result = subprocess.run([str(binary), *paths], capture_output=True, text=True, timeout=60)
        return result.returncode, result.stdout + result.stderr

    return check


@pytest.fixture(autouse=True)
def no_broker():
    with mock.patch.object(services, "enqueue"):
        yield


def emailed_calendar(kind, address):
    notification = Notification.objects.filter(kind=kind).latest("pk")
    delivery = notification.deliveries.select_related("notification", "contact__organisation").get(email=address)
    message = message_from_bytes(
        build_message(delivery, notification.subject).message().as_bytes(), policy=policy.default
    )
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    return part.get_content()


@pytest.fixture
def calendars(cast, ga, excom, make_meeting, staff_user, client):
    """Every kind of calendar: the public .ics, a private feed, and the
    invitation, update and cancellation e-mailed to a member."""
    meeting = make_meeting(ga, title="Assemblée générale — 서울")
    meeting_services.convene_meeting(meeting.pk, staff_user.pk)
    served = client.get(meeting.get_ics_url()).content.decode()
    convened = emailed_calendar(MeetingNotice.CONVENED, "focal@seoul.example")
    meeting_services.change_meeting(meeting.pk, staff_user.pk, venue="City Hall, Seoul")
    changed = emailed_calendar(MeetingNotice.CHANGED, "delegate@seoul.example")
    other = make_meeting(excom, days=60)
    meeting_services.convene_meeting(other.pk, staff_user.pk)
    meeting_services.cancel_meeting(other.pk, staff_user.pk, reason="Moved online")
    cancelled = emailed_calendar(MeetingNotice.CANCELLED, "focal@seoul.example")
    user = cast["seoul_focal"].user or staff_user
    token = CalendarFeed.reset_for(user)
    feed = client.get(f"/calendar/{token}.ics")
    assert feed.status_code == 200
    return {
        "served": served,
        "feed": feed.content.decode(),
        "convened": convened,
        "changed": changed,
        "cancelled": cancelled,
    }


def test_every_calendar_served_or_sent_passes_libical_and_itip(calendars, ical_check, tmp_path):
    code, output = ical_check(calendars, tmp_path)
    assert code == 0, output
    assert "METHOD:PUBLISH" in calendars["served"] and "METHOD:PUBLISH" in calendars["feed"]
    assert "METHOD:REQUEST" in calendars["convened"] and "METHOD:CANCEL" in calendars["cancelled"]


def test_each_invitation_names_its_own_recipient_as_attendee(calendars):
    unfolded = {name: re.sub(r"\r\n[ \t]", "", text) for name, text in calendars.items()}
    assert re.search(r"^ATTENDEE;[^\r\n]*:mailto:focal@seoul\.example\r$", unfolded["convened"], re.M)
    assert re.search(r"^ATTENDEE;[^\r\n]*:mailto:delegate@seoul\.example\r$", unfolded["changed"], re.M)
    assert unfolded["convened"].count("ATTENDEE") == 1
    assert "ATTENDEE" not in unfolded["served"] and "ATTENDEE" not in unfolded["feed"]  # PUBLISH names none
    for text in unfolded.values():
        assert re.search(r"^ORGANIZER;CN=\"?WeGO Secretariat\"?:mailto:secretariat@we-gov\.org\r$", text, re.M)


def test_libical_refuses_a_calendar_without_organizer_or_attendee(calendars, ical_check, tmp_path):
    """The check above can fail: take either property out and libical objects."""

    def without(text, name):
        return re.sub(rf"^{name}[;:].*\r\n(?:[ \t].*\r\n)*", "", text, flags=re.M)

    broken = {
        "served-no-organizer": without(calendars["served"], "ORGANIZER"),
        "convened-no-organizer": without(calendars["convened"], "ORGANIZER"),
        "convened-no-attendee": without(calendars["convened"], "ATTENDEE"),
    }
    for name, text in broken.items():
        assert text != calendars[name.split("-")[0]]
        code, output = ical_check({name: text}, tmp_path)
        assert code == 1, name
        property_name = name.rsplit("-", 1)[1].upper()
        assert f"Failed iTIP restrictions for {property_name} property" in output
