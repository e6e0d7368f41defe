"""The outbox's services: recording notices, handing them to Celery, and
the Celery tasks that run them (``tasks.py`` lists them for Celery).

``notify()`` is called from inside the transaction of the change that causes
the notice: the notification and its deliveries commit or roll back with it,
and the dispatch happens only after commit. Dispatching never raises into the
caller: if the broker is down the deliveries stay queued and the sweep hands
them over when it is back.

The tasks live here, beside what they run, so that recording a notice can
hand its task to the broker and a task can hand over the next without an
import going round in a circle. They take ids, never model instances, and
are safe to run twice: the conditional claim on each delivery decides who
sends. ``acks_late``: a task is acknowledged only once it has run, so a
worker lost mid-task leaves it to be delivered again (and the sweep covers a
task lost with Redis).
"""

import functools
import logging
from dataclasses import dataclass
from datetime import timedelta

from celery import current_app, shared_task
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, Min, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from . import conf, kinds
from .models import Delivery, DeliveryStatus, Notification
from .sending import MailServerUnavailable, send_messages

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recipient:
    """A recipient who is not a member's contact: an applicant for
    membership, the secretariat. Its delivery names no contact."""

    email: str
    name: str = ""
    language: str = ""
    notice_role: str = ""


def notify(kind, subject, recipients, *, payload=None, attachment="", attachment_name="", key="", by=None):
    """Record a notice to ``recipients`` and dispatch it once the caller commits.

    ``recipients``: contacts (``members.Contact``) or ``Recipient``s; one may
    carry a ``notice_role`` attribute, the role that made it a recipient. One delivery
    per e-mail address, whatever the number of contacts sharing it.

    With a ``key``, a second notice with the same key is not recorded and
    None is returned (reminders use this to be sent once).
    """
    kinds.get(kind)  # an unregistered kind is a bug: refuse it before recording
    notification = Notification(
        kind=kind,
        content_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        object_id=subject.pk if subject is not None else None,
        subject_label=str(subject)[:300] if subject is not None else "",
        payload=payload or {},
        attachment=attachment,
        attachment_name=attachment_name,
        key=key,
        created_by=by if by is not None and by.is_authenticated else None,
    )
    deliveries, seen = [], set()
    for contact in recipients:
        email = (contact.email or "").strip().lower()
        if not email or email in seen:
            continue
        seen.add(email)
        deliveries.append(
            Delivery(
                notification=notification,
                contact=None if isinstance(contact, Recipient) else contact,
                email=email,
                name=contact.name,
                language=contact.language or "",
                role=getattr(contact, "notice_role", ""),
                created_at=notification.created_at,
            )
        )
    try:
        # A savepoint, so that a duplicate key leaves the caller's
        # transaction usable.
        with transaction.atomic():
            notification.save()
            Delivery.objects.bulk_create(deliveries, batch_size=1000)
    except IntegrityError:
        if key and Notification.objects.filter(key=key).exists():
            return None
        raise
    transaction.on_commit(functools.partial(enqueue, dispatch_notification_task, notification.pk))
    logger.info("Notification %s (%s) recorded for %d recipient(s)", notification.pk, kind, len(deliveries))
    return notification


def enqueue(task, *args, connection=None, **options):
    """Hand ``task`` to the broker; on failure log and carry on.

    Runs after commit, inside the request that made the change: a broker that
    is down must neither turn a saved change into an error page nor hold the
    request while kombu retries (six seconds by default). What was not
    handed over stays queued in the database for the sweep.
    """
    try:
        if connection is None:
            with broker_connection() as connection:
                task.apply_async(args, connection=connection, retry=False, **options)
        else:
            task.apply_async(args, connection=connection, retry=False, **options)
        return True
    except Exception:
        logger.exception("Could not enqueue %s%r; it stays queued for the sweep", task.name, args)
        return False


def broker_connection():
    """A broker connection that fails at once when the broker is down,
    rather than retrying for seconds: the sweep is the retry."""
    options = {**current_app.conf.broker_transport_options, "max_retries": 0}
    return current_app.connection_for_write(transport_options=options)


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def dispatch(delivery_ids, countdown=None):
    """Enqueue send tasks for these deliveries, a batch per task.

    Marks when they were handed over so that the sweep leaves them alone for
    a while; being handed over twice is harmless (the claim decides).
    """
    delivery_ids = sorted(delivery_ids)
    now = timezone.now()
    handed_at = now + timedelta(seconds=countdown) if countdown else now
    sent = 0
    options = {"countdown": countdown} if countdown else {}
    with broker_connection() as connection:
        for chunk in _chunks(delivery_ids, conf.get("NOTIFICATIONS_BATCH_SIZE")):
            if not enqueue(send_deliveries_task, chunk, connection=connection, **options):
                break  # the broker is down: the sweep hands over the rest
            Delivery.objects.filter(pk__in=chunk, status=DeliveryStatus.QUEUED).update(dispatched_at=handed_at)
            sent += len(chunk)
    return sent


def postpone(delivery_ids, countdown, error):
    """Note on queued deliveries why they wait and when they are tried again
    (so the sweep does not hand them over meanwhile)."""
    at = timezone.now() + timedelta(seconds=countdown)
    Delivery.objects.filter(pk__in=delivery_ids, status=DeliveryStatus.QUEUED).update(
        last_error=error, dispatched_at=at, next_attempt_at=at
    )


