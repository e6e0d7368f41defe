"""The worker's part, run in this process against a real SMTP server: claim,
send, mark; temporary and permanent failures; one connection per batch."""

from unittest import mock

import pytest
from django.utils import timezone

from governance.notifications import sending, services
from governance.notifications.models import Delivery, DeliveryStatus, NotificationKind
from governance.notifications.sending import MailServerUnavailable
from governance.notifications.services import notify, send_batch

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_dispatch():
    """Retries are scheduled through the broker; here we only look at them."""
    with mock.patch.object(services, "dispatch") as dispatch:
        yield dispatch


def announcement_to(contacts):
    return notify(
        NotificationKind.ANNOUNCEMENT,
        contacts[0].organisation,
        contacts,
        payload={"title": "General notice", "text": "Line one.\nLine two."},
    )


def ids_of(notification):
    return list(notification.deliveries.values_list("pk", flat=True))


def test_it_sends_each_delivery_and_marks_it_sent(smtp_backend, make_recipients, no_dispatch):
    contacts = make_recipients(3)
    notification = announcement_to(contacts)

    outcome = send_batch(ids_of(notification))

    assert sorted(smtp_backend.recipients()) == sorted(c.email for c in contacts)
    assert len(outcome.sent) == 3
    for delivery in notification.deliveries.all():
        assert delivery.status == DeliveryStatus.SENT
        assert delivery.attempts == 1 and delivery.sent_at and delivery.last_error == ""


def test_running_the_same_batch_twice_sends_nothing_twice(smtp_backend, make_recipients, no_dispatch):
    notification = announcement_to(make_recipients(4))

    send_batch(ids_of(notification))
    second = send_batch(ids_of(notification))

    assert len(smtp_backend.recipients()) == 4
    assert second.sent == []


def test_a_batch_goes_over_one_smtp_connection(smtp_backend, make_recipients, no_dispatch):
    notification = announcement_to(make_recipients(5))

    send_batch(ids_of(notification))

    assert len(smtp_backend.connections()) == 1


def test_a_delivery_claimed_by_another_worker_is_left_to_it(smtp_backend, make_recipients, no_dispatch):
    notification = announcement_to(make_recipients(2))
    taken, free = notification.deliveries.order_by("pk")
    assert taken.claim_for_sending() is not None

    send_batch(ids_of(notification))

    assert smtp_backend.recipients() == [free.email]
    taken.refresh_from_db()
    assert taken.status == DeliveryStatus.SENDING and taken.attempts == 1


def test_only_one_of_two_claims_wins(make_recipients):
    notification = announcement_to(make_recipients(1))
    delivery = notification.deliveries.get()
    same_row = Delivery.objects.get(pk=delivery.pk)

    assert delivery.claim_for_sending() is not None
    assert same_row.claim_for_sending() is None


def test_a_temporary_failure_is_queued_again_with_a_growing_backoff(
    settings, smtp_backend, make_recipients, no_dispatch
):
    settings.NOTIFICATIONS_RETRY_BACKOFF = 60
    (contact,) = make_recipients(1)
    smtp_backend.answers[contact.email] = ["451 4.3.0 Try again later", "452 4.3.1 Still full"]
    notification = announcement_to([contact])
    delivery = notification.deliveries.get()

    send_batch([delivery.pk])
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.QUEUED and delivery.attempts == 1
    assert delivery.last_error == "451 4.3.0 Try again later"
    first_wait = delivery.next_attempt_at - timezone.now()
    no_dispatch.assert_called_once_with([delivery.pk], countdown=60)

    # Not due yet: a second run leaves it alone.
    send_batch([delivery.pk])
    assert Delivery.objects.get(pk=delivery.pk).attempts == 1

    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    send_batch([delivery.pk])
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.last_error.startswith("452")
    assert delivery.next_attempt_at - timezone.now() > first_wait  # 120 s after 60 s

    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    send_batch([delivery.pk])
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 3
    assert smtp_backend.recipients() == [contact.email]


def test_the_backoff_is_capped_below_the_visibility_timeout(settings):
    from governance.notifications.conf import retry_countdown

    settings.NOTIFICATIONS_RETRY_BACKOFF = 60
    settings.NOTIFICATIONS_RETRY_BACKOFF_MAX = 24 * 3600
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
    assert [retry_countdown(n) for n in (1, 2, 3)] == [60, 120, 240]
    assert retry_countdown(20) == 1800


def test_temporary_failures_end_as_failed_after_the_last_attempt(settings, smtp_backend, make_recipients, no_dispatch):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    (contact,) = make_recipients(1)
    smtp_backend.answers[contact.email] = ["451 4.3.0 Try again later"] * 5
    delivery = announcement_to([contact]).deliveries.get()

    send_batch([delivery.pk])
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)
    send_batch([delivery.pk])

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 2
    assert delivery.last_error == "Gave up after 2 attempts. 451 4.3.0 Try again later"


