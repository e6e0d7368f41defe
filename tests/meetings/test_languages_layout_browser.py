"""What the screenshots in seven languages showed wrong (issue 14), checked in
a real browser so that it stays right: at 390 px no page and no table
scrolls sideways in Russian, French, Spanish or Korean; a column's name on a
phone's card is not cut inside a word; a check box keeps its size beside a
long label; Korean lines break between words; in Arabic an invoice's number,
a file's extension and a date read in their own order; the map's buttons
speak the page's language and sit on its reading side; the dashboard's
charts read from the right in Arabic."""

import pytest

from governance.models import AgendaItem, Resolution

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 390


@pytest.fixture
def speaking(page, live_server, settings):
    """The page in ``code`` (the language switcher's cookie) at ``width``."""
    settings.TILE_URL = live_server.url + "/static/none/{z}/{x}/{y}.png"  # no request leaves the machine

    def speak(code, width=PHONE):
        page.set_viewport_size({"width": width, "height": 900})
        page.context.add_cookies([{"name": "django_language", "value": code, "url": live_server.url}])
        return page

    return speak


@pytest.fixture
def voted_meeting(ga_meeting):
    """The GA with a resolution carried by recorded votes on its agenda."""
    item = AgendaItem.objects.create(meeting=ga_meeting, position=1, title="Budget 2027")
    Resolution.objects.create(
        meeting=ga_meeting,
        agenda_item=item,
        text="The budget is adopted.",
        outcome="adopted",
        votes_for=2,
        votes_against=0,
        abstaining=0,
    )
    return ga_meeting


def sideways(page, width):
    """What is wider than the screen: the page, or a table scrolling inside it."""
    return page.evaluate(
        """(width) => {
          const found = [];
          const page = document.documentElement.scrollWidth;
          if (page > width) found.push(`page ${page}`);
          for (const table of document.querySelectorAll("main table, #content table")) {
            const [inner, outer] = [table.scrollWidth, table.clientWidth];
            if (inner > outer + 1) found.push(`${table.className} ${inner}>${outer}`);
          }
          return found;
        }""",
        width,
    )


def text_box(page, selector, needle, occurrence=0):
    """The box of the ``occurrence``-th ``needle`` in the text under ``selector``."""
    return page.evaluate(
        """([selector, needle, occurrence]) => {
          const walker = document.createTreeWalker(document.querySelector(selector), NodeFilter.SHOW_TEXT);
          let seen = 0;
          while (walker.nextNode()) {
            const text = walker.currentNode.textContent;
            for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
              if (seen++ < occurrence) continue;
              const range = document.createRange();
              range.setStart(walker.currentNode, at);
              range.setEnd(walker.currentNode, at + needle.length);
              const box = range.getBoundingClientRect();
              return {left: box.left, right: box.right, top: box.top};
            }
          }
          return null;
        }""",
        [selector, needle, occurrence],
    )


@pytest.mark.parametrize("code", ["ru", "fr", "es", "ko"])
def test_no_page_or_table_is_wider_than_a_phone(
    speaking, live_server, log_in_browser, seoul, seoul_user, voted_meeting, code
):
    page = speaking(code)
    for path in ["/members/", seoul.get_absolute_url(), "/governance/", "/meetings/", "/members/apply/"]:
        page.goto(live_server.url + path)
        assert sideways(page, PHONE) == [], path
    log_in_browser(page, seoul_user)
    for path in [voted_meeting.get_absolute_url(), "/my/"]:
        page.goto(live_server.url + path)
        assert sideways(page, PHONE) == [], path
    # The profile's offices and the votes on a resolution are cards, each
    # value under its column's name.
    page.goto(live_server.url + seoul.get_absolute_url())
    assert page.eval_on_selector(".office-table td", "td => getComputedStyle(td, '::before').content") != "none"


@pytest.mark.parametrize("code", ["ru", "fr", "es"])
def test_the_dashboard_fits_a_phone(speaking, live_server, log_in_browser, staff_user, make_member, issue, code):
    issue(make_member("Seoul", country="KR"))  # the dues' table has a row: five columns
    page = speaking(code)
    log_in_browser(page, staff_user)
    page.goto(live_server.url + "/admin/dashboard/")
    assert page.locator(".dashboard-table").count() > 3
    assert sideways(page, PHONE) == []


def test_a_cards_column_names_are_not_cut_inside_a_word(speaking, live_server, seoul):
    """French "Mode de désignation" on a governance card: the name's column is
    at least as wide as its longest word."""
    page = speaking("fr")
    page.goto(live_server.url + "/governance/")
    cut = page.evaluate(
        """() => [...document.querySelectorAll("table.stacked td[data-label]")].flatMap(td => {
          const label = getComputedStyle(td, "::before");
          const probe = document.createElement("span");
          probe.style.font = label.font;
          probe.style.position = "absolute";
          document.body.append(probe);
          const words = td.dataset.label.split(" ").filter(word => {
            probe.textContent = word;
            return probe.getBoundingClientRect().width > parseFloat(label.width) + 0.5;
          });
          probe.remove();
          return words;
        })"""
    )
    assert page.locator("table.stacked td[data-label]").count() > 0
    assert cut == []


