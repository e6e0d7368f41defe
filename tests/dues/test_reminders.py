"""Dues reminders: at the schedule's offsets from the due date, to the
billing contact (else the focal point), once each, with the PDF attached.
Here send_due_reminders() is run at chosen days in this process; the worker
test (test_reminder_delivery.py) sends them through a real worker."""

import datetime
from unittest import mock

import pytest
from django.db import IntegrityError, transaction

from governance import dues_notices
from governance.dues_notices import DuesNotice, send_due_reminders
from governance.models import InvoiceReminder
from governance.notifications import services
from governance.notifications.models import Notification
from governance.services import dues
from members.models import ContactRoleType

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
ISSUED = datetime.date(2026, 11, 15)  # next year's invoice, due 1 January 2027


@pytest.fixture(autouse=True)
def no_broker():
    with mock.patch.object(services, "enqueue") as enqueue:
        yield enqueue


@pytest.fixture
def city(make_member, make_contact):
    city = make_member("Paris")
    make_contact(city, email="focal@paris.example")
    make_contact(city, role=ContactRoleType.BILLING, email="billing@paris.example")
    make_contact(city, role=ContactRoleType.TECHNICAL, email="tech@paris.example")
    return city


@pytest.fixture
def invoice(city, issue):
    return issue(city, 2027, on=ISSUED)


def run_on(day):
    return [n.payload["offset"] for n in send_due_reminders(on=day)]


def test_each_reminder_is_sent_once_on_its_day(invoice):
    due = invoice.due_on
    assert run_on(due - 15 * DAY) == []
    assert run_on(due - 14 * DAY) == [-14]
    assert run_on(due - 14 * DAY) == []  # the next beat run
    assert run_on(due - DAY) == []
    assert run_on(due) == [0]
    assert run_on(due + 29 * DAY) == []
    assert run_on(due + 30 * DAY) == [30]
    assert run_on(due + 300 * DAY) == []
    assert list(InvoiceReminder.objects.values_list("offset_days", flat=True)) == [-14, 0, 30]


def test_reminders_go_to_the_billing_contact_only(invoice):
    (notification,) = send_due_reminders(on=invoice.due_on)
    assert list(notification.deliveries.values_list("email", "role")) == [("billing@paris.example", "billing")]


def test_without_a_billing_contact_the_focal_point_is_reminded(city, invoice):
    from members.models import ContactRole

    ContactRole.objects.filter(role=ContactRoleType.BILLING).update(end_date=ISSUED)
    (notification,) = send_due_reminders(on=invoice.due_on)
    assert list(notification.deliveries.values_list("email", "role")) == [("focal@paris.example", "focal_point")]


def test_a_missed_run_sends_only_the_latest_reminder_due(invoice):
    assert run_on(invoice.due_on + 31 * DAY) == [30]  # beat was down for six weeks
    assert run_on(invoice.due_on + 32 * DAY) == []
    assert list(InvoiceReminder.objects.values_list("offset_days", flat=True)) == [30]


def test_moments_before_the_invoice_was_issued_are_skipped(city, issue):
    late = issue(city, 2027, on=datetime.date(2026, 12, 28))  # due 1 January, issued 4 days before
    assert run_on(datetime.date(2026, 12, 30)) == []  # the 14-day moment came before it existed
    assert run_on(late.due_on) == [0]


def test_a_paid_invoice_is_not_reminded(invoice):
    dues.record_payment(invoice.pk, "1000", datetime.date(2026, 11, 20))
    assert run_on(invoice.due_on + 30 * DAY) == []


def test_the_database_refuses_a_second_reminder_for_the_same_offset(invoice):
    InvoiceReminder.objects.create(invoice=invoice, offset_days=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        InvoiceReminder.objects.create(invoice=invoice, offset_days=0)


def test_a_reminder_recorded_elsewhere_meanwhile_is_not_recorded_again(invoice):
    # Another run recorded it after this one read what was sent.
    assert dues_notices.remind(invoice, 0) is not None
    assert dues_notices.remind(invoice, 0) is None
    assert Notification.objects.filter(kind=DuesNotice.REMINDER).count() == 1


def test_the_email_says_what_is_owed_and_carries_the_pdf(invoice, eager):
    from governance.notifications.emails import build_message

    (notification,) = send_due_reminders(on=invoice.due_on + 30 * DAY)
    delivery = notification.deliveries.select_related("notification", "contact__organisation").get()
    message = build_message(delivery, invoice)
    assert invoice.reference in message.subject and "overdue" in message.subject
    assert "1,000.00\u00a0USD" in message.body  # amount and currency kept on one line
    (attachment,) = message.attachments[:1]
    name, content, mimetype = attachment
    assert (name, mimetype) == (f"wego-invoice-{invoice.reference}.pdf", "application/pdf")
    assert content.startswith(b"%PDF")


def test_an_unreadable_reminder_schedule_is_logged_and_skipped(invoice, schedule, caplog):
    schedule.reminder_days = "soon"
    schedule.save()
    assert run_on(invoice.due_on) == []
    assert "unreadable reminder days" in caplog.text


def test_a_member_without_anyone_to_remind_is_logged_for_the_secretariat(make_member, issue, caplog):
    invoice = issue(make_member("Silent City"), 2027, on=ISSUED)
    (notification,) = send_due_reminders(on=invoice.due_on)
    assert not notification.deliveries.exists()
    assert f"Invoice {invoice.reference}: no billing contact or focal point" in caplog.text
