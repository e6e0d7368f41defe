"""Invoices: issued from the category's fee schedule, numbered without gaps
per year, paid in parts, voided or credited, never deleted."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from governance.models import FeeBand, Invoice, InvoiceCounter, InvoiceKind, InvoiceState, Payment
from governance.services import dues
from governance.services.dues import DuesError

pytestmark = pytest.mark.django_db

D = Decimal


def test_an_invoice_takes_the_categorys_fee_and_the_next_number_of_the_year(make_member, issue):
    paris, lyon = make_member("Paris"), make_member("Lyon")
    on = datetime.date(2026, 3, 10)
    first, second = issue(paris, on=on), issue(lyon, on=on)
    assert (first.reference, second.reference) == ("2026-0001", "2026-0002")
    assert first.amount == D("1000.00") and first.currency == "USD" and first.category_name == "Full Member"
    assert (first.period_start, first.period_end) == (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    # Issued after its year began: due 30 days after issue, in arrears after 60 more.
    assert first.due_on == datetime.date(2026, 4, 9)
    assert first.arrears_on == datetime.date(2026, 6, 9)
    assert first.state == InvoiceState.ISSUED


def test_a_new_year_starts_its_numbers_at_one(make_member, issue):
    paris = make_member("Paris")
    issue(paris, 2026, on=datetime.date(2026, 12, 1))
    assert issue(paris, 2027, on=datetime.date(2027, 1, 2)).reference == "2027-0001"


def test_an_invoice_issued_ahead_of_its_year_is_due_when_the_year_begins(make_member, issue):
    invoice = issue(make_member(), 2027, on=datetime.date(2026, 11, 15))
    assert invoice.due_on == datetime.date(2027, 1, 1)
    assert invoice.year == 2026  # numbered in the year it was issued


def test_a_membership_year_can_start_in_another_month(make_member, issue, schedule):
    schedule.year_starts_month = 7
    schedule.save()
    invoice = issue(make_member(), on=datetime.date(2026, 3, 1))
    assert (invoice.period_start, invoice.period_end) == (datetime.date(2025, 7, 1), datetime.date(2026, 6, 30))


def test_the_population_band_sets_a_citys_fee(make_member, issue, schedule):
    FeeBand.objects.create(schedule=schedule, min_population=0, max_population=999_999, amount=D("500"))
    FeeBand.objects.create(schedule=schedule, min_population=1_000_000, amount=D("2500"))
    small, large, unknown = make_member(population=80_000), make_member(population=9_000_000), make_member()
    assert issue(small).amount == D("500")
    assert issue(large).amount == D("2500")
    assert issue(unknown).amount == D("1000.00")  # no population: the schedule's amount


def test_a_second_invoice_for_the_same_year_is_refused(make_member, issue):
    paris = make_member("Paris")
    issue(paris, 2026, on=datetime.date(2026, 2, 1))
    with pytest.raises(DuesError, match="already has an invoice for 2026"):
        issue(paris, 2026, on=datetime.date(2026, 2, 2))
    assert InvoiceCounter.objects.get(year=2026).last_number == 1  # the refusal took no number


def test_the_database_holds_one_live_invoice_per_member_and_year(make_member, issue):
    invoice = issue(make_member(), 2026, on=datetime.date(2026, 2, 1))
    copy = Invoice(
        **{f.attname: getattr(invoice, f.attname) for f in Invoice._meta.concrete_fields if f.attname != "id"}
    )
    copy.number = 99
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_a_category_without_a_fee_schedule_is_not_billed(make_member, associate_category, schedule):
    member = make_member(category=associate_category)
    with pytest.raises(DuesError, match="has no fee schedule"):
        dues.issue_invoice(member.pk)
    assert not Invoice.objects.exists()


def test_payments_make_an_invoice_partly_paid_then_paid(make_member, issue, staff_user, today):
    invoice = issue(make_member())
    dues.record_payment(invoice.pk, "400.00", today, "BANK-1", by_user_id=staff_user.pk)
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.PARTLY_PAID and invoice.outstanding == D("600.00")
    dues.record_payment(invoice.pk, D("600"), today, "BANK-2")
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.PAID and invoice.outstanding == 0
    assert Payment.objects.filter(invoice=invoice).count() == 2


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("abc", "as a number"),
        ("0", "more than zero"),
        ("-5", "more than zero"),
        ("1.005", "two decimals"),
        ("1000.01", "Only 1,000.00 USD is outstanding"),
        ("NaN", "more than zero"),
    ],
)
def test_a_bad_payment_is_refused_and_changes_nothing(make_member, issue, today, amount, message):
    invoice = issue(make_member())
    with pytest.raises(DuesError, match=message):
        dues.record_payment(invoice.pk, amount, today)
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.ISSUED and not invoice.payments.exists()


def test_a_payment_in_the_future_is_refused(make_member, issue, today):
    invoice = issue(make_member())
    with pytest.raises(DuesError, match="in the future"):
        dues.record_payment(invoice.pk, "10", today + datetime.timedelta(days=1))


def test_a_paid_invoice_takes_no_more_payment(make_member, issue, today):
    invoice = issue(make_member())
    dues.record_payment(invoice.pk, "1000", today)
    with pytest.raises(DuesError, match="takes no payment"):
        dues.record_payment(invoice.pk, "1", today)


def test_voiding_keeps_the_number_and_frees_the_year_for_a_new_invoice(make_member, issue):
    paris = make_member("Paris")
    first = issue(paris, 2026, on=datetime.date(2026, 2, 1))
    dues.void_invoice(first.pk, "Wrong category")
    first.refresh_from_db()
    assert first.state == InvoiceState.VOID and first.reason == "Wrong category"
    second = issue(paris, 2026, on=datetime.date(2026, 2, 2))
    assert second.reference == "2026-0002"


def test_an_invoice_with_a_payment_cannot_be_voided_only_credited(make_member, issue, today):
    invoice = issue(make_member())
    dues.record_payment(invoice.pk, "250", today)
    with pytest.raises(DuesError, match="credit note instead"):
        dues.void_invoice(invoice.pk, "Mistake")
    note = dues.credit_invoice(invoice.pk, "Waived by the Executive Committee")
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.CREDITED
    assert note.kind == InvoiceKind.CREDIT_NOTE and note.amount == D("-750.00") and note.credits == invoice
    assert note.reference == f"{today.year}-0002"  # the next number of the year
    assert invoice.paid == D("250.00")  # what was paid stays paid


def test_void_and_credit_need_a_reason(make_member, issue):
    invoice = issue(make_member())
    for action in (dues.void_invoice, dues.credit_invoice):
        with pytest.raises(DuesError, match="Say why"):
            action(invoice.pk, "  ")
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.ISSUED


@pytest.mark.parametrize("table", ["invoice", "payment", "invoicecounter"])
def test_the_database_refuses_to_delete_invoices_payments_and_counters(make_member, issue, today, table):
    invoice = issue(make_member())
    dues.record_payment(invoice.pk, "10", today)
    with pytest.raises(Exception, match="never deleted"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM governance_{table}")
    assert Invoice.objects.count() == 1 and Payment.objects.count() == 1 and InvoiceCounter.objects.count() == 1


def test_a_member_with_invoices_cannot_be_deleted_through_django(make_member, issue):
    member = make_member()
    issue(member)
    with pytest.raises(ProtectedError):
        member.delete()
