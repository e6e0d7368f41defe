"""Governance's Celery tasks. They take ids (or nothing), never model
instances, and are safe to run twice."""

from celery import shared_task

from . import notices
from .services import voting


@shared_task(acks_late=True, ignore_result=True)
def send_due_reminders():
    """Beat, every few minutes: record the meeting reminders now due (each at
    most once); their deliveries go out like any notice."""
    notices.send_due_reminders()


@shared_task(acks_late=True, ignore_result=True)
def close_due_polls():
    """Beat, every minute: close and count the remote polls whose window has
    passed (each once: closing locks the poll and refuses a closed one)."""
    voting.close_due_polls()
