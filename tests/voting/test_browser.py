"""A vote in session, in a real browser: Seoul votes in an open poll;
Almaty votes for itself and, by proxy, for Paris; the secretariat watches
the count rise on its live view without reloading, closes the poll, and the
result shows on the meeting page."""

import pytest

from governance.models import Ballot
from governance.services import voting
from tests.voting.conftest import accepted_proxy, present

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def contexts(browser):
    """Browser contexts of their own for several people at once, closed after the test."""
    opened = []

    def new():
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        opened.append(context)
        return context

    yield new
    for context in opened:
        context.close()


def test_seoul_and_almaty_vote_and_the_secretariat_closes_the_poll(
    contexts,
    live_server,
    log_in_browser,
    assembly,
    seoul,
    almaty,
    paris,
    seoul_user,
    paris_user,
    city_user,
    staff_user,
    make_poll,
):
    almaty_user = city_user(almaty, "almaty@example.org")
    accepted_proxy(assembly, paris, almaty, paris_user, staff_user)
    present(assembly, seoul, almaty)
    poll = make_poll()
    voting.open_poll(poll.pk, staff_user.pk)
    votes_url = live_server.url + f"/meetings/{assembly.slug}/votes/"

    def page_for(user):
        page = contexts().new_page()
        page.set_default_timeout(15_000)
        log_in_browser(page, user)
        return page

    secretariat = page_for(staff_user)
    secretariat.goto(live_server.url + f"/meetings/{assembly.slug}/votes/live/")
    row = secretariat.locator(f"#live-poll-{poll.pk}")
    assert "0 of 3" in row.locator(".live-voted").inner_text()

    seoul_page = page_for(seoul_user)
    seoul_page.goto(votes_url)
    seoul_page.get_by_role("group", name="The ballot of Seoul").get_by_label("Yes").check()
    seoul_page.get_by_role("button", name="Cast the ballot of Seoul").click()
    assert seoul_page.get_by_text("The ballot of Seoul is cast").is_visible()

    almaty_page = page_for(almaty_user)
    almaty_page.goto(votes_url)
    assert almaty_page.get_by_text("by proxy, held by Almaty").is_visible()  # the vote it carries
    almaty_page.get_by_role("group", name="The ballot of Almaty").get_by_label("Yes").check()
    almaty_page.get_by_role("button", name="Cast the ballot of Almaty").click()
    almaty_page.get_by_role("group", name="The ballot of Paris (by proxy)").get_by_label("No").check()
    almaty_page.get_by_role("button", name="Cast the ballot of Paris").click()
    assert almaty_page.get_by_text("Paris has voted.").is_visible()

    # The live view counts them without a reload.
    row.locator(".live-voted", has_text="3 of 3").wait_for()
    assert row.locator(".live-missing").inner_text() == "—"
    secretariat.get_by_role("button", name=f"Close “{poll.title}”").click()
    assert secretariat.get_by_text("is closed and counted").is_visible()

    seoul_page.goto(live_server.url + assembly.get_absolute_url())
    result = seoul_page.locator(f"#poll-{poll.pk}")
    assert "Carried" in result.inner_text()
    result.locator("summary", has_text="Who voted how").click()
    votes = result.locator("table.stacked").inner_text()
    assert "Paris" in votes and "by proxy" in votes
    assert Ballot.objects.filter(poll=poll).count() == 3