def test_a_permanent_failure_is_recorded_and_not_retried(smtp_backend, make_recipients, no_dispatch):
    good, bad = make_recipients(2)
    smtp_backend.refuse[bad.email] = "550 5.1.1 No such user here"
    notification = announcement_to([good, bad])

    outcome = send_batch(ids_of(notification))

    failed = notification.deliveries.get(email=bad.email)
    assert failed.status == DeliveryStatus.FAILED and failed.attempts == 1
    assert failed.last_error == "550 5.1.1 No such user here"
    assert notification.deliveries.get(email=good.email).status == DeliveryStatus.SENT
    assert outcome.failed == [failed.pk] and not no_dispatch.called


def test_a_refused_connection_claims_nothing(settings, make_recipients):
    from tests.notifications.conftest import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    notification = announcement_to(make_recipients(2))

    with pytest.raises(MailServerUnavailable):
        send_batch(ids_of(notification))

    assert set(notification.deliveries.values_list("status", "attempts")) == {(DeliveryStatus.QUEUED, 0)}


def test_a_connection_lost_mid_batch_requeues_the_rest(smtp_backend, make_recipients, no_dispatch):
    notification = announcement_to(make_recipients(3))
    first, second, third = notification.deliveries.order_by("pk")
    real_send = sending._send_one
    calls = []

    def drop_on_second(connection, token, delivery, *state):
        calls.append(delivery.pk)
        if len(calls) == 2:
            with mock.patch.object(connection, "send_messages", side_effect=ConnectionResetError("reset")):
                return real_send(connection, token, delivery, *state)
        return real_send(connection, token, delivery, *state)

    with mock.patch.object(sending, "_send_one", drop_on_second):
        send_batch(ids_of(notification))

    statuses = dict(notification.deliveries.values_list("pk", "status"))
    assert statuses == {first.pk: "sent", second.pk: "queued", third.pk: "queued"}
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.attempts == 1 and "Connection lost" in second.last_error
    # Claimed with the batch but never tried: given back, its attempt uncounted.
    assert third.attempts == 0 and third.next_attempt_at > timezone.now() and third.claim is None


def test_a_message_that_cannot_be_built_fails_with_the_reason(smtp_backend, make_recipients, no_dispatch):
    notification = announcement_to(make_recipients(1))
    with mock.patch.object(sending, "build_message", side_effect=KeyError("title")):
        send_batch(ids_of(notification))
    delivery = notification.deliveries.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.last_error == "Could not build the message: KeyError: 'title'"


@pytest.mark.django_db(transaction=True)
def test_no_transaction_is_open_while_the_smtp_server_is_talked_to(smtp_backend, make_recipients, no_dispatch):
    import psycopg2
    from django.db import connection

    params = connection.get_connection_params()
    states = []
    real = smtp_backend.handle_DATA

    async def look(server, session, envelope):
        # From the server's side: is any session on the test database inside
        # a transaction while the message is handed over?
        with psycopg2.connect(**params) as watcher, watcher.cursor() as cursor:
            cursor.execute(
                "SELECT state FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            states.extend(row[0] for row in cursor.fetchall())
        watcher.close()
        return await real(server, session, envelope)

    smtp_backend.handle_DATA = look
    notification = announcement_to(make_recipients(3))

    send_batch(ids_of(notification))

    assert len(smtp_backend.recipients()) == 3
    assert states and "idle in transaction" not in states
    assert set(notification.deliveries.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_a_batch_past_half_its_claims_lifetime_gives_the_rest_back(
    settings, smtp_backend, make_recipients, no_dispatch
):
    """A batch never sends what the sweep may already have taken back."""
    settings.NOTIFICATIONS_CLAIM_TIMEOUT = 0
    notification = announcement_to(make_recipients(3))

    outcome = send_batch(ids_of(notification))

    assert smtp_backend.recipients() == [] and outcome.sent == []
    assert set(notification.deliveries.values_list("status", "attempts", "claim")) == {(DeliveryStatus.QUEUED, 0, None)}
    no_dispatch.assert_called_once_with(sorted(ids_of(notification)), countdown=0)


@pytest.mark.django_db(transaction=True)
def test_the_batch_is_claimed_at_once_and_the_marks_written_every_few_messages(
    settings, smtp_backend, make_recipients, no_dispatch
):
    """What the database says at the moment the server receives each message:
    the whole batch claimed before the first; the "sent" marks of every
    MARK_EVERY messages written before the next one goes, so no more than
    MARK_EVERY accepted messages are ever unrecorded."""
    import psycopg2
    from django.db import connection

    settings.NOTIFICATIONS_MARK_EVERY = 2
    params = connection.get_connection_params()
    seen = []
    real = smtp_backend.handle_DATA

    async def look(server, session, envelope):
        with psycopg2.connect(**params) as watcher, watcher.cursor() as cursor:
            cursor.execute("SELECT status, count(*) FROM notifications_delivery GROUP BY status")
            seen.append(dict(cursor.fetchall()))
        watcher.close()
        return await real(server, session, envelope)

    smtp_backend.handle_DATA = look
    notification = announcement_to(make_recipients(5))

    outcome = send_batch(ids_of(notification))

    assert [counts.get("sending", 0) for counts in seen] == [5, 5, 3, 3, 1]
    assert [counts.get("sent", 0) for counts in seen] == [0, 0, 2, 2, 4]
    assert sorted(outcome.sent) == sorted(ids_of(notification))
    assert set(notification.deliveries.values_list("status", flat=True)) == {DeliveryStatus.SENT}
