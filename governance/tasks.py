"""Governance's Celery tasks. They take ids (or nothing), never model
instances, and are safe to run twice."""

from celery import shared_task

from . import notices


@shared_task(acks_late=True, ignore_result=True)
def send_due_reminders():
    """Beat, every few minutes: record the meeting reminders now due (each at
    most once); their deliveries go out like any notice."""
    notices.send_due_reminders()
