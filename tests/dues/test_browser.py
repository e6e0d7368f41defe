"""The dashboard and the member's dues in Chromium, under the site's
Content-Security-Policy: the charts are drawn (Chart.js from the site's own
static files, the numbers from json_script), nothing is refused by the
policy, and axe finds no WCAG 2.1 A/AA violation on /my/ or the dashboard."""

import pytest
from django.urls import reverse

from governance.services import dues
from governance.views import dashboard
from tests.portal.test_accessibility import violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ledger(make_member, issue, overdue_invoice, today):
    paris = make_member("Paris")
    invoice = issue(paris)
    dues.record_payment(invoice.pk, "400", today, "TRF-1")
    make_member("Seoul", country="KR")
    return paris


def watch(page):
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def test_the_dashboards_charts_are_drawn_under_the_policy(page, live_server, log_in_browser, staff_user, ledger):
    problems = watch(page)
    log_in_browser(page, staff_user)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + reverse("dashboard:index"))
    page.wait_for_load_state("networkidle")
    charts = page.locator("canvas[data-chart]")
    assert charts.count() == len(dashboard.SECTIONS)  # every section has rows here
    page.wait_for_function(f"document.querySelectorAll('canvas[data-drawn]').length === {len(dashboard.SECTIONS)}")
    assert problems == []
    assert violations(page) == []


def test_my_dues_have_no_accessibility_violation(page, live_server, log_in_browser, make_user, make_contact, ledger):
    user = make_user("focal@paris.example")
    make_contact(ledger, user=user, email=user.email)
    problems = watch(page)
    log_in_browser(page, user)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + reverse("member_home:index"))
        assert page.get_by_role("heading", name="Membership dues").is_visible()
        assert violations(page) == []
    assert problems == []
