"""Renewal: beat issues next year's invoices ahead of the year, to every
member still a member when it begins, once each however often it runs."""

import datetime

import pytest

from governance.models import Invoice, InvoiceState
from governance.services import dues

pytestmark = pytest.mark.django_db


@pytest.fixture
def members(make_member, associate_category):
    return {
        "paris": make_member("Paris"),
        "lyon": make_member("Lyon"),
        "leaving": make_member("Leaving City", end_date=datetime.date(2026, 12, 31)),
        "suspended": make_member("Suspended City", standing="suspended"),
        "associate": make_member("Associate City", category=associate_category),  # no fee schedule
    }


def billed(year):
    return set(Invoice.objects.filter(period_start__year=year).values_list("organisation__name", flat=True))


def test_nothing_is_issued_before_the_days_ahead(members, schedule, settings):
    settings.DUES_RENEWAL_DAYS_AHEAD = 45
    assert dues.issue_renewals(on=datetime.date(2026, 11, 16)) == []  # 46 days before


def test_next_years_invoices_are_issued_once_the_year_is_near(members, schedule, settings):
    settings.DUES_RENEWAL_DAYS_AHEAD = 45
    issued = dues.issue_renewals(on=datetime.date(2026, 11, 17))  # 45 days before 1 January
    assert billed(2027) == {"Paris", "Lyon"}  # not the leaving, suspended or unscheduled
    assert all(invoice.due_on == datetime.date(2027, 1, 1) for invoice in issued)
    assert sorted(invoice.number for invoice in issued) == [1, 2]


def test_running_again_issues_nothing_twice(members, schedule):
    first = dues.issue_renewals(on=datetime.date(2026, 12, 1))
    again = dues.issue_renewals(on=datetime.date(2026, 12, 1))
    later = dues.issue_renewals(on=datetime.date(2026, 12, 20))
    assert len(first) == 2 and again == [] and later == []
    assert Invoice.objects.count() == 2


def test_a_voided_renewal_is_issued_again_on_the_next_run(members, schedule):
    first = dues.issue_renewals(on=datetime.date(2026, 12, 1))
    dues.void_invoice(first[0].pk, "Wrong address")
    again = dues.issue_renewals(on=datetime.date(2026, 12, 2))
    assert [invoice.organisation for invoice in again] == [first[0].organisation]
    assert Invoice.objects.filter(state=InvoiceState.VOID).count() == 1


def test_the_days_ahead_come_from_the_setting(members, schedule, settings):
    settings.DUES_RENEWAL_DAYS_AHEAD = 10
    assert dues.issue_renewals(on=datetime.date(2026, 12, 1)) == []
    assert len(dues.issue_renewals(on=datetime.date(2026, 12, 22))) == 2


def test_the_beat_task_runs_the_renewals(members, schedule, settings, eager):
    from governance.tasks import issue_renewal_invoices

    settings.DUES_RENEWAL_DAYS_AHEAD = 400  # next year is always within reach
    issue_renewal_invoices.delay()
    assert Invoice.objects.count() == 2
