"""The worker's side: send a batch of deliveries over one SMTP connection.

The batch's due deliveries are claimed at once (one conditional UPDATE,
committed before anything is sent); then for each: build the message, send
it, and note it sent. The "sent" marks are written together, one UPDATE
every ``NOTIFICATIONS_MARK_EVERY`` messages (10) and when the batch ends. No
transaction is held while talking to the SMTP server, and a delivery claimed
by someone else, already sent or failed is not claimed: running the same
batch twice sends nothing twice.

Why in groups: a commit per message (the claim, then the mark) cost the
worker as much as building the message, and the fan-out ran at a third of
a plain smtplib loop (bench/notifications.py; README, "Scale").

Temporary failures (4xx replies, a refused or dropped connection) put the
delivery back in the queue with a growing back-off; permanent ones (5xx)
mark it failed with the server's answer. What was claimed and not tried
(the connection broke, or the batch ran past half the claim's lifetime) is
given back at once, its attempt uncounted.

What the outbox promises, and what it cannot:
- Nobody is lost: a delivery stays queued or sending until a server has
  accepted it or refused it for good; the sweep takes back the claims of a
  worker that died and hands them over again.
- Nothing the server did not accept is sent twice by the outbox's own
  doing: the claim is committed before a message goes out, and only its
  holder (or the sweep, once the claim is stale) can send it. A batch stops
  sending at half the claim's lifetime, so the sweep never takes back a
  claim whose holder may still use it.
- A repeat is possible in one place only, which no SMTP client can close:
  the server answered 250 and the process died before the mark was
  committed. Each write of the marks is committed before the next message
  goes, so a SIGKILL repeats at most ``NOTIFICATIONS_MARK_EVERY`` messages
  (10) per worker process: those the server accepted since the last write.
  The copies carry the same Message-ID (``emails.compose``), so mail
  programs can tell them for what they are. A worker stopped normally
  (SIGTERM) finishes its batch and repeats nothing; ``MARK_EVERY = 1``
  brings the bound back to one message, at a commit per message.
  tests/notifications/test_worker.py kills workers at the worst points.
"""

import logging
import smtplib
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.mail import get_connection
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
    # A little slack: a retry's ETA and its next_attempt_at are the same moment.
    due_by = now + timedelta(seconds=1)
    if not Delivery.objects.filter(pk__in=delivery_ids).due(due_by).exists():
        return outcome
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except (OSError, smtplib.SMTPException) as error:
        raise MailServerUnavailable(str(error) or type(error).__name__) from error

    try:
        token, deliveries = _claim(delivery_ids, now, due_by)
        # Within half the claim's lifetime, so that the sweep never takes back
        # a delivery this batch may still send.
        deadline = time.monotonic() + conf.get("NOTIFICATIONS_CLAIM_TIMEOUT") / 2
        subjects = {}
        marks = Marks(conf.get("NOTIFICATIONS_MARK_EVERY"), outcome)
        try:
            for index, delivery in enumerate(deliveries):
                if time.monotonic() > deadline:
                    _give_back(token, deliveries[index:], 0, outcome)
                    break
                if _send_one(connection, token, delivery, subjects, outcome, marks):
                    # The rest wait for the connection's return.
                    _give_back(token, deliveries[index + 1 :], conf.retry_countdown(1), outcome)
                    break
        finally:
            marks.write()
    finally:
        try:
            connection.close()
        except Exception:  # closing a broken connection: nothing to save
            logger.debug("Closing the SMTP connection failed", exc_info=True)

    return outcome


def _claim(delivery_ids, now, due_by):
    """Claim the batch's due deliveries at once (one UPDATE, committed before
    anything is sent); returns the token and the deliveries it took, in pk
    order. What another worker holds, or what was sent meanwhile, is not
    among them."""
    token = uuid.uuid4()
    Delivery.objects.filter(pk__in=delivery_ids).claim(token, now, due_by)
    deliveries = list(
        Delivery.objects.filter(pk__in=delivery_ids, claim=token, status=DeliveryStatus.SENDING)
        .select_related("notification", "contact__organisation")
        .order_by("pk")
    )
    return token, deliveries


def _give_back(token, deliveries, countdown, outcome):
    """Queue again claimed deliveries that were not tried."""
    ids = [delivery.pk for delivery in deliveries]
    if ids:
        Delivery.objects.filter(pk__in=ids).unclaim(token, timezone.now() + timedelta(seconds=countdown))
        outcome.retry[countdown].extend(ids)


class Marks:
    """The "sent" marks of a batch, written together: every ``every``
    messages the server accepted (one UPDATE, committed before the next
    message goes) and when the batch ends, whatever ends it."""

    def __init__(self, every, outcome):
        self.every = max(1, every)
        self.outcome = outcome
        self.pending = []

    def add(self, delivery):
        self.pending.append(delivery.pk)
        if len(self.pending) >= self.every:
            self.write()

    def write(self):
        if self.pending:
            Delivery.objects.filter(pk__in=self.pending).mark_sent()
            self.outcome.sent.extend(self.pending)
            self.pending = []


def _send_one(connection, token, delivery, subjects, outcome, marks):
    """Send and record one claimed delivery; return True if the connection broke."""
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
    marks.add(delivery)
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
