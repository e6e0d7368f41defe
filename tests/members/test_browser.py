import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def members(make_member, industry_category):
    make_member("São Paulo", country="BR", latitude=-23.55, longitude=-46.63, is_founding_member=True)
    make_member("Seoul", country="KR", latitude=37.57, longitude=126.98, is_founding_member=True)
    make_member("Almaty", country="KZ", latitude=43.22, longitude=76.85)
    make_member("Paris", country="FR", latitude=48.86, longitude=2.35, is_founding_member=True)
    make_member("Smart Vendor", country="KR", kind="provider", category=industry_category, latitude=37.5, longitude=127)


def members_on_the_map(page):
    """How many members the map shows, once its points have loaded: single
    markers count one, a cluster the number it is labelled with."""
    page.wait_for_selector("#member-map[data-loaded]", state="attached")
    clusters = page.locator(".marker-cluster").all_inner_texts()
    singles = page.locator(".leaflet-marker-icon:not(.marker-cluster)").count()
    return singles + sum(int(text) for text in clusters)


def test_a_visitor_searches_filters_opens_a_profile_and_sees_the_markers(page, live_server, members):
    page.goto(f"{live_server.url}/members/")
    assert members_on_the_map(page) == 5
    # Seoul and the vendor beside it (and Almaty) share a cluster at the world's zoom.
    assert page.locator(".marker-cluster").count() >= 1

    page.get_by_label("Search", exact=True).fill("sao paulo")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/members/?q=sao+paulo*")
    assert page.locator(".member-name").all_inner_texts() == ["São Paulo"]
    assert members_on_the_map(page) == 1

    page.get_by_role("link", name="Clear all filters").click()
    page.get_by_label("Region", exact=True).select_option("asia")
    page.get_by_label("Founding members only").check()
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**founding=1*")
    assert page.locator(".member-name").all_inner_texts() == ["Seoul"]
    assert page.get_by_label("Region", exact=True).input_value() == "asia"
    assert members_on_the_map(page) == 1

    page.get_by_role("link", name="Seoul").click()
    assert page.locator("h1").inner_text() == "Seoul"
    assert "Founding member" in page.content()


def test_the_map_marker_opens_a_link_to_the_profile(page, live_server, members):
    page.goto(f"{live_server.url}/members/?q=almaty")
    page.locator(".leaflet-marker-icon").click()
    page.locator(".leaflet-popup a", has_text="Almaty").click()
    page.wait_for_url("**/members/almaty/")


def test_the_page_runs_with_no_csp_violation(page, live_server, members):
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.goto(f"{live_server.url}/members/")
    page.wait_for_selector(".leaflet-marker-icon")
    assert violations == []


def test_the_filters_are_usable_with_the_keyboard_alone(page, live_server, members):
    page.goto(f"{live_server.url}/members/")
    page.get_by_label("Search", exact=True).focus()
    page.keyboard.type("seoul")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=seoul*")
    assert page.locator(".member-name").all_inner_texts() == ["Seoul"]


def test_the_form_submits_only_the_filters_that_are_set(page, live_server, members):
    asked = []
    page.on("request", lambda request: asked.append(request.url) if "/members/?" in request.url else None)
    page.goto(f"{live_server.url}/members/")
    page.get_by_label("Country").select_option("KR")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/members/?country=KR")
    # The browser asked for the clean URL itself: no round trip through the redirect.
    assert asked == [f"{live_server.url}/members/?country=KR"]
    assert page.locator(".member-name").all_inner_texts() == ["Seoul", "Smart Vendor"]


def test_an_empty_result_shows_the_message_and_no_map(page, live_server, members):
    page.goto(f"{live_server.url}/members/?q=atlantis")
    assert page.get_by_text("No member matches this search").is_visible()
    assert page.locator("#member-map").count() == 0
    assert page.get_by_role("link", name="CSV", exact=True).count() == 0


@pytest.mark.parametrize(
    ("query", "lowest", "highest"),
    [("?region=asia", 3, 6), ("?country=KR", 6, 6), ("?q=almaty", 6, 6)],
)
def test_the_map_fits_the_markers_found_and_stops_at_a_city_zoom(page, live_server, members, query, lowest, highest):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{live_server.url}/members/{query}")
    page.wait_for_selector("#member-map[data-loaded]", state="attached")
    zoom = int(page.locator("#member-map").get_attribute("data-zoom"))
    assert lowest <= zoom <= highest
    # Every marker found is inside the view: none falls off its edges.
    box = page.locator("#member-map").bounding_box()
    for marker in page.locator(".leaflet-marker-icon").all():
        icon = marker.bounding_box()
        assert box["x"] <= icon["x"] and icon["x"] + icon["width"] <= box["x"] + box["width"]


@pytest.fixture
def many(monkeypatch):
    """Every result counts as many: the map is sent a count per cell of the
    grid, and reads a cell's points when it is zoomed in on it."""
    from members import views

    monkeypatch.setattr(views, "MAP_POINTS_LIMIT", 0)


def settled_count(page, expected, timeout=5):
    """members_on_the_map once the clusters have finished moving (they
    animate for a moment after a zoom): the last count read."""
    import time

    deadline = time.monotonic() + timeout
    while (count := members_on_the_map(page)) != expected and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    return count


def test_with_many_members_the_map_counts_them_by_cell_and_zooms_in_to_their_points(page, live_server, members, many):
    cells = []
    page.on("request", lambda request: cells.append(request.url) if "cell=" in request.url else None)
    page.goto(f"{live_server.url}/members/")
    assert members_on_the_map(page) == 5
    assert page.locator(".leaflet-marker-icon:not(.marker-cluster)").count() == 0  # counts, not points
    assert cells == []  # nothing read cell by cell at the world's zoom

    # In Asia, Seoul and the vendor share a cell: selecting it zooms in and reads its points.
    page.goto(f"{live_server.url}/members/?region=asia")
    assert settled_count(page, 3) == 3
    page.locator(".marker-cluster", has_text="2").click()
    page.wait_for_function("() => document.querySelector('#member-map').dataset.cellsRead !== undefined")
    assert any("cell=25%2C61" in url for url in cells)
    assert settled_count(page, 2) == 2


def test_a_members_point_read_from_its_cell_opens_its_profile(page, live_server, members, many):
    page.goto(f"{live_server.url}/members/?country=FR")
    # One cell: the map is set on it at a city's zoom and reads its points.
    page.locator(".leaflet-marker-icon[title='Paris']").click()
    page.locator(".leaflet-popup a", has_text="Paris").click()
    page.wait_for_url("**/members/paris/")