def dispatch_notification(notification_id):
    ids = list(
        Delivery.objects.filter(notification_id=notification_id).due().order_by("pk").values_list("pk", flat=True)
    )
    return dispatch(ids)


def sweep(now=None):
    """Hand over again what was left behind. Run by beat every minute.

    - deliveries claimed by a worker that died (still "sending" long after
      the claim) are queued again;
    - queued deliveries that were never handed to the broker (it was down
      after commit), or handed over long ago and still not sent (the task was
      lost with the worker or with Redis), are dispatched again.
    Returns (reclaimed, redispatched).
    """
    now = now or timezone.now()
    stale = now - timedelta(seconds=conf.get("NOTIFICATIONS_CLAIM_TIMEOUT"))
    lost = list(
        Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lte=stale).values_list("pk", flat=True)
    )
    reclaimed = Delivery.objects.filter(pk__in=lost, status=DeliveryStatus.SENDING, claimed_at__lte=stale).update(
        status=DeliveryStatus.QUEUED,
        claim=None,
        next_attempt_at=None,
        last_error="The worker sending this was lost; queued again.",
    )
    if reclaimed:
        logger.warning("Sweep: %d delivery(ies) taken back from a lost worker", reclaimed)
    forgotten = now - timedelta(seconds=conf.get("NOTIFICATIONS_REDISPATCH_AFTER"))
    ids = set(
        Delivery.objects.due(now)
        .annotate(handed_at=Coalesce("dispatched_at", "created_at"))
        .filter(Q(handed_at__lte=forgotten) | Q(pk__in=lost))
        .values_list("pk", flat=True)
    )
    if ids:
        logger.info("Sweep: dispatching %d queued delivery(ies) again", len(ids))
        dispatch(ids)
    return reclaimed, len(ids)


def retry_failed(deliveries):
    """Queue failed deliveries again (the admin's action); returns how many.

    They start with a fresh budget of attempts; the last error stays until
    the next attempt replaces it.
    """
    ids = list(deliveries.filter(status=DeliveryStatus.FAILED).values_list("pk", flat=True))
    with transaction.atomic():
        count = Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.FAILED).update(
            status=DeliveryStatus.QUEUED, attempts=0, next_attempt_at=None, dispatched_at=None
        )
        transaction.on_commit(functools.partial(dispatch, ids))
    return count


def send_batch(delivery_ids, *, schedule_retries=True):
    """Send a batch of deliveries (``sending.send_messages``) and schedule the
    retries it asks for; returns its ``BatchResult``."""
    result = send_messages(delivery_ids)
    if schedule_retries:
        for countdown, ids in result.retry.items():
            dispatch(ids, countdown=countdown)
    return result


# --- Tasks (named as they were when they lived in tasks.py) -----------------
@shared_task(name="governance.notifications.tasks.dispatch_notification", acks_late=True, ignore_result=True)
def dispatch_notification_task(notification_id):
    """Split a notification's queued deliveries into send tasks."""
    dispatch_notification(notification_id)


@shared_task(
    name="governance.notifications.tasks.send_deliveries",
    bind=True,
    acks_late=True,
    ignore_result=True,
    max_retries=None,
)
def send_deliveries_task(self, delivery_ids):
    """Send a batch of deliveries over one SMTP connection."""
    eager = self.request.is_eager
    try:
        # Eager (the embedded default) has no broker to wait in: a retry
        # would run at once, so retries are left to the sweep there.
        send_batch(delivery_ids, schedule_retries=not eager)
    except MailServerUnavailable as error:
        if eager:
            logger.error("Mail server unavailable (%s); deliveries stay queued", error)
            return
        retries = self.request.retries
        if retries + 1 >= conf.get("NOTIFICATIONS_MAX_ATTEMPTS"):
            # Nothing was claimed: the deliveries stay queued and the sweep
            # hands them over again later.
            logger.error("Mail server unavailable (%s); leaving %d deliveries to the sweep", error, len(delivery_ids))
            return
        countdown = conf.retry_countdown(retries + 1)
        postpone(delivery_ids, countdown, f"Mail server unavailable: {error}")
        logger.warning("Mail server unavailable (%s); trying again in %ss", error, countdown)
        raise self.retry(countdown=countdown) from error


@shared_task(name="governance.notifications.tasks.sweep", acks_late=True, ignore_result=True)
def sweep_task():
    """Beat, every minute: hand over again what was left queued."""
    sweep()
    # Recorded so that /health/ can tell whether beat still runs.
    cache.set(SWEEP_LAST_RUN_KEY, timezone.now().isoformat(), timeout=None)


# --- What monitoring reads (/health/) -----------------------------------------
SWEEP_LAST_RUN_KEY = "notifications:sweep-last-run"


def last_sweep_at():
    """When the sweep (run by beat) last finished, or None."""
    value = cache.get(SWEEP_LAST_RUN_KEY)
    return parse_datetime(value) if value else None


def outbox_backlog():
    """How many deliveries wait (queued or sending), and since when the oldest."""
    figures = Delivery.objects.filter(status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING]).aggregate(
        count=Count("pk"), oldest=Min("created_at")
    )
    return figures["count"], figures["oldest"]
