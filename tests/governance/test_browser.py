"""The governance page in Chromium, as a visitor uses it."""

import io

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reference_data():
    call_command("load_wego_data", stdout=io.StringIO())


def test_a_visitor_sees_the_president_city_and_follows_it_to_seouls_profile(page, live_server, reference_data):
    page.goto(f"{live_server.url}/governance/")
    assert page.get_by_role("heading", level=1).inner_text() == "How WeGO is governed"
    officers = page.get_by_role("table", name="Officers")
    president = officers.get_by_role("row").filter(has=page.get_by_role("rowheader", name="President City", exact=True))
    assert president.get_by_role("link").inner_text() == "Seoul"

    president.get_by_role("link", name="Seoul").click()
    page.wait_for_url("**/members/seoul/")
    assert page.get_by_role("heading", level=1).inner_text() == "Seoul"
    offices = page.locator(".profile-offices")
    assert offices.get_by_role("heading", name="Offices in WeGO").is_visible()
    assert "President City" in offices.get_by_role("rowheader").first.inner_text()
    assert "Holds now" in offices.inner_text() and "2025–2027" in offices.inner_text()


def test_the_executive_committee_link_opens_the_filtered_directory(page, live_server, reference_data):
    page.goto(f"{live_server.url}/governance/")
    page.get_by_role("link", name="The Executive Committee in the member directory").click()
    page.wait_for_url("**/members/?excom=1")
    assert len(page.locator(".member-name").all_inner_texts()) == 14
    assert page.get_by_label("Executive Committee members only").is_checked()


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("path", ["/governance/", "/members/seoul/"])
def test_the_governance_page_and_a_profile_with_offices_pass_an_accessibility_audit(
    page, live_server, reference_data, path, width
):
    from axe_playwright_python.sync_playwright import Axe

    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + path)
    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    )
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]] == []
