"""Meeting notices end to end: the secretariat's action, a real worker (and
beat), Redis and an SMTP server, reading what arrived at the server."""

import datetime
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import Meeting, MeetingStatus
from governance.notices import MeetingNotice
from governance.notifications.models import Delivery, DeliveryStatus, Notification
from governance.services import meetings as meeting_services
from tests.notifications.conftest import EXCOM_RECIPIENTS, GA_RECIPIENTS, wait_for
from tests.notifications.test_worker import WORKER_SETTINGS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def short_delays(settings):
    for name, value in WORKER_SETTINGS.items():
        setattr(settings, name, value)


def nothing_left():
    return not Delivery.objects.filter(status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING]).exists()


def test_convening_a_general_assembly_sends_one_message_to_each_recipient_and_none_to_others(
    broker, smtp, start_worker, cast, ga, make_meeting, staff_client
):
    meeting = make_meeting(ga)
    start_worker(broker)

    # The secretariat's "convene" in the admin, confirmed on its page.
    page = staff_client.post(
        reverse("admin:governance_meeting_changelist"),
        {"action": "convene", "_selected_action": [meeting.pk], "confirmed": "yes"},
        follow=True,
    )
    assert "is convened" in page.text

    wait_for(nothing_left, timeout=30, message="the notices to go out")
    assert sorted(smtp.recipients()) == sorted(GA_RECIPIENTS)
    message = smtp.messages_to("focal@paris.example")[0]
    calendar = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert calendar and calendar[0].get_param("method") == "REQUEST"


def test_an_excom_notice_reaches_only_the_excom_members_contacts(
    broker, smtp, start_worker, cast, excom, make_meeting, staff_user
):
    meeting = make_meeting(excom)
    start_worker(broker)

    meeting_services.convene_meeting(meeting.pk, staff_user.pk)
    meeting_services.cancel_meeting(meeting.pk, staff_user.pk, reason="Postponed.")

    wait_for(nothing_left, timeout=30, message="the notices to go out")
    assert sorted(smtp.recipients()) == sorted([*EXCOM_RECIPIENTS, *EXCOM_RECIPIENTS])  # convened, cancelled
    methods = {
        p.get_param("method")
        for m in smtp.messages_to("focal@seoul.example")
        for p in m.walk()
        if p.get_content_type() == "text/calendar"
    }
    assert methods == {"REQUEST", "CANCEL"}


def test_with_redis_stopped_the_convening_is_saved_and_its_notices_go_out_once_redis_is_back(
    own_redis, use_broker, smtp, start_worker, start_beat, cast, ga, make_meeting, staff_user
):
    use_broker(own_redis.url)
    start_worker(own_redis.url)
    meeting = make_meeting(ga)
    own_redis.stop()

    started = datetime.datetime.now()
    meeting_services.convene_meeting(meeting.pk, staff_user.pk)  # commits; the enqueue fails and is logged
    assert (datetime.datetime.now() - started).total_seconds() < 3, "the secretariat is not kept waiting"

    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.CONVENED
    notification = Notification.objects.get(kind=MeetingNotice.CONVENED)
    assert set(notification.deliveries.values_list("status", flat=True)) == {DeliveryStatus.QUEUED}
    assert smtp.recipients() == []

    own_redis.start()
    start_beat(own_redis.url)  # its sweep finds the waiting deliveries

    wait_for(nothing_left, timeout=60, message="the waiting notices to go out")
    assert sorted(smtp.recipients()) == sorted(GA_RECIPIENTS)
    assert set(notification.deliveries.values_list("status", "attempts")) == {(DeliveryStatus.SENT, 1)}


def test_beat_sends_a_due_reminder_once_however_often_it_runs(
    broker, smtp, start_worker, start_beat, cast, ga, make_meeting, staff_user
):
    meeting = make_meeting(ga, days=6)  # the 7-day reminder is due
    meeting_services.convene_meeting(meeting.pk, staff_user.pk)
    # Convened two weeks ago (its notices long sent), so the reminder counts.
    convened = Notification.objects.get(kind=MeetingNotice.CONVENED)
    convened.deliveries.update(status=DeliveryStatus.SENT)
    Notification.objects.filter(pk=convened.pk).update(created_at=timezone.now() - datetime.timedelta(days=14))

    start_worker(broker)
    start_beat(broker)  # reminders every 2 s in the test schedule

    wait_for(lambda: len(smtp.recipients()) >= len(GA_RECIPIENTS), timeout=30, message="the reminder")
    time.sleep(5)  # two more beat runs
    assert sorted(smtp.recipients()) == sorted(GA_RECIPIENTS)
    (reminder,) = Notification.objects.filter(kind=MeetingNotice.REMINDER)
    assert reminder.payload == {"days": 7}
    (message,) = smtp.messages_to("focal@paris.example")
    assert message["Subject"].strip().startswith("[WeGO] Rappel")  # Paris reads French
