"""axe-core (the engine behind most accessibility audits) run in Chromium on
the public pages: no violation of WCAG 2.1 A/AA rules."""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def members(make_member):
    make_member("São Paulo", country="BR", is_founding_member=True)
    make_member("Seoul", country="KR", is_founding_member=True)


def violations(page):
    results = Axe().run(page, options=AXE_OPTIONS)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[node['target'] for node in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize(
    "path",
    ["/", "/members/", "/members/?country=ZZ&q=nothing", "/members/seoul/", "/governance/", "/accounts/login/"],
)
@pytest.mark.parametrize("width", [1280, 390])
def test_public_pages_have_no_accessibility_violations(page, live_server, members, path, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + path)
    assert violations(page) == []
