"""A meeting's page in a real browser: the venue on the map and the times
in the reader's own zone, from static scripts only (no CSP violation)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1366])
def test_the_venue_is_on_the_map_and_the_times_are_also_in_the_readers_zone(
    browser, live_server, log_in_browser, paris_user, ga_meeting, width, settings
):
    settings.TILE_URL = live_server.url + "/static/none/{z}/{x}/{y}.png"  # no request leaves the machine
    ga_meeting.address = "4 Republic Square, Almaty"
    ga_meeting.latitude, ga_meeting.longitude = 43.238, 76.945
    ga_meeting.description = "The **ninth** General Assembly."
    ga_meeting.save()
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB", timezone_id="Europe/Paris")
    page = context.new_page()
    violations = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security" in message.text else None)
    log_in_browser(page, paris_user)
    page.goto(live_server.url + ga_meeting.get_absolute_url())
    page.wait_for_selector("#meeting-map .leaflet-marker-icon")
    reader = page.locator(".reader-time")
    assert reader.is_visible()
    assert "Your time:" in reader.inner_text() and "Europe/Paris" in reader.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=f"/tmp/shots_finish/meeting-features-{width}.png", full_page=True)
    assert violations == []
    context.close()


def test_a_reader_in_the_meetings_own_zone_sees_its_times_once(
    browser, live_server, log_in_browser, paris_user, ga_meeting
):
    context = browser.new_context(timezone_id="Asia/Seoul")
    page = context.new_page()
    log_in_browser(page, paris_user)
    page.goto(live_server.url + ga_meeting.get_absolute_url())
    assert page.locator(".reader-time").is_hidden()
    context.close()
