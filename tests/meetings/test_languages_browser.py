"""Arabic and Chinese in a real browser (issue 14): in Arabic the directory,
a meeting and the admin are laid out right to left, fit the screen at 390
and 1366 px and nothing overlaps; axe-core and the Nu HTML Checker find no
error on the public pages in Arabic and in Chinese."""

import itertools

import pytest
from django.test import Client

from tests.meetings.test_html import vnu
from tests.portal.test_accessibility import violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC = ["/", "/members/", "/governance/", "/meetings/", "/members/apply/"]


@pytest.fixture
def speaking(page, live_server):
    """The page in ``code``: the language cookie the switcher sets."""

    def speak(code, width):
        page.set_viewport_size({"width": width, "height": 900})
        page.context.add_cookies([{"name": "django_language", "value": code, "url": live_server.url}])
        return page

    return speak


def boxes(page, selector):
    return page.eval_on_selector_all(
        selector,
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })",
    )


def overlapping(rectangles):
    return [
        (a, b)
        for a, b in itertools.combinations(rectangles, 2)
        if a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1
    ]


def assert_mirrored_and_fits(page, width):
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # The heading starts on the right: its right edge at the content's right edge.
    heading = page.locator("main h1").first.bounding_box()
    main = page.locator("main").bounding_box()
    assert abs((heading["x"] + heading["width"]) - (main["x"] + main["width"])) < 40, (heading, main)


@pytest.mark.parametrize("width", [390, 1366])
def test_the_directory_in_arabic_is_mirrored_and_nothing_overlaps(speaking, live_server, make_member, width):
    for name, country in [("Seoul", "KR"), ("Tunis", "TN"), ("Muscat", "OM"), ("São Paulo", "BR")]:
        make_member(name, country=country)
    page = speaking("ar", width)
    page.goto(live_server.url + "/members/")
    assert page.locator("main h1").inner_text() == "دليل الأعضاء"
    assert_mirrored_and_fits(page, width)
    # The brand sits on the right of the header, as Arabic reads.
    brand = page.locator(".brand").bounding_box()
    assert brand["x"] + brand["width"] > width / 2
    cards = boxes(page, ".member-card")
    assert len(cards) == 4 and overlapping(cards) == []
    labels = boxes(page, "form.filters label, form.filters select, form.filters input")
    assert labels and all(right <= width for _left, _top, right, _bottom in labels)


@pytest.mark.parametrize("width", [390, 1366])
def test_a_meeting_in_arabic_is_mirrored_and_fits(speaking, live_server, log_in_browser, seoul_user, ga_meeting, width):
    page = speaking("ar", width)
    log_in_browser(page, seoul_user)
    page.goto(live_server.url + ga_meeting.get_absolute_url())
    assert_mirrored_and_fits(page, width)
    assert overlapping(boxes(page, "main section > h2")) == []


@pytest.mark.parametrize("width", [390, 1366])
def test_the_admin_in_arabic_is_mirrored_and_fits(speaking, live_server, log_in_browser, staff_user, width):
    page = speaking("ar", width)
    log_in_browser(page, staff_user)
    page.goto(live_server.url + "/admin/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    header = page.locator("#site-name").bounding_box()
    assert header["x"] + header["width"] > width / 2  # the site's name on the right


@pytest.mark.parametrize("code", ["ar", "zh-hans"])
@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages_in_arabic_and_chinese_have_no_accessibility_violations(
    speaking, live_server, make_member, code, path
):
    make_member("Seoul", country="KR")
    page = speaking(code, 390)
    page.goto(live_server.url + path)
    assert page.evaluate("document.documentElement.lang") == code
    assert violations(page) == []


@pytest.mark.parametrize("code", ["ar", "zh-hans"])
def test_public_pages_in_arabic_and_chinese_pass_the_nu_html_checker(code, make_member, tmp_path):
    make_member("Seoul", country="KR")
    client = Client()
    client.cookies["django_language"] = code
    files = []
    for number, path in enumerate(PUBLIC):
        response = client.get(path)
        assert response.status_code == 200, path
        assert f'lang="{code}"' in response.content.decode()
        files.append(tmp_path / f"page-{number}.html")
        files[-1].write_bytes(response.content)
    assert vnu(files) == []
