"""The worker's side: send a batch of deliveries over one SMTP connection.

For each delivery: claim it (conditional UPDATE, committed before sending),
build the message, send it, mark it sent (written with the next claim, in
one commit). No transaction is held while talking to the SMTP server, and a
delivery claimed by someone else, already sent or failed is skipped: running
the same batch twice sends nothing twice.

Temporary failures (4xx replies, a refused or dropped connection) put the
delivery back in the queue with a growing back-off; permanent ones (5xx)
mark it failed with the server's answer.

What the outbox promises, and what it cannot:
- Nobody is lost: a delivery stays queued or sending until a server has
  accepted it or refused it for good; the sweep takes back the claims of a
  worker that died and hands them over again.
- Nothing the server did not accept is sent twice by the outbox's own
  doing: the claim is committed before a message goes out, and only its
  holder (or the sweep, once the claim is stale) can send it.
- A repeat is possible in one place only, which no SMTP client can close:
  the server answered 250 and the process died before its mark was
  committed. The mark is committed with the next claim (or when the batch
  ends), so a SIGKILL repeats at most one message per worker process: the
  last one the server accepted. The copy carries the same Message-ID
  (``emails.compose``), so mail programs can tell it for what it is.
  tests/notifications/test_worker.py kills workers at both points.
"""

import logging
import smtplib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from . import conf
from .emails import build_message
from .models import Delivery, DeliveryStatus

logger = logging.getLogger(__name__)


class MailServerUnavailable(Exception):
    """The SMTP server could not be reached: nothing was claimed, try later."""


@dataclass
class BatchResult:
    sent: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    # countdown (seconds) -> ids to try again after it
    retry: dict = field(default_factory=lambda: defaultdict(list))


def classify(error):
    """(temporary, description, connection_broken) for an exception raised
    while sending one message."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        # One recipient per message: its code decides.
        code, text = next(iter(error.recipients.values()))
        return code < 500, _describe(code, text), False
    if isinstance(error, smtplib.SMTPResponseException):
        # 421: the server is closing the connection.
        return error.smtp_code < 500, _describe(error.smtp_code, error.smtp_error), error.smtp_code == 421
    if isinstance(error, (smtplib.SMTPServerDisconnected, OSError)):
        return True, f"Connection lost: {error}", True
    return True, f"{type(error).__name__}: {error}", True


def _describe(code, text):
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip()


def send_messages(delivery_ids):
    """Send these deliveries; returns a ``BatchResult`` (the retries it asks
    for are scheduled by the caller, services.send_batch).

    Raises MailServerUnavailable when no connection could be opened (nothing
    has been claimed then).
    """
    outcome = BatchResult()
    now = timezone.now()
    deliveries = list(
        Delivery.objects.filter(pk__in=delivery_ids)
        # A little slack: a retry's ETA and its next_attempt_at are the same moment.
        .due(now + timedelta(seconds=1))
        .select_related("notification", "contact__organisation")
        .order_by("pk")
    )
    if not deliveries:
        return outcome
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except (OSError, smtplib.SMTPException) as error:
        raise MailServerUnavailable(str(error) or type(error).__name__) from error

    subjects = {}
    unmarked = []  # sent; its mark is written with the next claim
    try:
        for index, delivery in enumerate(deliveries):
            broken = _send_one(connection, delivery, subjects, outcome, unmarked)
            if broken:
                # The rest were not claimed; they wait for the connection's return.
                rest = [d.pk for d in deliveries[index + 1 :]]
                if rest:
                    countdown = conf.retry_countdown(1)
                    at = timezone.now() + timedelta(seconds=countdown)
                    Delivery.objects.filter(pk__in=rest, status=DeliveryStatus.QUEUED).update(
                        next_attempt_at=at, dispatched_at=at
                    )
                    outcome.retry[countdown].extend(rest)
                break
    finally:
        _mark_sent(unmarked, outcome)
        try:
            connection.close()
        except Exception:  # closing a broken connection: nothing to save
            logger.debug("Closing the SMTP connection failed", exc_info=True)

    return outcome


def _claim(delivery, unmarked, outcome):
    """Claim ``delivery``, and in the same short transaction mark the message
    sent just before it: one commit per message rather than two. (Nothing is
    held open while talking to the SMTP server.)"""
    with transaction.atomic():
        _mark_sent(unmarked, outcome)
        return delivery.claim_for_sending()


def _mark_sent(unmarked, outcome):
    while unmarked:
        delivery = unmarked.pop()
        delivery.mark_sent()
        outcome.sent.append(delivery.pk)


def _send_one(connection, delivery, subjects, outcome, unmarked):
    """Claim, send and record one delivery; return True if the connection broke."""
    token = _claim(delivery, unmarked, outcome)
    if token is None:
        return False  # sent, failed, or being sent by another worker
    try:
        message = build_message(delivery, _subject_of(delivery.notification, subjects))
    except Exception as error:
        # A bug or a missing template: retrying would not help.
        logger.exception("Could not build the message of delivery %s", delivery.pk)
        delivery.fail(token, f"Could not build the message: {type(error).__name__}: {error}")
        outcome.failed.append(delivery.pk)
        return False
    try:
        connection.send_messages([message])
    except Exception as error:
        temporary, description, broken = classify(error)
        if broken:
            # The connection must be opened afresh for anything after this.
            try:
                connection.close()
            except Exception:
                pass
        if temporary and delivery.attempts < conf.get("NOTIFICATIONS_MAX_ATTEMPTS"):
            countdown = conf.retry_countdown(delivery.attempts)
            delivery.release(token, description, timezone.now() + timedelta(seconds=countdown))
            outcome.retry[countdown].append(delivery.pk)
            logger.warning("Delivery %s: %s; trying again in %ss", delivery.pk, description, countdown)
        else:
            if temporary:
                description = f"Gave up after {delivery.attempts} attempts. {description}"
            delivery.fail(token, description)
            outcome.failed.append(delivery.pk)
            logger.warning("Delivery %s failed: %s", delivery.pk, description)
        return broken
    unmarked.append(delivery)
    return False


def _subject_of(notification, cache):
    """What the notice is about, loaded once per notification in a batch."""
    if notification.pk not in cache:
        subject = None
        if notification.content_type_id is not None:
            model = ContentType.objects.get_for_id(notification.content_type_id).model_class()
            subject = model._default_manager.filter(pk=notification.object_id).first() if model else None
        cache[notification.pk] = subject
    return cache[notification.pk]
