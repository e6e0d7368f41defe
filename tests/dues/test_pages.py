"""What the member and the public see of dues: the invoices, payments and
standing on /my/, the invoice PDF (who may download it), and that arrears
never reach a public page."""

import datetime
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from governance.services import dues

pytestmark = pytest.mark.django_db


@pytest.fixture
def paris(make_member):
    return make_member("Paris")


@pytest.fixture
def paris_user(make_user, make_contact, paris):
    user = make_user("focal@paris.example")
    make_contact(paris, user=user, email=user.email)
    return user


@pytest.fixture
def other_member_user(make_user, make_contact, make_member):
    user = make_user("focal@lyon.example")
    make_contact(make_member("Lyon"), user=user, email=user.email)
    return user


@pytest.fixture
def paris_invoice(paris, issue, today, staff_user):
    invoice = issue(paris, on=today - datetime.timedelta(days=5))
    dues.record_payment(invoice.pk, "250.00", today, "TRF-PARIS-1", by_user_id=staff_user.pk)
    invoice.refresh_from_db()
    return invoice


def pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


# --- The PDF -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("outsider", 404), ("other member", 404), ("member", 200), ("staff", 200)],
)
def test_who_may_download_an_invoice(
    client, paris_invoice, paris_user, other_member_user, make_user, staff_user, who, status
):
    users = {
        "outsider": make_user("nobody@example.org"),
        "other member": other_member_user,
        "member": paris_user,
        "staff": staff_user,
    }
    if who in users:
        client.force_login(users[who])
    response = client.get(paris_invoice.get_absolute_url())
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("account_login"))
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert "no-store" in response["Cache-Control"]
        assert f"wego-invoice-{paris_invoice.reference}.pdf" in response["Content-Disposition"]


def test_the_pdf_parses_and_says_what_is_owed(client, paris_invoice, paris_user):
    client.force_login(paris_user)
    text = pdf_text(client.get(paris_invoice.get_absolute_url()).content)
    assert f"Invoice {paris_invoice.reference}" in text
    assert "Paris" in text and "Full Member" in text
    assert "1,000.00\u00a0USD" in text and "750.00\u00a0USD" in text  # the fee, and what is left after 250
    assert "Partly paid" in text and paris_invoice.reference in text


def test_a_credit_note_has_its_own_pdf(client, paris_invoice, paris_user):
    note = dues.credit_invoice(paris_invoice.pk, "Waived for the year")
    client.force_login(paris_user)
    response = client.get(note.get_absolute_url())
    text = pdf_text(response.content)
    assert f"Credit note {note.reference}" in text and paris_invoice.reference in text
    assert "Waived for the year" in text


def test_a_name_outside_latin_1_does_not_break_the_pdf(make_member, issue):
    from governance import invoice_pdf

    invoice = issue(make_member("서울특별시"))
    assert pdf_text(invoice_pdf.render(invoice))  # printed as "?", not an error


def test_an_unknown_invoice_is_a_404(client, paris_user):
    client.force_login(paris_user)
    assert client.get(reverse("dues:invoice_pdf", args=[987654])).status_code == 404


# --- /my/ ----------------------------------------------------------------------
def test_the_member_sees_its_invoices_payments_and_vote(client, paris_invoice, paris_user):
    client.force_login(paris_user)
    page = client.get(reverse("member_home:index")).content.decode()
    assert paris_invoice.reference in page and paris_invoice.get_absolute_url() in page
    assert "TRF-PARIS-1" in page and "Partly paid" in page
    assert "<bdi>Paris</bdi> carries a vote in the General Assembly." in page


def test_a_member_in_arrears_is_told_why_on_its_page(client, overdue_invoice, make_user, make_contact):
    user = make_user("focal@arrears.example")
    make_contact(overdue_invoice.organisation, user=user, email=user.email)
    client.force_login(user)
    page = client.get(reverse("member_home:index")).content.decode()
    assert "is in arrears" in page and overdue_invoice.reference in page


def test_another_members_invoices_are_not_on_the_page(client, paris_invoice, other_member_user):
    client.force_login(other_member_user)
    page = client.get(reverse("member_home:index")).content.decode()
    assert paris_invoice.reference not in page and "TRF-PARIS-1" not in page


def test_the_page_costs_the_same_for_one_invoice_as_for_many(client, paris, paris_user, issue, today):
    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("member_home:index")).status_code == 200
        return len(captured)

    client.force_login(paris_user)
    invoice = issue(paris, today.year - 8, on=datetime.date(today.year - 8, 1, 10))
    dues.record_payment(invoice.pk, "10", today)
    small = count()
    for back in range(7, 0, -1):
        invoice = issue(paris, today.year - back, on=datetime.date(today.year - back, 1, 10))
        dues.record_payment(invoice.pk, "10", today)
        dues.record_payment(invoice.pk, "20", today)
    assert count() == small


# --- Never public -----------------------------------------------------------------
def test_arrears_and_invoices_never_reach_the_public_pages(client, overdue_invoice):
    member = overdue_invoice.organisation
    pages = {
        "directory": client.get(reverse("members:directory")),
        "profile": client.get(member.get_absolute_url()),
        "csv": client.get(reverse("members:export_csv")),
        "json": client.get(reverse("members:export_json")),
        "map": client.get(reverse("members:map_points")),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode()
        assert member.name in text, f"{name} lists the member"
        for secret in ("arrears", "Arrears", overdue_invoice.reference, "invoice", "1000.00"):
            assert secret not in text, f"{name} shows {secret!r}"
    points = json.loads(pages["map"].content)["points"]
    assert all(len(point) == 4 for point in points)  # name, slug, latitude, longitude: nothing more
