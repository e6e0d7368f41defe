"""Reminders before a meeting, on each body's schedule (default 30, 7 and 1
days before). Beat runs send_due_reminders() every few minutes; here it is
run at chosen moments, including after a gap while beat was down."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone, translation

from governance.notices import MeetingNotice, send_due_reminders
from governance.notifications import services
from governance.notifications.models import Notification
from governance.services import meetings as meeting_services
from tests.notifications.conftest import EXCOM_RECIPIENTS, GA_RECIPIENTS

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def no_broker():
    with mock.patch.object(services, "enqueue") as enqueue:
        yield enqueue


@pytest.fixture
def convened(cast, ga, make_meeting, staff_user):
    """A General Assembly 40 days ahead, convened now."""
    meeting = make_meeting(ga, days=40)
    meeting_services.convene_meeting(meeting.pk, staff_user.pk)
    meeting.refresh_from_db()
    return meeting


def reminders():
    return list(Notification.objects.filter(kind=MeetingNotice.REMINDER).order_by("pk"))


def run_at(moment):
    return [n.payload["days"] for n in send_due_reminders(now=moment)]


def test_no_reminder_before_the_first_is_due(convened):
    assert run_at(convened.start - 30 * DAY - datetime.timedelta(minutes=1)) == []


def test_each_reminder_is_sent_once_on_its_day(convened):
    start = convened.start
    assert run_at(start - 30 * DAY) == [30]
    assert run_at(start - 30 * DAY + datetime.timedelta(minutes=5)) == []  # the next beat run
    assert run_at(start - 20 * DAY) == []
    assert run_at(start - 7 * DAY) == [7]
    assert run_at(start - 7 * DAY + datetime.timedelta(hours=3)) == []
    assert run_at(start - DAY) == [1]
    assert run_at(start - datetime.timedelta(minutes=5)) == []

    sent = reminders()
    assert [n.payload["days"] for n in sent] == [30, 7, 1]
    assert all(set(n.deliveries.values_list("email", flat=True)) == GA_RECIPIENTS for n in sent)


def test_a_reminder_missed_while_beat_was_down_is_sent_when_it_returns(convened):
    start = convened.start
    assert run_at(start - 31 * DAY) == []
    # Beat is down from 31 to 5 days before: the 30- and 7-day runs are missed.
    assert run_at(start - 5 * DAY) == [7]  # one reminder, the latest missed, not two
    assert run_at(start - 5 * DAY + datetime.timedelta(minutes=5)) == []
    assert run_at(start - DAY) == [1]
    assert [n.payload["days"] for n in reminders()] == [7, 1]


def test_a_missed_reminder_is_dropped_once_the_meeting_has_started(convened):
    assert run_at(convened.start + datetime.timedelta(minutes=1)) == []
    assert reminders() == []


def test_moments_before_the_convening_are_covered_by_the_convening_notice(cast, ga, make_meeting, staff_user):
    meeting = make_meeting(ga, days=10)  # convened 10 days ahead: the 30-day moment is past
    meeting_services.convene_meeting(meeting.pk, staff_user.pk)

    assert run_at(timezone.now()) == []
    assert run_at(meeting.start - 7 * DAY) == [7]


def test_cancelled_and_planned_meetings_get_no_reminders(cast, ga, make_meeting, staff_user, convened):
    make_meeting(ga, days=40)  # planned, never convened
    meeting_services.cancel_meeting(convened.pk, staff_user.pk)
    assert run_at(convened.start - 7 * DAY) == []


def test_a_meeting_moved_later_is_reminded_again_on_its_new_date(convened, staff_user):
    old_start = convened.start
    assert run_at(old_start - 30 * DAY) == [30]

    meeting_services.change_meeting(convened.pk, staff_user.pk, start=old_start + 14 * DAY, end=convened.end + 14 * DAY)
    # In this story the change is made the day after the 30-day reminder.
    Notification.objects.filter(kind=MeetingNotice.CHANGED).update(created_at=old_start - 29 * DAY)
    new_start = old_start + 14 * DAY

    assert run_at(old_start - 29 * DAY + datetime.timedelta(minutes=5)) == []
    assert run_at(new_start - 30 * DAY) == [30]
    assert run_at(new_start - 7 * DAY) == [7]
    assert [n.payload["days"] for n in reminders()] == [30, 30, 7]


def test_each_body_has_its_own_schedule(cast, excom, make_meeting, staff_user):
    excom.reminder_days = "14, 2"
    excom.save()
    meeting = make_meeting(excom, days=40)
    meeting_services.convene_meeting(meeting.pk, staff_user.pk)

    assert run_at(meeting.start - 30 * DAY) == []
    assert run_at(meeting.start - 14 * DAY) == [14]
    assert run_at(meeting.start - 7 * DAY) == []
    assert run_at(meeting.start - 2 * DAY) == [2]
    (first, _) = reminders()
    assert set(first.deliveries.values_list("email", flat=True)) == EXCOM_RECIPIENTS


def test_the_reminder_says_when_the_meeting_starts(convened):
    from governance.notifications.emails import build_message

    run_at(convened.start - 30 * DAY)
    (notification,) = reminders()
    delivery = notification.deliveries.select_related("notification", "contact").get(email="delegate@seoul.example")
    message = build_message(delivery, convened)  # in French: the delegate's language
    with translation.override("fr"):
        name = str(convened)  # an untitled meeting is named after its body, in French too
    assert message.subject.startswith(f"[WeGO] Rappel : {name} commence dans")
    assert convened.venue in message.body
