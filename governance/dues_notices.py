"""Reminders about dues, sent through the outbox like the meeting notices
(``governance.notices``), with the invoice's PDF attached.

Each fee schedule names its reminders in days from an invoice's due date
(before, on and after it). Beat runs ``send_due_reminders`` every hour;
each reminder is recorded at most once per invoice and offset, guarded
twice: an ``InvoiceReminder`` row (unique on invoice and offset) written in
the transaction that records the notice, and the notice's own key. A run
missed while beat was down is made up by the latest reminder due only (three
reminders at once help nobody), and a moment before the invoice was issued
is skipped.

Recipients: the organisation's billing contacts, or, when it has none, its
focal points. Never every contact at once.
"""

import datetime
import logging

from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from members.models import Contact, ContactRole, ContactRoleType

from . import formats, invoice_pdf
from .models import FeeSchedule, Invoice, InvoiceReminder
from .notifications import kinds
from .notifications.emails import absolute, compose
from .notifications.services import notify

logger = logging.getLogger(__name__)


class DuesNotice(models.TextChoices):
    REMINDER = "dues_reminder", _("Dues reminder")


def recipients(organisation_id, on=None):
    """The billing contacts of the organisation, or its focal points if it
    has no billing contact; each with ``notice_role`` set."""
    roles = ContactRole.objects.active(on).filter(contact__organisation_id=organisation_id)
    for role in (ContactRoleType.BILLING, ContactRoleType.FOCAL_POINT):
        contacts = list(Contact.objects.filter(pk__in=roles.filter(role=role).values("contact_id")).order_by("pk"))
        if contacts:
            for contact in contacts:
                contact.notice_role = role
            return contacts
    return []


def reminder_key(invoice_id, offset):
    return f"dues-reminder:{invoice_id}:{offset}"


def due_offset(invoice, offsets, on):
    """The reminder (days from the due date) due for ``invoice`` on ``on``,
    or None: the latest whose day has come, if it came after the invoice was
    issued."""
    passed = [days for days in offsets if invoice.issued_on <= invoice.due_on + datetime.timedelta(days=days) <= on]
    return max(passed) if passed else None


def remind(invoice, offset):
    """Record the reminder ``offset`` of ``invoice`` unless it was recorded
    before; return its notification or None."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                reminder = InvoiceReminder.objects.create(invoice=invoice, offset_days=offset)
        except IntegrityError:
            return None  # already sent (or being sent by a run that holds it)
        contacts = recipients(invoice.organisation_id)
        if not contacts:
            # Recorded all the same (the invoice's page lists it, with no
            # delivery): the secretariat sees who could not be reminded.
            logger.warning("Invoice %s: no billing contact or focal point to remind", invoice.reference)
        notification = notify(
            DuesNotice.REMINDER,
            invoice,
            contacts,
            payload={"offset": offset},
            key=reminder_key(invoice.pk, offset),
        )
        reminder.notification = notification
        reminder.save(update_fields=["notification"])
    return notification


def send_due_reminders(on=None):
    """Record the dues reminders due on ``on`` (default today); return them."""
    on = on or timezone.localdate()
    recorded = []
    for schedule in FeeSchedule.objects.all():
        try:
            offsets = schedule.reminder_offsets()
        except ValueError:
            logger.error("Fee schedule %s has unreadable reminder days %r", schedule.pk, schedule.reminder_days)
            continue
        if not offsets:
            continue
        invoices = list(
            Invoice.objects.open()
            .filter(
                organisation__membership__category_id=schedule.category_id,
                due_on__lte=on - datetime.timedelta(days=offsets[0]),
            )
            .order_by("pk")
        )
        sent = set(InvoiceReminder.objects.filter(invoice__in=invoices).values_list("invoice_id", "offset_days"))
        for invoice in invoices:
            offset = due_offset(invoice, offsets, on)
            if offset is None or (invoice.pk, offset) in sent:
                continue
            notification = remind(invoice, offset)
            if notification is not None:
                logger.info("Dues reminder (%+d days) recorded for invoice %s", offset, invoice.reference)
                recorded.append(notification)
    return recorded


# --- The e-mail ------------------------------------------------------------------
@kinds.register(DuesNotice.REMINDER, DuesNotice.REMINDER.label)
def reminder_email(delivery, invoice):
    if invoice is None:
        raise LookupError("The invoice of this reminder no longer exists.")
    offset = delivery.notification.payload.get("offset", 0)
    context = {
        "invoice": invoice,
        "title": _("Membership dues: invoice %(number)s") % {"number": invoice.reference},
        "reference": invoice.reference,
        "member": invoice.organisation.name,
        "amount": formats.money(invoice.amount, invoice.currency),
        "outstanding": formats.money(invoice.outstanding, invoice.currency),
        "due": date_format(invoice.due_on, "DATE_FORMAT"),
        "period": formats.date_span(invoice.period_start, invoice.period_end),
        "before": offset < 0,
        "on_the_day": offset == 0,
        "url": absolute(reverse("member_home:index")),
    }
    message = compose("dues-reminder", delivery, context)
    # The PDF is made once per batch and language (the batch shares one
    # invoice object), as the invoice stands when the reminder is sent.
    cache = invoice.__dict__.setdefault("_notice_cache", {})
    language = translation.get_language()
    if language not in cache:
        cache[language] = invoice_pdf.render(invoice)
    message.attach(invoice_pdf.filename(invoice), cache[language], "application/pdf")
    return message
