"""Governance's Celery tasks. They take ids (or nothing), never model
instances, and are safe to run twice."""

from celery import shared_task

from . import dues_notices, notices
from .services import dues, voting


@shared_task(acks_late=True, ignore_result=True)
def send_due_reminders():
    """Beat, every few minutes: record the meeting reminders now due (each at
    most once); their deliveries go out like any notice."""
    notices.send_due_reminders()


@shared_task(acks_late=True, ignore_result=True)
def issue_renewal_invoices():
    """Beat, every hour: issue next year's invoices once the year is
    ``DUES_RENEWAL_DAYS_AHEAD`` days away (each member once)."""
    dues.issue_renewals()


@shared_task(acks_late=True, ignore_result=True)
def send_dues_reminders():
    """Beat, every hour: record the dues reminders now due (each at most once
    per invoice and offset); their deliveries go out like any notice."""
    dues_notices.send_due_reminders()


@shared_task(acks_late=True, ignore_result=True)
def close_due_polls():
    """Beat, every minute: close and count the remote polls whose window has
    passed (each once: closing locks the poll and refuses a closed one)."""
    voting.close_due_polls()
