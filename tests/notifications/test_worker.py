"""Against a real Celery worker (``celery -A wego_portal worker`` as a
subprocess), real Redis and a real SMTP server, reading what arrived there.

The worker runs the settings in tests/notifications/worker_settings.py: the
portal's, with the outbox's delays cut to seconds.
"""

import time

import psycopg2
import pytest
import redis
from django.db import connection, transaction
from django.urls import reverse

from governance.notifications.models import Delivery, DeliveryStatus, Notification, NotificationKind
from governance.notifications.services import dispatch, notify
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
    smtp.refuse[unknown] = f"550 5.1.1 <{unknown}>: Recipient address rejected"
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


def test_a_worker_killed_while_the_server_holds_its_messages_sends_each_exactly_once(
    broker, smtp, start_worker, start_beat, make_recipients
):
    """Killed at a point the test controls: both pool processes wait for
    the server's answer to a message, so every message the server accepted
    before has been recorded (the mark commits with the next claim)."""
    contacts = make_recipients(40)
    # After 12 messages the server stops answering: each process is in the
    # middle of a send (claimed, not acknowledged) when the worker is killed.
    smtp.hold_after = 12
    worker = start_worker(broker, concurrency=2)

    notification = announce(contacts)
    wait_for(lambda: smtp.held == 2, timeout=30, message="both pool processes to wait on the server")
    worker.kill()
    assert len(smtp.recipients()) == 12
    in_flight = list(notification.deliveries.filter(status=DeliveryStatus.SENDING).values_list("pk", flat=True))
    assert len(in_flight) == 2, "each process died holding the delivery the server never acknowledged"

    smtp.hold_after = None
    smtp.release()
    start_worker(broker)
    start_beat(broker)  # its sweep takes back the lost claims and queued rest

    wait_for(lambda: all_done(notification), timeout=60, message="every delivery to be sent after the restart")
    assert_each_got_exactly_one(smtp, contacts)
    assert not notification.deliveries.exclude(status=DeliveryStatus.SENT).exists()
    # What was in flight went again, once; the server had never accepted it.
    assert set(Delivery.objects.filter(pk__in=in_flight).values_list("attempts", flat=True)) == {2}


@pytest.fixture
def row_locks():
    """Lock outbox rows from a connection of the test's own, so that a worker
    stops at the moment it writes to one of them; released at will."""
    db = connection.settings_dict
    lock = psycopg2.connect(
        dbname=db["NAME"],
        user=db["USER"],
        password=db["PASSWORD"] or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
    )

    def hold(delivery_ids):
        with lock.cursor() as cursor:
            cursor.execute("SELECT id FROM notifications_delivery WHERE id = ANY(%s) FOR UPDATE", [list(delivery_ids)])

    def waiting():
        """How many other sessions wait for a lock this test holds."""
        with lock.cursor() as cursor:
            # pg_locks, not pg_stat_activity: the latter is a snapshot taken
            # once per transaction, and this connection holds one open.
            cursor.execute("SELECT count(DISTINCT pid) FROM pg_locks WHERE NOT granted")
            return cursor.fetchone()[0]

    hold.waiting = waiting
    hold.release = lock.rollback
    yield hold
    lock.rollback()
    lock.close()


def test_a_worker_killed_between_the_servers_250_and_its_record_repeats_that_message_only(
    broker, smtp, start_worker, start_beat, make_recipients, row_locks
):
    """The one repeat SMTP cannot rule out, and its bound.

    A message's "sent" mark is committed with the claim of the next one. The
    claim of the sixth delivery of every batch is made to wait on a row lock,
    so each pool process is killed after the server accepted its fifth
    message and before that was recorded. After the restart exactly those
    messages go again, with the Message-ID of the first copy (so the
    recipient's mail program can drop it): at most one per killed process.
    Nobody is lost, and nothing the server had not accepted is repeated.
    """
    contacts = make_recipients(40)
    notification = announce(contacts)
    # No worker runs yet. Hand the batches over from here rather than from the
    # worker's dispatch task, which would itself wait on the locks below.
    redis.Redis.from_url(broker).flushdb()
    ids = list(notification.deliveries.order_by("pk").values_list("pk", flat=True))
    assert dispatch(ids) == len(ids)
    row_locks(ids[5::10])  # the sixth of each batch of 10 (batches are cut in pk order)
    processes = 2
    worker = start_worker(broker, concurrency=processes)

    wait_for(lambda: row_locks.waiting() == processes, timeout=30, message="both processes to wait on a lock")
    accepted = set(smtp.recipients())
    assert len(accepted) == 5 * processes
    worker.kill()
    unrecorded = set(notification.deliveries.filter(status=DeliveryStatus.SENDING).values_list("email", flat=True))
    assert unrecorded <= accepted and len(unrecorded) == processes
    row_locks.release()

    start_worker(broker)
    start_beat(broker)
    wait_for(lambda: all_done(notification), timeout=60, message="every delivery to be sent after the restart")

    received = smtp.recipients()
    assert set(received) == {c.email for c in contacts}, "nobody is lost"
    repeated = {address for address in received if received.count(address) > 1}
    assert repeated == unrecorded, "only what the server accepted and the worker had not recorded goes twice"
    assert len(repeated) <= processes, "at most one repeat per killed worker process"
    for address in repeated:
        copies = smtp.messages_to(address)
        assert len(copies) == 2
        assert copies[0]["Message-ID"] == copies[1]["Message-ID"]
    assert not notification.deliveries.exclude(status=DeliveryStatus.SENT).exists()
