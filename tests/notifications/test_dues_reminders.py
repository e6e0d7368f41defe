"""Dues reminders through a real Celery worker and beat, Redis and an SMTP
server: each reminder reaches the billing contact exactly once, with the
invoice's PDF attached, however often beat runs and even when two runs
race."""

import datetime
import io
import threading
import time

import pytest
from django.db import connection
from pypdf import PdfReader

from governance.dues_notices import DuesNotice, send_due_reminders
from governance.models import InvoiceReminder
from governance.notifications.models import DeliveryStatus, Notification
from members.models import ContactRoleType
from tests.notifications.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def invoice(make_member, make_contact, issue, today):
    """Paris's invoice, due ten days ago (issued 40 days ago, 30 days'
    terms): the reminder on the due date is the one due now."""
    paris = make_member("Paris")
    make_contact(paris, email="focal@paris.example")
    make_contact(paris, role=ContactRoleType.BILLING, email="billing@paris.example", language="fr")
    return issue(paris, on=today - datetime.timedelta(days=40))


def all_sent():
    notifications = Notification.objects.filter(kind=DuesNotice.REMINDER)
    return (
        notifications.exists()
        and not notifications.filter(deliveries__status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING]).exists()
    )


def assert_the_pdf_is_attached(message, invoice):
    (part,) = [part for part in message.iter_attachments() if part.get_content_type() == "application/pdf"]
    assert part.get_filename() == f"wego-invoice-{invoice.reference}.pdf"
    text = PdfReader(io.BytesIO(part.get_content())).pages[0].extract_text()
    assert invoice.reference in text


def test_beat_sends_each_dues_reminder_exactly_once(broker, smtp, start_worker, start_beat, invoice):
    start_worker(broker)
    start_beat(broker)  # dues reminders every 2 s in the test schedule

    wait_for(lambda: smtp.recipients(), timeout=40, message="the reminder")
    time.sleep(5)  # two more beat runs
    assert smtp.recipients() == ["billing@paris.example"]  # not the focal point: the billing contact
    (message,) = smtp.messages_to("billing@paris.example")
    assert invoice.reference in message["Subject"]
    assert_the_pdf_is_attached(message, invoice)
    assert list(InvoiceReminder.objects.values_list("offset_days", flat=True)) == [0]


def test_two_runs_at_once_record_and_send_the_reminder_once(broker, smtp, start_worker, invoice, today):
    start_worker(broker)
    barrier = threading.Barrier(2)
    recorded = []

    def run():
        try:
            barrier.wait(10)
            recorded.extend(send_due_reminders(on=today))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert len(recorded) == 1
    wait_for(all_sent, timeout=30, message="the reminder to be sent")
    assert send_due_reminders(on=today) == []  # and a later run: nothing
    time.sleep(1.5)
    assert smtp.recipients() == ["billing@paris.example"]
    assert_the_pdf_is_attached(smtp.messages_to("billing@paris.example")[0], invoice)
