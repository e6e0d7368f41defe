"""The secretariat's pages in a real browser, under the site's
Content-Security-Policy: django-import-export's "Select all" works, the
import, export and history pages log no violation, and the import page and
a meeting's page fit a 1366 px screen."""

import pytest
from django.urls import reverse

from tests.meetings.conftest import add_documents, make_meeting
from tests.members.test_admin import IMPORT_HEADER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def staff_page(page, live_server, log_in_browser, staff_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    violations = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security" in message.text else None)
    page.set_viewport_size(DESKTOP)
    log_in_browser(page, staff_user)
    page.violations = violations
    page.open = lambda path: page.goto(live_server.url + path)
    return page


def test_select_all_on_the_export_page_works_under_the_policy(staff_page, make_member):
    make_member("Seoul", country="KR")
    staff_page.open(reverse("admin:members_organisation_export"))
    fields = staff_page.locator('.selectable-field-export-row input[type="checkbox"]:visible')
    assert fields.count() > 3
    staff_page.locator('input[name="select-all-toggle"]').uncheck()
    assert all(not box.is_checked() for box in fields.all())
    staff_page.locator('input[name="select-all-toggle"]').check()
    assert all(box.is_checked() for box in fields.all())
    assert staff_page.violations == []


def test_the_import_export_and_history_pages_log_no_violation(staff_page, make_member):
    organisation = make_member("Seoul", country="KR")
    organisation.membership.end_date = organisation.membership.start_date
    organisation.membership.save()
    for path in [
        reverse("admin:members_organisation_import"),
        reverse("admin:members_organisation_export"),
        reverse("admin:members_organisation_history", args=[organisation.pk]),
        reverse("admin:members_membership_history", args=[organisation.membership.pk]),
    ]:
        staff_page.open(path)
        staff_page.wait_for_load_state("networkidle")
        assert staff_page.violations == [], path


def test_the_site_keeps_its_policy_without_the_admins_hashes(client):
    policy = client.get(reverse("members:directory"))["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-hashes" not in policy


def test_a_meetings_page_and_the_import_page_fit_1366_px(staff_page, ga, term, tmp_path, full_category):
    meeting = make_meeting(ga, term, title="General Assembly 2026")
    add_documents(meeting)
    staff_page.open(reverse("admin:governance_meeting_change", args=[meeting.pk]))
    assert staff_page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    # A stored document links to its download view, not to MEDIA_URL.
    link = staff_page.get_by_role("link", name="Download (PDF)").first
    assert link.get_attribute("href").startswith(f"/meetings/{meeting.slug}/")

    csv = tmp_path / "members.csv"
    long_text = "A description that goes on for a long while. " * 12
    csv.write_text(
        IMPORT_HEADER
        + f"a-long-slug,{'A city with a very long name ' * 4},local_government,KR,"
        + "https://www.example.org/a/very/long/address/that/goes/on/and/on/and/on/and/on,"
        + f"{long_text},37.5,127.0,0,full-member,2019-05-01,2019-05-01,\n"
    )
    staff_page.open(reverse("admin:members_organisation_import"))
    staff_page.locator('input[type="file"]').set_input_files(str(csv))
    staff_page.locator('input[type="submit"]').click()
    staff_page.wait_for_load_state("networkidle")
    assert staff_page.get_by_text("A city with a very long name").first.is_visible()  # the preview is shown
    staff_page.screenshot(path="/tmp/shots_finish/admin-import-preview-1366.png", full_page=True)
    assert staff_page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    assert staff_page.violations == []
