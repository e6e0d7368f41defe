"""The secretariat's figures: members by status, category and region; dues
billed, paid and outstanding per year; arrears by region; retention. Read
by the staff dashboard (``views/dashboard.py``), each as a ``Section``: a
table (for everyone, screen readers included) and the chart drawn from the
same numbers.

Every function runs a fixed number of queries, whatever the number of
members: counting is done by the database, and a region (derived from the
country, never stored) is added up from the counts per country.
"""

import datetime
import statistics
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members import m49
from members.languages import localized
from members.models import Membership, MembershipStatus, Organisation

from .models import Invoice, InvoiceKind, InvoiceState, Payment, in_arrears
from .models.applications import OPEN_STATES as OPEN_APPLICATION_STATES
from .models.applications import Application, ApplicationState
from .models.dues import ZERO

RETENTION_YEARS = 5


@dataclass
class Section:
    """One part of the dashboard: a titled table, and a chart of one of its
    numeric columns (``chart_column``) per row label."""

    slug: str
    title: str
    columns: list
    rows: list = field(default_factory=list)
    chart: str = "bar"  # a Chart.js type
    chart_columns: tuple = (1,)
    note: str = ""

    def chart_data(self):
        """What the page's script draws, handed over with json_script."""
        return {
            "type": self.chart,
            "labels": [str(row[0]) for row in self.rows],
            "datasets": [
                {"label": str(self.columns[index]), "data": [_number(row[index]) for row in self.rows]}
                for index in self.chart_columns
            ],
        }


def _number(value):
    """A figure for the chart; None (a gap) where the table says "—"."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _region_name(country_code):
    slug = m49.region_slug_for_country(country_code)
    return str(m49.region_name(slug)) if slug else str(_("Unknown"))


def members_by_status(on=None):
    counts = dict(Membership.objects.with_status(on).values_list("status_value").annotate(n=Count("pk")).order_by())
    rows = [(status.label, counts.get(status.value, 0)) for status in MembershipStatus]
    return Section("status", _("Members by status"), [_("Status"), _("Members")], rows, chart="doughnut")


def members_by_category(on=None):
    rows = list(
        Membership.objects.current(on)
        .annotate(category_name=localized("category__name"))
        .values_list("category_name")
        .annotate(n=Count("pk"))
        .order_by("category__position", "category__name")
    )
    return Section("category", _("Current members by category"), [_("Category"), _("Members")], rows)


def members_by_region(on=None):
    counts = Counter()
    for country, n in (
        Organisation.objects.current_members(on).values_list("country").annotate(n=Count("pk")).order_by()
    ):
        counts[_region_name(country)] += n
    rows = sorted(counts.items())
    return Section("region", _("Current members by region"), [_("Region"), _("Members")], rows)


def dues_by_year():
    """Per membership year and currency: billed (invoices not voided), paid,
    credited and outstanding."""
    live = Invoice.objects.filter(kind=InvoiceKind.INVOICE).exclude(state=InvoiceState.VOID)
    billed = {
        (row["period_start__year"], row["currency"]): row["total"]
        for row in live.values("period_start__year", "currency").annotate(total=Sum("amount")).order_by()
    }
    paid = {
        (row["invoice__period_start__year"], row["invoice__currency"]): row["total"]
        for row in Payment.objects.values("invoice__period_start__year", "invoice__currency")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    credited = {
        (row["period_start__year"], row["currency"]): -row["total"]
        for row in Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE)
        .values("period_start__year", "currency")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    # "Paid" and "Credited" also name an invoice's states: here they are amounts.
    paid_column, credited_column = pgettext_lazy("amount", "Paid"), pgettext_lazy("amount", "Credited")
    rows = []
    for year, currency in sorted(billed):
        key = (year, currency)
        # Nothing paid or credited is 0.00 like the sums, so each column shows two places.
        b, p, c = billed[key], paid.get(key, ZERO), credited.get(key, ZERO)
        rows.append((f"{year} ({currency})", b, p, c, b - p - c))
    return Section(
        "dues",
        _("Dues per membership year"),
        [_("Year"), _("Billed"), paid_column, credited_column, _("Outstanding")],
        rows,
        chart_columns=(1, 2, 4),
    )


def arrears_by_region(on=None):
    on = on or timezone.localdate()
    counts = Counter()
    for country, n in (
        in_arrears(Organisation.objects.all(), on).values_list("country").annotate(n=Count("pk")).order_by()
    ):
        counts[_region_name(country)] += n
    rows = sorted(counts.items())
    return Section(
        "arrears",
        _("Members in arrears by region"),
        [_("Region"), _("Members in arrears")],
        rows,
        note=_("Never shown publicly."),
    )


def application_figures(today=None):
    """Per state: how many applications, and for the open states the age in
    days (since submission, on ``today``) of the oldest and the median one.

    ``{state: {"label", "count", "oldest_days", "median_days"}}``, every
    state present (a count of 0, ages None when there is none or the state
    is closed). Two queries, whatever the number of applications.
    """
    today = today or timezone.localdate()
    counts = dict(Application.objects.values_list("state").annotate(n=Count("pk")).order_by())
    ages = {state: [] for state in OPEN_APPLICATION_STATES}
    for state, submitted_at in Application.objects.open().values_list("state", "submitted_at"):
        ages[state].append((today - timezone.localdate(submitted_at)).days)
    figures = {}
    for state in ApplicationState:
        open_ages = ages.get(state, [])
        figures[state.value] = {
            "label": state.label,
            "count": counts.get(state.value, 0),
            "oldest_days": max(open_ages) if open_ages else None,
            "median_days": statistics.median(open_ages) if open_ages else None,
        }
    return figures


def applications_by_state(today=None):
    """The applications in each state, and how long the open ones have waited."""
    rows = [
        (figure["label"], figure["count"], _days(figure["oldest_days"]), _days(figure["median_days"]))
        for figure in application_figures(today).values()
    ]
    return Section(
        "applications",
        _("Applications by state"),
        [_("State"), _("Applications"), _("Oldest open (days)"), _("Median open (days)")],
        rows,
    )


def _days(value):
    return "—" if value is None else value


def retention(on=None, years=RETENTION_YEARS):
    """Of the members current on 1 January of a year, how many were still
    current a year later (the last ``years`` years that have ended)."""
    on = on or timezone.localdate()
    days = [datetime.date(on.year - back, 1, 1) for back in range(years, -1, -1)]
    current = {day: set(Membership.objects.current(day).values_list("organisation_id", flat=True)) for day in days}
    rows = []
    for start, end in zip(days, days[1:], strict=False):
        before = current[start]
        kept = len(before & current[end])
        rate = round(100 * kept / len(before), 1) if before else None
        rows.append((start.year, len(before), kept, rate if rate is not None else "—"))
    return Section(
        "retention",
        _("Retention: members still members a year later"),
        [_("Year"), _("Members on 1 January"), _("Still members a year later"), _("Retention (%)")],
        rows,
        chart="line",
        chart_columns=(3,),
    )


def outstanding_invoices_count():
    """Open invoices, and how many of them are past their grace period."""
    today = timezone.localdate()
    return Invoice.objects.open().aggregate(open=Count("pk"), in_arrears=Count("pk", filter=Q(arrears_on__lte=today)))


__all__ = [
    "Section",
    "arrears_by_region",
    "dues_by_year",
    "members_by_category",
    "members_by_region",
    "members_by_status",
    "outstanding_invoices_count",
    "retention",
]
