"""Against a real Celery worker (``celery -A wego_portal worker`` as a
subprocess), real Redis and a real SMTP server, reading what arrived there.

The worker runs the settings in tests/notifications/worker_settings.py: the
portal's, with the outbox's delays cut to seconds.
"""

import time

import pytest
import redis
from django.db import transaction
from django.urls import reverse

from governance.notifications.models import Delivery, DeliveryStatus, Notification, NotificationKind
from governance.notifications.services import notify
from tests.notifications.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)

WORKER_SETTINGS = {
    "NOTIFICATIONS_BATCH_SIZE": 10,
    "NOTIFICATIONS_RETRY_BACKOFF": 1,
    "NOTIFICATIONS_RETRY_BACKOFF_MAX": 2,
    "NOTIFICATIONS_REDISPATCH_AFTER": 2,
    "NOTIFICATIONS_CLAIM_TIMEOUT": 3,
}


@pytest.fixture(autouse=True)
def short_delays(settings):
    """This process (which records and sweeps) uses the worker's delays."""
    for name, value in WORKER_SETTINGS.items():
        setattr(settings, name, value)


def announce(contacts, title="Notice"):
    with transaction.atomic():
        return notify(
            NotificationKind.ANNOUNCEMENT, contacts[0].organisation, contacts, payload={"title": title, "text": "…"}
        )


def all_done(notification):
    return not notification.deliveries.filter(status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING]).exists()


def assert_each_got_exactly_one(smtp, contacts):
    received = smtp.recipients()
    assert sorted(received) == sorted(c.email for c in contacts), "each recipient exactly once, nobody else"


def test_a_fan_out_reaches_each_recipient_exactly_once(broker, smtp, start_worker, make_recipients):
    contacts = make_recipients(35)
    start_worker(broker)

    notification = announce(contacts)

    wait_for(lambda: all_done(notification), timeout=30, message="the fan-out to finish")
    assert_each_got_exactly_one(smtp, contacts)
    assert set(notification.deliveries.values_list("status", "attempts")) == {(DeliveryStatus.SENT, 1)}
    # Batches of 10 over one connection each: 4 batches, not 35 connections.
    assert len(smtp.connections()) <= 4


def test_a_rolled_back_change_enqueues_nothing_and_records_nothing(broker, smtp, start_worker, make_recipients):
    contacts = make_recipients(3)
    start_worker(broker)

    with pytest.raises(RuntimeError), transaction.atomic():
        notify(NotificationKind.ANNOUNCEMENT, contacts[0].organisation, contacts, payload={"title": "x"})
        raise RuntimeError("the change fails after the notice was recorded")

    assert redis.Redis.from_url(broker).llen("celery") == 0
    time.sleep(1.5)  # time enough for a worker to send anything it had
    assert smtp.recipients() == []
    assert not Notification.objects.exists() and not Delivery.objects.exists()


def test_a_451_is_retried_and_delivered_once(broker, smtp, start_worker, make_recipients):
    contacts = make_recipients(3)
    busy = contacts[1].email
    smtp.answers[busy] = ["451 4.3.0 Mailbox busy, try again later"]
    start_worker(broker)

    notification = announce(contacts)

    wait_for(lambda: all_done(notification), timeout=30, message="the retry to go through")
    assert_each_got_exactly_one(smtp, contacts)
    assert smtp.attempts[busy] == 2
    delivery = notification.deliveries.get(email=busy)
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 2


def test_a_550_fails_is_recorded_and_shown_in_the_admin(broker, smtp, start_worker, make_recipients, staff_client):
    contacts = make_recipients(3)
    unknown = contacts[2].email
    smtp.refuse[unknown] = "550 5.1.1 <%s>: Recipient address rejected" % unknown
    start_worker(broker)

    notification = announce(contacts)

    wait_for(lambda: all_done(notification), timeout=30, message="the fan-out to finish")
    failed = notification.deliveries.get(email=unknown)
    assert failed.status == DeliveryStatus.FAILED and failed.attempts == 1
    assert failed.last_error.startswith("550 5.1.1")
    assert sorted(smtp.recipients()) == sorted(c.email for c in contacts[:2])

    page = staff_client.get(reverse("admin:notifications_delivery_changelist") + "?status__exact=failed")
    assert page.status_code == 200
    assert unknown in page.text and "550 5.1.1" in page.text

    # The address is fixed on the server's side; the secretariat retries.
    del smtp.refuse[unknown]
    staff_client.post(
        reverse("admin:notifications_delivery_changelist"),
        {"action": "retry_failed", "_selected_action": [failed.pk]},
    )
    wait_for(lambda: all_done(notification), timeout=30, message="the retried delivery")
    assert_each_got_exactly_one(smtp, contacts)


def test_a_worker_killed_mid_fan_out_and_restarted_sends_each_exactly_once(
    broker, smtp, start_worker, start_beat, make_recipients
):
    contacts = make_recipients(40)
    # After 12 messages the server stops answering: the worker is in the
    # middle of a send (claimed, not acknowledged) when it is killed.
    smtp.hold_after = 12
    worker = start_worker(broker)

    notification = announce(contacts)
    wait_for(lambda: smtp.held >= 1, timeout=30, message="a message in flight")
    worker.kill()
    assert len(smtp.recipients()) == 12
    in_flight = list(notification.deliveries.filter(status=DeliveryStatus.SENDING).values_list("pk", flat=True))
    assert in_flight, "the worker died holding claimed deliveries"

    smtp.hold_after = None
    smtp.release()
    start_worker(broker)
    start_beat(broker)  # its sweep takes back the lost claims and queued rest

    wait_for(lambda: all_done(notification), timeout=60, message="every delivery to be sent after the restart")
    assert_each_got_exactly_one(smtp, contacts)
    assert not notification.deliveries.exclude(status=DeliveryStatus.SENT).exists()
    # What was in flight went again, once; it had never been acknowledged.
    assert set(Delivery.objects.filter(pk__in=in_flight).values_list("attempts", flat=True)) == {2}
