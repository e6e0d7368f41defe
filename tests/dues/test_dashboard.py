"""The staff dashboard: who may open it, what it counts, that each chart has
its table, and that it costs the same for few members as for many."""

import datetime
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance import figures
from governance.services import dues
from members.models import Membership, Organisation

pytestmark = pytest.mark.django_db

URL = reverse("dashboard:index")


@pytest.mark.parametrize(("who", "status"), [("anonymous", 302), ("outsider", 404), ("member", 404), ("staff", 200)])
def test_only_the_secretariat_opens_the_dashboard(
    client, make_user, make_contact, make_member, staff_user, who, status
):
    if who == "member":
        user = make_user()
        make_contact(make_member(), user=user, email=user.email)
        client.force_login(user)
    elif who == "outsider":
        client.force_login(make_user())
    elif who == "staff":
        client.force_login(staff_user)
    response = client.get(URL)
    assert response.status_code == status
    if who == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))


def test_the_admin_home_links_to_the_dashboard(staff_client):
    assert URL in staff_client.get(reverse("admin:index")).content.decode()


@pytest.fixture
def ledger(make_member, issue, overdue_invoice, today, associate_category):
    """Paris paid in full, Lyon in part, Dortmund in arrears (Europe); Seoul
    current, unbilled (Asia); a suspended city and an associate member."""
    paris, lyon = make_member("Paris"), make_member("Lyon")
    make_member("Seoul", country="KR")
    make_member("Suspended City", standing="suspended")
    make_member("Associate City", category=associate_category)
    paid = issue(paris)
    dues.record_payment(paid.pk, "1000", today)
    part = issue(lyon)
    dues.record_payment(part.pk, "300", today)
    return {"paid": paid, "part": part, "overdue": overdue_invoice}


def test_members_are_counted_by_status_category_and_region(ledger):
    status = dict(figures.members_by_status().rows)
    assert status["Current"] == 5 and status["Suspended"] == 1
    assert dict(figures.members_by_category().rows) == {"Full Member": 4, "Associate Member": 1}
    assert dict(figures.members_by_region().rows) == {"Asia": 1, "Europe": 4}


def test_dues_are_billed_paid_and_outstanding_per_year(ledger, today):
    section = figures.dues_by_year()
    by_year = {row[0]: row[1:] for row in section.rows}
    this_year = f"{today.year} (USD)"
    overdue_year = f"{ledger['overdue'].period_start.year} (USD)"
    expected = {this_year: [Decimal("2000"), Decimal("1300"), 0, Decimal("700")]}
    if overdue_year == this_year:
        expected[this_year] = [Decimal("3000"), Decimal("1300"), 0, Decimal("1700")]
    else:
        expected[overdue_year] = [Decimal("1000"), 0, 0, Decimal("1000")]
    assert {year: list(values) for year, values in by_year.items()} == expected


def test_a_credit_note_is_not_outstanding(ledger, today):
    dues.credit_invoice(ledger["part"].pk, "Waived")
    by_year = {row[0]: row[1:] for row in figures.dues_by_year().rows}
    billed, paid, credited, outstanding = by_year[f"{today.year} (USD)"]
    assert credited == Decimal("700") and outstanding == billed - paid - credited


def test_arrears_are_counted_by_region(ledger):
    assert figures.arrears_by_region().rows == [("Europe", 1)]


def test_retention_counts_who_was_still_a_member_a_year_later(make_member, today):
    jan = datetime.date(today.year - 1, 1, 1)
    make_member("Stayed", start_date=jan - datetime.timedelta(days=400))
    make_member("Left", start_date=jan - datetime.timedelta(days=400), end_date=jan + datetime.timedelta(days=30))
    last = figures.retention().rows[-1]
    assert last == (today.year - 1, 2, 1, 50.0)


def test_each_chart_has_its_table_and_its_numbers_reach_the_script_as_json(staff_client, ledger):
    page = staff_client.get(URL).content.decode()
    for slug in ("status", "category", "region", "dues", "arrears", "retention"):
        assert f'id="section-{slug}"' in page and f'data-chart="{slug}"' in page
    assert page.count("<table") >= 6
    start = page.index('<script id="dashboard-charts" type="application/json">') + len(
        '<script id="dashboard-charts" type="application/json">'
    )
    charts = json.loads(page[start : page.index("</script>", start)])
    assert charts["region"]["labels"] == ["Asia", "Europe"] and charts["region"]["datasets"][0]["data"] == [1, 4]
    assert "chartjs/chart.umd.min.js" in page and "js/dashboard.js" in page
    assert "<script>" not in page  # no inline script


def test_the_dashboard_costs_the_same_for_few_members_as_for_many(staff_client, full_category, ledger):
    def count():
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(URL).status_code == 200
        return len(captured)

    small = count()
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(name=f"Bulk {i}", slug=f"bulk-{i}", country=["BR", "NG", "JP"][i % 3], kind="local_government")
            for i in range(300)
        ]
    )
    Membership.objects.bulk_create([Membership(organisation=o, category=full_category) for o in organisations])
    assert count() == small


def test_a_section_is_one_entry_in_the_list(staff_client, monkeypatch):
    from governance.views import dashboard

    extra = figures.Section("extra", "Applications by state", ["State", "Applications"], [("Submitted", 3)])
    monkeypatch.setattr(dashboard, "SECTIONS", [*dashboard.SECTIONS, lambda: extra])
    page = staff_client.get(URL).content.decode()
    assert 'id="section-extra"' in page and "Applications by state" in page
