"""Dues and the member's standing: issuing invoices (one at a time, or next
year's for every member ahead of the year), recording payments, voiding and
crediting, and the secretariat's suspension and termination of a member.

Each action takes ids, runs in one transaction with the rows it changes
locked, raises ``DuesError`` with a message for the person who asked and
logs what it did. Numbers are taken from ``InvoiceCounter`` under a row lock:
two invoices issued at once get consecutive numbers, and a transaction that
rolls back gives its number back, so a year's numbers have no gaps.
"""

import datetime
import logging
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from members.caching import changed
from members.models import Membership, Organisation, Standing

from .. import formats
from ..models import (
    EndReason,
    FeeSchedule,
    Invoice,
    InvoiceCounter,
    InvoiceKind,
    InvoiceState,
    Office,
    Payment,
)
from . import offices as office_services

log = logging.getLogger(__name__)


class DuesError(Exception):
    """An action on dues the rules do not allow; the message says why and
    ``field`` names the input it concerns, if one does."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


# --- Numbers -------------------------------------------------------------------
def next_number(year):
    """Take the next number of ``year``; call inside the transaction that
    saves the invoice. The counter's row is created if missing (two
    creators at once: one insert wins, the other does nothing) and then
    locked until that transaction ends."""
    InvoiceCounter.objects.bulk_create([InvoiceCounter(year=year)], ignore_conflicts=True)
    counter = InvoiceCounter.objects.select_for_update().get(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


# --- Issuing -------------------------------------------------------------------
def _schedule_of(organisation):
    try:
        membership = organisation.membership
    except Membership.DoesNotExist:
        raise DuesError(_("%(member)s has no membership to bill.") % {"member": organisation}) from None
    schedule = FeeSchedule.objects.filter(category_id=membership.category_id).prefetch_related("bands").first()
    if schedule is None:
        raise DuesError(
            _("The category %(category)s has no fee schedule: add one first.") % {"category": membership.category}
        )
    return membership, schedule


@transaction.atomic
def issue_invoice(organisation_id, membership_year=None, by_user_id=None, on=None):
    """Issue ``organisation_id``'s invoice for ``membership_year`` (default:
    the year ``on`` falls in); return it.

    The amount comes from its category's fee schedule (its population's
    band, if any). Due at the start of the year, or ``payment_days`` after
    issue if issued later; in arrears once the grace period has passed too.
    Refused if the member already has a live invoice for that year.
    """
    on = on or timezone.localdate()
    try:
        organisation = Organisation.objects.select_for_update().get(pk=organisation_id)
    except Organisation.DoesNotExist:
        raise DuesError(_("There is no such member.")) from None
    membership, schedule = _schedule_of(organisation)
    year = schedule.year_of(on) if membership_year is None else int(membership_year)
    period_start, period_end = schedule.period(year)
    if membership.end_date and membership.end_date < period_start:
        raise DuesError(_("%(member)s's membership ends before that year.") % {"member": organisation}, "year")
    live = Invoice.objects.invoices().filter(organisation=organisation, period_start=period_start)
    if live.exclude(state__in=[InvoiceState.VOID, InvoiceState.CREDITED]).exists():
        raise DuesError(
            _("%(member)s already has an invoice for %(year)s; void or credit it first.")
            % {"member": organisation, "year": year},
            "year",
        )
    due_on = max(period_start, on + datetime.timedelta(days=schedule.payment_days))
    invoice = Invoice.objects.create(
        kind=InvoiceKind.INVOICE,
        year=on.year,
        number=next_number(on.year),
        organisation=organisation,
        category_name=membership.category.name,
        period_start=period_start,
        period_end=period_end,
        amount=schedule.fee_for(organisation),
        currency=schedule.currency,
        issued_on=on,
        due_on=due_on,
        arrears_on=due_on + datetime.timedelta(days=schedule.grace_days + 1),
        created_by_id=by_user_id,
    )
    log.info("Invoice %s issued to %s (%s %s)", invoice.reference, organisation.pk, invoice.amount, invoice.currency)
    return invoice


def members_to_renew(schedule, year):
    """Members of the schedule's category still members when ``year``
    begins, without a live invoice for it."""
    period_start, _end = schedule.period(year)
    billed = (
        Invoice.objects.invoices()
        .filter(period_start=period_start)
        .exclude(state__in=[InvoiceState.VOID, InvoiceState.CREDITED])
    )
    return (
        Organisation.objects.filter(membership__category_id=schedule.category_id)
        .filter(membership__in=Membership.objects.current(period_start))
        .exclude(pk__in=billed.values("organisation_id"))
        .order_by("pk")
    )


def issue_renewals(on=None, days_ahead=None):
    """Issue next year's invoices to every member whose membership year
    begins within ``days_ahead`` days (``DUES_RENEWAL_DAYS_AHEAD``); return them.

    Beat runs this every hour: a member already billed is skipped, so a run
    repeated, or two at once, issue each invoice once (the database's one
    live invoice per member and year settles a race). Each invoice is its
    own transaction: one member's problem does not hold back the others.
    """
    on = on or timezone.localdate()
    days_ahead = settings.DUES_RENEWAL_DAYS_AHEAD if days_ahead is None else days_ahead
    issued = []
    for schedule in FeeSchedule.objects.select_related("category"):
        year = schedule.year_of(on) + 1
        period_start, _end = schedule.period(year)
        if (period_start - on).days > days_ahead:
            continue
        for organisation_id in members_to_renew(schedule, year).values_list("pk", flat=True):
            try:
                issued.append(issue_invoice(organisation_id, year, on=on))
            except (DuesError, IntegrityError) as error:
                log.warning("Renewal of %s for %s not issued: %s", organisation_id, year, error)
    if issued:
        log.info("Renewals: %d invoice(s) issued", len(issued))
    return issued


# --- Payments, voiding, crediting ---------------------------------------------
def _locked_invoice(invoice_id):
    try:
        return Invoice.objects.select_for_update().get(pk=invoice_id)
    except Invoice.DoesNotExist:
        raise DuesError(_("There is no such invoice.")) from None


def parse_amount(value):
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise DuesError(_("Write the amount as a number, e.g. 1500.00."), "amount") from None
    if not amount.is_finite() or amount <= 0:
        raise DuesError(_("The amount must be more than zero."), "amount")
    if amount != amount.quantize(Decimal("0.01")):
        raise DuesError(_("The amount has at most two decimals."), "amount")
    return amount


@transaction.atomic
def record_payment(invoice_id, amount, received_on, reference="", note="", by_user_id=None):
    """Record a payment of an open invoice; return it. The invoice becomes
    partly paid or paid. More than what is outstanding is refused."""
    invoice = _locked_invoice(invoice_id)
    amount = parse_amount(amount)
    if not invoice.is_open:
        raise DuesError(
            _("Invoice %(invoice)s is %(state)s: it takes no payment.")
            % {"invoice": invoice.reference, "state": invoice.get_state_display().lower()}
        )
    if received_on > timezone.localdate():
        raise DuesError(_("A payment cannot be received in the future."), "received_on")
    outstanding = invoice.outstanding
    if amount > outstanding:
        raise DuesError(
            _("Only %(outstanding)s %(currency)s is outstanding on invoice %(invoice)s.")
            % {"outstanding": formats.amount(outstanding), "currency": invoice.currency, "invoice": invoice.reference},
            "amount",
        )
    payment = Payment.objects.create(
        invoice=invoice,
        amount=amount,
        received_on=received_on,
        reference=reference.strip(),
        note=note.strip(),
        recorded_by_id=by_user_id,
    )
    invoice.state = Invoice.state_for(invoice.amount, invoice.amount - outstanding + amount)
    invoice.save(update_fields=["state"])
    log.info("Payment of %s recorded on invoice %s, now %s", amount, invoice.reference, invoice.state)
    return payment


def _reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise DuesError(_("Say why."), "reason")
    return reason


@transaction.atomic
def void_invoice(invoice_id, reason, by_user_id=None):
    """Void an invoice issued in error (nothing paid on it): it keeps its
    number, marked void, and no longer counts."""
    reason = _reason(reason)
    invoice = _locked_invoice(invoice_id)
    if not invoice.is_open:
        raise DuesError(_("Only an unpaid invoice can be voided."))
    if invoice.payments.exists():
        raise DuesError(_("Payments were recorded on this invoice: issue a credit note instead."))
    invoice.state, invoice.reason = InvoiceState.VOID, reason
    invoice.save(update_fields=["state", "reason"])
    log.info("Invoice %s voided by user %s", invoice.reference, by_user_id)
    return invoice


@transaction.atomic
def credit_invoice(invoice_id, reason, by_user_id=None, on=None):
    """Cancel what is outstanding on an invoice with a credit note (the next
    number of the year); return the credit note. What was paid stays paid."""
    reason = _reason(reason)
    on = on or timezone.localdate()
    invoice = _locked_invoice(invoice_id)
    if not invoice.is_open:
        raise DuesError(_("Only an invoice with something outstanding can be credited."))
    outstanding = invoice.outstanding
    note = Invoice.objects.create(
        kind=InvoiceKind.CREDIT_NOTE,
        year=on.year,
        number=next_number(on.year),
        organisation_id=invoice.organisation_id,
        category_name=invoice.category_name,
        period_start=invoice.period_start,
        period_end=invoice.period_end,
        amount=-outstanding,
        currency=invoice.currency,
        issued_on=on,
        due_on=on,
        arrears_on=on,
        state=InvoiceState.PAID,
        credits=invoice,
        reason=reason,
        created_by_id=by_user_id,
    )
    invoice.state, invoice.reason = InvoiceState.CREDITED, reason
    invoice.save(update_fields=["state", "reason"])
    log.info("Invoice %s credited by %s", invoice.reference, note.reference)
    return note


# --- Suspension and termination -------------------------------------------------
def _end_offices(organisation_id, on, note):
    """End, on ``on``, every office the member holds then or later."""
    running = Office.objects.filter(organisation_id=organisation_id).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=on)
    )
    ended = []
    for office in running.filter(start_date__lte=on).order_by("pk"):
        ended.append(office_services.end_office(office.pk, on, EndReason.MEMBERSHIP_ENDED, note))
    # An office that had not yet begun never will.
    for office in running.filter(start_date__gt=on).order_by("pk"):
        ended.append(office_services.end_office(office.pk, office.start_date, EndReason.MEMBERSHIP_ENDED, note))
    return ended


def _locked_membership(organisation_id):
    try:
        return (
            Membership.objects.select_for_update().select_related("organisation").get(organisation_id=organisation_id)
        )
    except Membership.DoesNotExist:
        raise DuesError(_("There is no such membership.")) from None


@transaction.atomic
def suspend_member(organisation_id, reason, by_user_id=None, on=None):
    """Suspend a member (the secretariat's decision) for ``reason``: its
    membership is no longer current, and its offices end the same day.
    Returns the offices ended."""
    reason = _reason(reason)
    on = on or timezone.localdate()
    membership = _locked_membership(organisation_id)
    if not membership.is_current(on):
        raise DuesError(
            _("%(member)s is not a current member: it cannot be suspended.") % {"member": membership.organisation}
        )
    # The offices first: they are ended while their holder is still a
    # member, as the office rules expect of any change to an office.
    ended = _end_offices(organisation_id, on, _("Suspended: %(reason)s") % {"reason": reason})
    membership.standing, membership.standing_reason = Standing.SUSPENDED, reason
    membership._change_reason = reason
    membership.save(update_fields=["standing", "standing_reason"])
    changed()
    log.info("Member %s suspended by user %s; %d office(s) ended", organisation_id, by_user_id, len(ended))
    return ended


@transaction.atomic
def terminate_member(organisation_id, reason, by_user_id=None, on=None):
    """End a membership (the secretariat's decision) for ``reason``: ``on``
    (default today) is its last day, and its offices end the same day.
    Returns the offices ended."""
    reason = _reason(reason)
    on = on or timezone.localdate()
    membership = _locked_membership(organisation_id)
    if membership.end_date and membership.end_date <= on:
        raise DuesError(_("%(member)s's membership has already ended.") % {"member": membership.organisation})
    if membership.start_date and membership.start_date > on:
        raise DuesError(_("%(member)s's membership has not begun yet.") % {"member": membership.organisation})
    ended = _end_offices(organisation_id, on, _("Membership terminated: %(reason)s") % {"reason": reason})
    membership.end_date, membership.standing_reason = on, reason
    membership._change_reason = reason
    membership.save(update_fields=["end_date", "standing_reason"])
    changed()
    log.info("Member %s terminated by user %s; %d office(s) ended", organisation_id, by_user_id, len(ended))
    return ended