@pytest.mark.parametrize(
    ("code", "path", "box"), [("ru", "/accounts/login/", "#id_remember"), ("fr", "/members/", "#id_excom")]
)
def test_a_check_box_keeps_its_size_beside_a_long_label(speaking, live_server, make_member, code, path, box):
    make_member("Seoul", country="KR")
    page = speaking(code)
    page.goto(live_server.url + path)
    size = page.locator(box).bounding_box()
    label = page.locator(f"label[for='{box[1:]}']").bounding_box()
    assert size["width"] == pytest.approx(19.2, abs=0.5) and size["height"] == pytest.approx(19.2, abs=0.5)
    assert label["y"] < size["y"] + size["height"]  # beside it, not under it


def test_korean_lines_break_between_words(speaking, live_server, make_member):
    make_member("Seoul", country="KR")
    page = speaking("ko")
    page.goto(live_server.url + "/")
    broken = page.evaluate(
        """() => {
          const lead = document.querySelector(".hero .lead");
          const node = lead.firstChild;
          const broken = [];
          let at = 0;
          for (const word of node.textContent.split(" ")) {
            if (word.trim()) {
              const range = document.createRange();
              range.setStart(node, at);
              range.setEnd(node, at + word.length);
              const tops = new Set([...range.getClientRects()].map(box => Math.round(box.top)));
              if (tops.size > 1) broken.push(word.trim());
            }
            at += word.length + 1;
          }
          return broken;
        }"""
    )
    lines = page.evaluate("document.querySelector('.hero .lead').getClientRects()[0].height")
    assert lines > 40  # the sentence does take several lines at 390 px
    assert broken == []


def test_in_arabic_numbers_and_extensions_read_in_their_own_order(
    speaking, live_server, log_in_browser, seoul_user, seoul, ga_meeting, issue
):
    invoice = issue(seoul)
    year, number = invoice.reference.split("-")
    page = speaking("ar", 1366)
    log_in_browser(page, seoul_user)
    page.goto(live_server.url + "/my/")
    link = f"a[href='{invoice.get_absolute_url()}']"
    assert text_box(page, link, year)["left"] < text_box(page, link, number)["left"]
    page.goto(live_server.url + ga_meeting.get_absolute_url())
    button = ".calendar-links .button"
    assert text_box(page, button, ".")["right"] <= text_box(page, button, "ics")["left"] + 0.5
    page.goto(live_server.url + "/meetings/")
    calendar = ".meeting-table td:last-child a"
    assert text_box(page, calendar, ".")["right"] <= text_box(page, calendar, "ics")["left"] + 0.5
    page.goto(live_server.url + "/members/apply/")
    help_text = "#id_head_term_ends_helptext"
    assert text_box(page, help_text, "2028")["left"] < text_box(page, help_text, "30")["left"]


@pytest.mark.parametrize(("code", "zoom_in", "side"), [("fr", "Zoom avant", "left"), ("ar", "تكبير", "right")])
def test_the_maps_buttons_speak_the_pages_language_on_its_reading_side(
    speaking, live_server, make_member, code, zoom_in, side
):
    make_member("Seoul", country="KR", latitude=37.5665, longitude=126.978)
    page = speaking(code, 1366)
    page.goto(live_server.url + "/members/")
    button = page.locator(f".leaflet-{side} .leaflet-control-zoom-in")
    assert button.get_attribute("title") == zoom_in
    assert button.get_attribute("aria-label") == zoom_in


def test_the_dashboards_charts_read_from_the_right_in_arabic(
    speaking, live_server, log_in_browser, staff_user, make_member
):
    make_member("Seoul", country="KR")
    page = speaking("ar", 1366)
    log_in_browser(page, staff_user)
    page.goto(live_server.url + "/admin/dashboard/")
    page.wait_for_selector("canvas[data-chart][data-drawn]")
    axes = page.evaluate(
        """() => [...document.querySelectorAll("canvas[data-chart]")]
          .map(canvas => Chart.getChart(canvas))
          .filter(chart => chart.config.type !== "doughnut")
          .map(chart => [chart.scales.x.options.reverse, chart.scales.y.position])"""
    )
    assert axes and all(axis == [True, "right"] for axis in axes)


@pytest.mark.parametrize(("code", "own", "other"), [("zh-hans", "SC", "KR"), ("ko", "KR", "SC")])
def test_chinese_and_korean_each_ask_for_their_own_fonts(speaking, live_server, code, own, other):
    """Han characters are drawn differently in Chinese and in Korean: a Korean
    font named for every page drew Chinese with Korean forms where both exist."""
    page = speaking(code)
    page.goto(live_server.url + "/")
    fonts = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert own in fonts and other not in fonts
