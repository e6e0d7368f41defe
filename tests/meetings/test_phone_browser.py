"""On a phone (390 px) the tables of records become cards: nothing is
clipped or pushed off the screen, the Remove button included, and no page
scrolls sideways."""

import pytest
from django.urls import reverse

from governance.services import meetings as meeting_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def assert_fits(page, selector):
    """Every element of ``selector`` lies inside the screen, and the page is
    no wider than the screen."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    boxes = page.eval_on_selector_all(
        selector,
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.left, r.right, r.width]; })",
    )
    assert boxes, f"nothing matched {selector}"
    for left, right, width in boxes:
        assert width > 0 and left >= 0 and right <= PHONE["width"], (selector, left, right)


def test_a_meetings_documents_and_delegates_fit_a_phone(
    page, live_server, log_in_browser, paris_user, paris, ga_meeting
):
    meeting_services.register_delegate(
        ga_meeting.pk,
        paris.pk,
        paris_user.pk,
        "Anne-Sophie Delacroix-Montgomery",
        "anne.sophie.delacroix@paris.fr",
        True,
    )
    page.set_viewport_size(PHONE)
    log_in_browser(page, paris_user)
    page.goto(live_server.url + ga_meeting.get_absolute_url())
    assert_fits(page, "table.stacked td, table.stacked th")
    remove = page.get_by_role("button", name="Remove Anne-Sophie Delacroix-Montgomery")
    assert_fits(page, ".delegates button")
    assert remove.is_visible()
    # Each value keeps its column's name.
    label = page.eval_on_selector(".delegates td", "td => getComputedStyle(td, '::before').content")
    assert label == '"E-mail address"'


@pytest.mark.parametrize("url_name", ["meetings:list", "governance:index", "member_home:index"])
def test_lists_of_records_fit_a_phone(
    page, live_server, log_in_browser, paris_user, paris, ga_meeting, seoul, url_name
):
    meeting_services.register_delegate(ga_meeting.pk, paris.pk, paris_user.pk, "Anne", "anne@paris.fr", True)
    page.set_viewport_size(PHONE)
    log_in_browser(page, paris_user)
    page.goto(live_server.url + reverse(url_name))
    assert_fits(page, "table.stacked td, table.stacked th")
