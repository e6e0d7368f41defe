"""Against a real Celery worker (``celery -A wego_portal worker`` as a
subprocess), real Redis and a real SMTP server, reading what arrived there.

The worker runs the settings in tests/notifications/worker_settings.py: the
portal's, with the outbox's delays cut to seconds.
"""

import time
from collections import defaultdict

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
    "NOTIFICATIONS_MARK_EVERY": 3,
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


def test_a_worker_killed_while_the_server_holds_its_messages_repeats_only_what_it_had_not_recorded(
    broker, smtp, start_worker, start_beat, make_recipients
):
    """Killed at a point the test controls: both pool processes wait for
    the server's answer to a message. What the server never acknowledged
    (the held messages, the rest of the claimed batches) goes once after the
    restart; what it accepted goes again only if its mark was not written
    yet, fewer than MARK_EVERY per process."""
    every = WORKER_SETTINGS["NOTIFICATIONS_MARK_EVERY"]
    processes = 2
    contacts = make_recipients(40)
    # After 12 messages the server stops answering: each process is in the
    # middle of a send (claimed, not acknowledged) when the worker is killed.
    smtp.hold_after = 12
    worker = start_worker(broker, concurrency=processes)

    notification = announce(contacts)
    wait_for(lambda: smtp.held == processes, timeout=30, message="both pool processes to wait on the server")
    worker.kill()
    accepted = set(smtp.recipients())
    assert len(accepted) == 12
    claimed = set(notification.deliveries.filter(status=DeliveryStatus.SENDING).values_list("email", flat=True))
    unrecorded = claimed & accepted
    never_acknowledged = claimed - accepted
    # Marks are written on every third acceptance: at most two wait in each process.
    assert len(unrecorded) <= (every - 1) * processes
    assert len(never_acknowledged) >= processes, "each process died holding a message the server never acknowledged"
    in_flight = list(notification.deliveries.filter(email__in=never_acknowledged).values_list("pk", flat=True))

    smtp.hold_after = None
    smtp.release()
    start_worker(broker)
    start_beat(broker)  # its sweep takes back the lost claims and queued rest

    wait_for(lambda: all_done(notification), timeout=60, message="every delivery to be sent after the restart")
    received = smtp.recipients()
    assert set(received) == {c.email for c in contacts}, "nobody is lost"
    repeated = {address for address in received if received.count(address) > 1}
    assert repeated == unrecorded, "only what the server accepted and the worker had not recorded goes twice"
    assert all(received.count(address) <= 2 for address in received)
    assert not notification.deliveries.exclude(status=DeliveryStatus.SENT).exists()
    # What was in flight went once, at the second claim; the server had never accepted it.
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

    def hold(delivery_ids=(), emails=()):
        with lock.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM notifications_delivery WHERE id = ANY(%s) OR email = ANY(%s) FOR UPDATE",
                [list(delivery_ids), list(emails)],
            )

    def waiting():
        """How many other sessions wait for a lock this test holds."""
        with lock.cursor() as cursor:
            # pg_locks and pg_blocking_pids(), read live (pg_stat_activity is
            # a snapshot taken once per transaction, and this connection holds
            # one open); only the sessions this connection blocks, not those
            # of other databases on the server.
            cursor.execute(
                "SELECT count(DISTINCT pid) FROM pg_locks "
                "WHERE NOT granted AND pg_backend_pid() = ANY(pg_blocking_pids(pid))"
            )
            return cursor.fetchone()[0]

    def end_waiting():
        """End the sessions waiting on these locks, their statements undone:
        as if the process that sent them had died a moment before sending."""
        with lock.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_locks "
                "WHERE NOT granted AND pg_backend_pid() = ANY(pg_blocking_pids(pid))"
            )

    hold.waiting = waiting
    hold.end_waiting = end_waiting
    hold.release = lock.rollback
    yield hold
    lock.rollback()
    lock.close()


def test_a_worker_killed_between_the_servers_250_and_its_record_repeats_those_messages_only(
    broker, smtp, start_worker, start_beat, make_recipients, row_locks
):
    """The one repeat SMTP cannot rule out, and its bound, at its worst.

    The "sent" marks are written together every MARK_EVERY messages (3 here).
    When the server accepts the third message of a connection, the test
    locks that delivery's row before answering 250, so the write of those
    three marks waits on the lock: each pool process is killed with
    MARK_EVERY messages accepted and not recorded, the most it can hold (the
    test then ends the waiting writes' database sessions: a process killed
    a moment earlier would not have sent them).
    After the restart exactly those go again, with the Message-ID of the
    first copy (so the recipient's mail program can drop them): MARK_EVERY
    per killed process at most. Nobody is lost, and nothing the server had
    not accepted is repeated. Marks written less often than promised would
    let more through before the lock and fail the counts below.
    """
    every = WORKER_SETTINGS["NOTIFICATIONS_MARK_EVERY"]
    processes = 2
    contacts = make_recipients(40)
    notification = announce(contacts)
    # No worker runs yet. Hand the batches over from here rather than from the
    # worker's dispatch task, so that the processes start sending together.
    redis.Redis.from_url(broker).flushdb()
    ids = list(notification.deliveries.order_by("pk").values_list("pk", flat=True))
    assert dispatch(ids) == len(ids)
    accepted_on = defaultdict(int)

    def lock_the_last_of_each_group(address, session):
        accepted_on[session.peer] += 1
        if accepted_on[session.peer] == every:
            row_locks(emails=[address])

    smtp.on_accept = lock_the_last_of_each_group
    worker = start_worker(broker, concurrency=processes)

    wait_for(lambda: row_locks.waiting() == processes, timeout=30, message="both processes to wait on a lock")
    accepted = set(smtp.recipients())
    assert len(accepted) == every * processes
    worker.kill()
    row_locks.end_waiting()
    unrecorded = set(notification.deliveries.filter(status=DeliveryStatus.SENDING).values_list("email", flat=True))
    unrecorded &= accepted
    assert unrecorded == accepted, "no mark of a group is written before its last message is accepted"
    smtp.on_accept = None
    row_locks.release()

    start_worker(broker)
    start_beat(broker)
    wait_for(lambda: all_done(notification), timeout=60, message="every delivery to be sent after the restart")

    received = smtp.recipients()
    assert set(received) == {c.email for c in contacts}, "nobody is lost"
    repeated = {address for address in received if received.count(address) > 1}
    assert repeated == unrecorded, "only what the server accepted and the worker had not recorded goes twice"
    assert len(repeated) <= every * processes, "at most MARK_EVERY repeats per killed worker process"
    for address in repeated:
        copies = smtp.messages_to(address)
        assert len(copies) == 2
        assert copies[0]["Message-ID"] == copies[1]["Message-ID"]
    assert not notification.deliveries.exclude(status=DeliveryStatus.SENT).exists()
