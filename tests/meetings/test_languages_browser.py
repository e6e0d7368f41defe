"""Arabic and Chinese in a real browser (issue 14): in Arabic the directory,
a meeting and the admin are laid out right to left, fit the screen at 390
and 1366 px and nothing overlaps; axe-core and the Nu HTML Checker find no
error on the public pages in Arabic and in Chinese. A reader in another time
zone than the meeting's reads its times in their own zone too, in their
language, on the meeting's page and in the lists of upcoming meetings."""

import datetime
import itertools
import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse

from governance.models import Meeting
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


# What Chromium's Intl (its CLDR) writes for 4 March 2031, 6:30 to 9:00 in
# Paris, after the page's label: in the page's language, with the Western
# digits the server writes (Arabic included), the reader's zone named.
READER_TIME = {
    "ko": "내 시간 기준: 2031년 3월 4일 오전 6:30~9:00 (Europe/Paris)",
    "ar": "توقيتك: 4 مارس 2031، 6:30–9:00 ص (Europe/Paris)",
}
# The venue's own times, written by the server (wego_portal/formats/).
VENUE_TIME = {
    "ko": "2031년 3월 4일 오후 2:30~오후 5:00 (Asia/Seoul, UTC+9)",
    "ar": "4 مارس 2031، 2:30 م – 5:00 م (Asia/Seoul, UTC+9)",
}


@pytest.mark.parametrize(("code", "locale"), [("ko", "ko-KR"), ("ar", "ar-EG")])
def test_a_reader_in_paris_sees_a_seoul_meeting_in_their_own_time_and_language(
    browser, live_server, log_in_browser, seoul_user, ga, term, code, locale
):
    seoul = zoneinfo.ZoneInfo("Asia/Seoul")
    meeting = Meeting.objects.create(
        body=ga,
        term=term,
        title="General Assembly 2031",
        start=datetime.datetime(2031, 3, 4, 14, 30, tzinfo=seoul),
        end=datetime.datetime(2031, 3, 4, 17, 0, tzinfo=seoul),
        time_zone="Asia/Seoul",
        venue="Seoul City Hall",
    )
    past = datetime.datetime(2020, 5, 6, 10, 0, tzinfo=seoul)
    Meeting.objects.create(body=ga, term=term, title="GA 2020", start=past, end=past + datetime.timedelta(hours=3))
    context = browser.new_context(locale=locale, timezone_id="Europe/Paris")
    context.add_cookies([{"name": "django_language", "value": code, "url": live_server.url}])
    page = context.new_page()
    log_in_browser(page, seoul_user)
    for path in [meeting.get_absolute_url(), reverse("meetings:list"), reverse("member_home:index")]:
        page.goto(live_server.url + path)
        # One line for the one upcoming meeting: a past one has none.
        reader = page.locator(".reader-time:not([hidden])")
        assert reader.count() == 1, path
        assert reader.inner_text() == READER_TIME[code], path
        assert page.locator(".when").first.inner_text() == VENUE_TIME[code], path
    context.close()
