"""Celery tasks of the outbox. They take ids, never model instances, and are
safe to run twice: the conditional claim on each delivery decides who sends.

``acks_late``: a task is acknowledged only once it has run, so a worker lost
mid-task leaves it to be delivered again (and the sweep covers a task lost
with Redis).
"""

import logging

from celery import shared_task

from . import conf, services
from .sending import MailServerUnavailable, send_batch

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def dispatch_notification(notification_id):
    """Split a notification's queued deliveries into send tasks."""
    services.dispatch_notification(notification_id)


@shared_task(bind=True, acks_late=True, ignore_result=True, max_retries=None)
def send_deliveries(self, delivery_ids):
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
        services.postpone(delivery_ids, countdown, f"Mail server unavailable: {error}")
        logger.warning("Mail server unavailable (%s); trying again in %ss", error, countdown)
        raise self.retry(countdown=countdown) from error


@shared_task(acks_late=True, ignore_result=True)
def sweep():
    """Beat, every minute: hand over again what was left queued."""
    services.sweep()


@shared_task(acks_late=True, ignore_result=True)
def send_due_reminders():
    """Beat, every few minutes: record the meeting reminders now due (each at
    most once); their deliveries go out like any notice."""
    from .meeting_notices import send_due_reminders as record_due_reminders

    record_due_reminders()
