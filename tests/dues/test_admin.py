"""The secretariat's dues pages: issuing, recording payments, voiding and
crediting with a reason, suspending and terminating a member; changelists
whose cost does not grow; no page deletes an invoice or a payment."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.models import FeeSchedule, Invoice, InvoiceState, Payment
from governance.services import dues
from members.models import Membership, Organisation, Standing

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "admin:governance_invoice_changelist",
    "admin:governance_payment_changelist",
    "admin:governance_feeschedule_changelist",
]


def _bulk_invoices(count, category, start=0):
    """Members with an invoice and a payment each, written in bulk."""
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(name=f"Bulk City {i}", slug=f"bulk-{i}", country="DE", kind="local_government")
            for i in range(start, start + count)
        ]
    )
    Membership.objects.bulk_create([Membership(organisation=o, category=category) for o in organisations])
    day = datetime.date(2026, 1, 1)
    invoices = Invoice.objects.bulk_create(
        [
            Invoice(
                year=2026,
                number=1000 + start + n,
                organisation=o,
                category_name="Full Member",
                period_start=day,
                period_end=datetime.date(2026, 12, 31),
                amount=Decimal("100"),
                currency="USD",
                issued_on=day,
                due_on=day,
                arrears_on=day + datetime.timedelta(days=61),
                state=InvoiceState.PARTLY_PAID,
            )
            for n, o in enumerate(organisations)
        ]
    )
    Payment.objects.bulk_create([Payment(invoice=i, amount=Decimal("10"), received_on=day) for i in invoices])


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.status_code
    return len(captured)


@pytest.mark.parametrize("name", CHANGELISTS)
def test_changelists_cost_the_same_for_few_rows_as_for_many(staff_client, full_category, schedule, name):
    _bulk_invoices(5, full_category)
    small = _queries(staff_client, reverse(name))
    _bulk_invoices(200, full_category, start=5)
    assert _queries(staff_client, reverse(name)) == small


def test_the_arrears_filter_lists_the_invoices_past_their_grace_period(
    staff_client, overdue_invoice, issue, make_member
):
    recent = issue(make_member("Recent City"))
    response = staff_client.get(reverse("admin:governance_invoice_changelist"), {"arrears": "yes"})
    assert [i.pk for i in response.context["cl"].result_list] == [overdue_invoice.pk]
    response = staff_client.get(reverse("admin:governance_invoice_changelist"), {"arrears": "no"})
    assert [i.pk for i in response.context["cl"].result_list] == [recent.pk]


def test_the_arrears_filter_lists_members_past_the_arrears_period(staff_client, overdue_invoice, schedule):
    url = reverse("admin:governance_invoice_changelist")
    schedule.arrears_days = 365
    schedule.save()
    assert list(staff_client.get(url, {"arrears": "long"}).context["cl"].result_list) == []
    schedule.arrears_days = 10  # overdue_invoice went into arrears over three months ago
    schedule.save()
    assert [i.pk for i in staff_client.get(url, {"arrears": "long"}).context["cl"].result_list] == [overdue_invoice.pk]


@pytest.mark.parametrize(("who", "status"), [("anonymous", 302), ("member", 302), ("staff", 200)])
def test_only_staff_reach_the_invoices(client, make_user, staff_user, who, status):
    if who != "anonymous":
        client.force_login(staff_user if who == "staff" else make_user())
    assert client.get(reverse("admin:governance_invoice_changelist")).status_code == status
    assert client.get(reverse("admin:governance_invoice_issue")).status_code == status


def test_issuing_from_the_admin_numbers_the_invoice(staff_client, make_member, schedule, staff_user):
    paris = make_member("Paris")
    response = staff_client.post(reverse("admin:governance_invoice_issue"), {"organisation": paris.pk})
    invoice = Invoice.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{invoice.pk}/change/")
    assert invoice.organisation == paris and invoice.created_by == staff_user and invoice.number == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"organisation": "999999"}, "Select a valid choice"),
        ({"organisation": "x", "membership_year": "then"}, "Enter a whole number"),
        ({"membership_year": "2026"}, "This field is required"),
    ],
)
def test_bad_input_to_the_issue_form_is_refused_with_a_message(staff_client, schedule, data, message):
    response = staff_client.post(reverse("admin:governance_invoice_issue"), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Invoice.objects.exists()


def test_issuing_a_second_invoice_for_a_year_is_refused_on_the_form(staff_client, make_member, issue, today):
    paris = make_member("Paris")
    issue(paris)
    response = staff_client.post(
        reverse("admin:governance_invoice_issue"), {"organisation": paris.pk, "membership_year": today.year}
    )
    assert response.status_code == 400 and "already has an invoice" in response.content.decode()
    assert Invoice.objects.count() == 1


def test_a_payment_recorded_in_the_admin_updates_the_invoice(staff_client, make_member, issue, today, staff_user):
    invoice = issue(make_member())
    url = reverse("admin:governance_invoice_pay", args=[invoice.pk])
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(url, {"amount": "1000.00", "received_on": today.isoformat(), "reference": "TRF-9"})
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.PAID
    assert Payment.objects.get().recorded_by == staff_user


@pytest.mark.parametrize(
    ("amount", "received_on", "message"),
    [
        ("5000", None, "Only 1,000.00 USD is outstanding"),
        ("-1", None, "greater than or equal to 0.01"),
        ("lots", None, "Enter a number"),
        ("10", "yesterday-ish", "Enter a valid date"),
        ("10", "2999-01-01", "cannot be received in the future"),
    ],
)
def test_a_bad_payment_on_the_admin_form_changes_nothing(
    staff_client, make_member, issue, today, amount, received_on, message
):
    invoice = issue(make_member())
    response = staff_client.post(
        reverse("admin:governance_invoice_pay", args=[invoice.pk]),
        {"amount": amount, "received_on": received_on or today.isoformat()},
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert not Payment.objects.exists()


def test_the_invoice_page_offers_no_delete_and_no_add(staff_client, make_member, issue):
    invoice = issue(make_member())
    page = staff_client.get(reverse("admin:governance_invoice_change", args=[invoice.pk])).content.decode()
    assert "deletelink" not in page and invoice.get_absolute_url() in page
    assert staff_client.get(reverse("admin:governance_invoice_delete", args=[invoice.pk])).status_code == 403
    assert staff_client.get(reverse("admin:governance_invoice_add")).status_code == 403
    changelist = staff_client.get(reverse("admin:governance_invoice_changelist")).content.decode()
    assert "delete_selected" not in changelist


def _action(client, changelist, action, objects, **data):
    return client.post(reverse(changelist), {"action": action, "_selected_action": [o.pk for o in objects], **data})


def test_voiding_in_the_admin_asks_for_a_reason_first(staff_client, make_member, issue):
    invoice = issue(make_member())
    changelist = "admin:governance_invoice_changelist"
    asked = _action(staff_client, changelist, "void", [invoice])
    assert asked.status_code == 200 and "Void these invoices?" in asked.content.decode()
    refused = _action(staff_client, changelist, "void", [invoice], confirmed="yes", reason="  ")
    assert refused.status_code == 400
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.ISSUED
    done = _action(staff_client, changelist, "void", [invoice], confirmed="yes", reason="Issued twice")
    assert done.status_code == 302
    invoice.refresh_from_db()
    assert (invoice.state, invoice.reason) == (InvoiceState.VOID, "Issued twice")


def test_crediting_in_the_admin_issues_a_credit_note(staff_client, make_member, issue, today):
    invoice = issue(make_member())
    dues.record_payment(invoice.pk, "100", today)
    _action(staff_client, "admin:governance_invoice_changelist", "void", [invoice], confirmed="yes", reason="Oops")
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.PARTLY_PAID  # a paid invoice cannot be voided: told, unchanged
    _action(staff_client, "admin:governance_invoice_changelist", "credit", [invoice], confirmed="yes", reason="Waived")
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.CREDITED and invoice.credit_note.amount == Decimal("-900.00")


def test_the_fee_schedule_refuses_unreadable_reminders(staff_client, full_category):
    response = staff_client.post(
        reverse("admin:governance_feeschedule_add"),
        {
            "category": full_category.pk,
            "amount": "100",
            "currency": "usd",
            "year_starts_month": "13",
            "payment_days": "30",
            "grace_days": "30",
            "arrears_days": "365",
            "reminder_days": "soon, later",
            "bands-TOTAL_FORMS": "0",
            "bands-INITIAL_FORMS": "0",
        },
    )
    content = response.content.decode()
    assert "Write whole numbers of days" in content and "ISO 4217" in content
    assert not FeeSchedule.objects.exists()


# --- The member's page: standing, suspension, termination ------------------------
def test_the_organisation_page_shows_the_standing_and_invoices_to_the_secretariat(staff_client, overdue_invoice):
    member = overdue_invoice.organisation
    page = staff_client.get(reverse("admin:members_organisation_change", args=[member.pk])).content.decode()
    assert "is in arrears" in page and overdue_invoice.reference in page


def test_suspending_in_the_admin_asks_for_a_reason_and_ends_the_offices(staff_client, make_member, posts, term, today):
    from governance.models import EndReason, Office

    city = make_member("Seat City")
    office = Office.objects.create(post=posts["member"], term=term, organisation=city, start_date=term.start_date)
    changelist = "admin:members_organisation_changelist"
    asked = _action(staff_client, changelist, "suspend", [city])
    assert asked.status_code == 200 and "Suspend these members?" in asked.content.decode()
    _action(staff_client, changelist, "suspend", [city], confirmed="yes", reason="Statutes breached")
    membership = Membership.objects.get(organisation=city)
    assert (membership.standing, membership.standing_reason) == (Standing.SUSPENDED, "Statutes breached")
    office.refresh_from_db()
    assert (office.end_date, office.end_reason) == (today, EndReason.MEMBERSHIP_ENDED)


def test_terminating_in_the_admin_makes_today_the_last_day(staff_client, make_member, today):
    city = make_member("Leaving City")
    _action(
        staff_client,
        "admin:members_organisation_changelist",
        "terminate",
        [city],
        confirmed="yes",
        reason="Asked to leave",
    )
    membership = Membership.objects.get(organisation=city)
    assert membership.end_date == today and membership.standing_reason == "Asked to leave"
