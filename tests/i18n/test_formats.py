"""Dates, times and numbers as each of the portal's seven languages writes
them (issue 14), and the machine-read values that must not follow the
language.

The expected texts are Django's locale formats, with the portal's own where
it sets them (wego_portal/formats/), which follow the Unicode CLDR: Korean
"2031년 3월 4일 오후 2:30" (CLDR's "y년 M월 d일 a h:mm"), Russian months in the
genitive ("4 марта 2031 г."), Arabic month names with Western digits and
CLDR's "ar" separators (1,234.50), Chinese "2031年3月4日", thousands grouped
by a no-break space and a decimal comma in French, Spanish and Russian
("12 345,50"), by a comma elsewhere. The dates, times and numbers of each
line are the ones Chromium's Intl (CLDR 48) writes for the same moment and
amount, except where the portal keeps Django's choice (Spanish and French
"09:00", Spanish grouping, English "Nov." for November) and says why in
wego_portal/formats/.
"""

import csv
import datetime
import html
import io
import json
import re
import zoneinfo
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from governance import invoice_pdf, notices
from governance.models import AgendaItem, FeeSchedule, Meeting, Office, Term
from governance.services import dues

pytestmark = pytest.mark.django_db

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
ST_JOHNS = zoneinfo.ZoneInfo("America/St_Johns")  # half an hour off the hour, behind UTC
NBSP = "\u00a0"

LANGUAGES = ["en", "fr", "es", "ko", "ar", "ru", "zh-hans"]

# A meeting on 4 March 2031 in Seoul, 14:30 to 17:00: its times on its page.
MEETING = {
    "en": "March 4, 2031, 2:30 PM – 5:00 PM (Asia/Seoul, UTC+9)",
    "fr": "4 mars 2031, 14:30 – 17:00 (Asia/Seoul, UTC+9)",
    "es": "4 de marzo de 2031 a las 14:30 – 17:00 (Asia/Seoul, UTC+9)",
    "ko": "2031년 3월 4일 오후 2:30~오후 5:00 (Asia/Seoul, UTC+9)",
    "ar": "4 مارس 2031، 2:30 م – 5:00 م (Asia/Seoul, UTC+9)",
    "ru": "4 марта 2031 г., 14:30 – 17:00 (Asia/Seoul, UTC+9)",
    "zh-hans": "2031年3月4日 14:30至17:00 (Asia/Seoul, UTC+9)",
}

# A meeting over three days in St. John's (UTC−3:30 in March), 9:00 on the
# 4th to 12:30 on the 6th: the end carries its own date.
MEETING_OVER_DAYS = {
    "en": "March 4, 2031, 9:00 AM – March 6, 2031, 12:30 PM (America/St_Johns, UTC−3:30)",
    "fr": "4 mars 2031, 09:00 – 6 mars 2031, 12:30 (America/St_Johns, UTC−3:30)",
    "es": "4 de marzo de 2031 a las 09:00 – 6 de marzo de 2031 a las 12:30 (America/St_Johns, UTC−3:30)",
    "ko": "2031년 3월 4일 오전 9:00~2031년 3월 6일 오후 12:30 (America/St_Johns, UTC−3:30)",
    "ar": "4 مارس 2031، 9:00 ص – 6 مارس 2031، 12:30 م (America/St_Johns, UTC−3:30)",
    "ru": "4 марта 2031 г., 9:00 – 6 марта 2031 г., 12:30 (America/St_Johns, UTC−3:30)",
    "zh-hans": "2031年3月4日 09:00至2031年3月6日 12:30 (America/St_Johns, UTC−3:30)",
}

# Another moment of that meeting (a poll's closing, a proxy given), 05:30 UTC
# on 4 March 2031: in the meeting's zone, the long form (a short date reads
# both ways), the zone named.
MOMENT = {
    "en": "March 4, 2031, 2:30 PM (Asia/Seoul, UTC+9)",
    "fr": "4 mars 2031, 14:30 (Asia/Seoul, UTC+9)",
    "es": "4 de marzo de 2031 a las 14:30 (Asia/Seoul, UTC+9)",
    "ko": "2031년 3월 4일 오후 2:30 (Asia/Seoul, UTC+9)",
    "ar": "4 مارس 2031، 2:30 م (Asia/Seoul, UTC+9)",
    "ru": "4 марта 2031 г., 14:30 (Asia/Seoul, UTC+9)",
    "zh-hans": "2031年3月4日 14:30 (Asia/Seoul, UTC+9)",
}

# A past term's first day, 4 November 2016, on the governance page.
TERM_START = {
    "en": "Nov. 4, 2016",
    "fr": "4 novembre 2016",
    "es": "4 de noviembre de 2016",
    "ko": "2016년 11월 4일",
    "ar": "4 نوفمبر 2016",
    "ru": "4 ноября 2016 г.",
    "zh-hans": "2016年11月4日",
}

# A yearly fee of 12,345.50 US dollars on the member's page (/my/).
FEE = {
    "en": f"12,345.50{NBSP}USD",
    "fr": f"12{NBSP}345,50{NBSP}USD",
    "es": f"12{NBSP}345,50{NBSP}USD",
    "ko": f"12,345.50{NBSP}USD",
    "ar": f"12,345.50{NBSP}USD",
    "ru": f"12{NBSP}345,50{NBSP}USD",
    "zh-hans": f"12,345.50{NBSP}USD",
}


def text(fragment):
    """What a reader sees of an HTML fragment: no tags, entities read."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


@pytest.fixture
def seoul(make_member):
    return make_member("Seoul", country="KR", latitude=Decimal("37.56650"), longitude=Decimal("126.97800"))


@pytest.fixture
def seoul_user(make_user, make_contact, seoul):
    user = make_user("focal@seoul.example")
    make_contact(seoul, user=user, email=user.email)
    return user


@pytest.fixture
def meeting(ga, term, seoul):
    return Meeting.objects.create(
        body=ga,
        term=term,
        title="General Assembly 2031",
        start=datetime.datetime(2031, 3, 4, 14, 30, tzinfo=SEOUL),
        end=datetime.datetime(2031, 3, 4, 17, 0, tzinfo=SEOUL),
        time_zone="Asia/Seoul",
        venue="Seoul City Hall",
        latitude=Decimal("37.566500"),
        longitude=Decimal("126.978000"),
    )


@pytest.fixture
def past_term(seoul, posts):
    """A term of 4 November 2016 to 20 October 2019, Seoul its President City."""
    term = Term.objects.create(
        name="2016–2019", start_date=datetime.date(2016, 11, 4), end_date=datetime.date(2019, 10, 20)
    )
    Office.objects.create(post=posts["president"], term=term, organisation=seoul, start_date=term.start_date)
    return term


def body(response):
    """A response's text, streamed or not."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8-sig")


def speaking(client, code):
    client.cookies["django_language"] = code
    return client


def when_on(page):
    (span,) = re.findall(r'<span class="when">(.*?</span>)</span>', page)
    return text(span)


@pytest.mark.parametrize("code", LANGUAGES)
def test_a_meeting_page_gives_its_times_in_its_zone_as_the_language_writes_them(client, seoul_user, meeting, code):
    client.force_login(seoul_user)
    page = speaking(client, code).get(meeting.get_absolute_url()).content.decode()
    assert when_on(page) == MEETING[code]


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_when_fragment_dates_the_end_of_a_meeting_over_several_days(ga, term, code):
    meeting = Meeting(
        body=ga,
        term=term,
        start=datetime.datetime(2031, 3, 4, 9, 0, tzinfo=ST_JOHNS),
        end=datetime.datetime(2031, 3, 6, 12, 30, tzinfo=ST_JOHNS),
        time_zone="America/St_Johns",
    )
    with translation.override(code):
        fragment = render_to_string("meetings/_when.html", {"meeting": meeting})
    assert text(fragment) == MEETING_OVER_DAYS[code]
    # The machine-read ends stay ISO 8601, in the meeting's zone.
    assert 'datetime="2031-03-04T09:00:00-03:30"' in fragment
    assert 'datetime="2031-03-06T12:30:00-03:30"' in fragment


@pytest.mark.parametrize("code", LANGUAGES)
def test_a_meeting_notice_gives_the_same_times_in_the_contacts_language(meeting, code):
    with translation.override(code):
        context = notices.meeting_context(meeting)
    assert f"{context['when']} ({context['time_zone']})" == MEETING[code]


@pytest.mark.parametrize("code", LANGUAGES)
def test_another_moment_of_a_meeting_is_given_in_its_zone(meeting, code):
    moment = datetime.datetime(2031, 3, 4, 5, 30, tzinfo=datetime.UTC)
    with translation.override(code):
        shown = Template("{% load wego_formats %}{{ moment|meeting_moment:meeting }}").render(
            Context({"moment": moment, "meeting": meeting})
        )
    assert shown == MOMENT[code]


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_governance_page_dates_a_past_term_as_the_language_writes_them(client, past_term, code):
    page = speaking(client, code).get(reverse("governance:index")).content.decode()
    shown = set(re.findall(r'<time datetime="2016-11-04">([^<]*)</time>', page))
    assert shown == {TERM_START[code]}


@pytest.mark.parametrize("code", LANGUAGES)
def test_dues_are_written_with_the_languages_grouping_and_decimal_mark(client, full_category, seoul, seoul_user, code):
    FeeSchedule.objects.create(category=full_category, amount=Decimal("12345.50"), currency="USD")
    dues.issue_invoice(seoul.pk)
    client.force_login(seoul_user)
    page = speaking(client, code).get(reverse("member_home:index")).content.decode()
    (amount,) = re.findall(r'<td data-label="[^"]*">([^<]*USD)</td>', page)[:1]
    assert amount == FEE[code]


@pytest.mark.parametrize(
    ("code", "printed"),
    [("en", "en"), ("fr", "fr"), ("es", "es"), ("ko", "en"), ("ar", "en"), ("ru", "en"), ("zh-hans", "en")],
)
def test_the_invoice_pdf_is_in_the_readers_language_when_its_fonts_can_print_it(full_category, seoul, code, printed):
    FeeSchedule.objects.create(category=full_category, amount=Decimal("12345.50"), currency="USD")
    invoice = dues.issue_invoice(seoul.pk)
    with translation.override(code):
        content = invoice_pdf.render(invoice)
    pdf = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert FEE[printed] in pdf
    assert "??" not in pdf  # no word of another script printed as question marks


# --- What programs read stays as programs write it, in every language ----------
@pytest.fixture
def agenda_item(meeting):
    """An agenda item with a five-digit id, which a grouping language would write 12,345."""
    return AgendaItem.objects.create(pk=12345, meeting=meeting, title="Opening")


@pytest.mark.parametrize("code", LANGUAGES)
def test_machine_read_values_do_not_follow_the_language(
    client, staff_user, seoul_user, meeting, agenda_item, past_term, code
):
    client.force_login(seoul_user)
    speaking(client, code)
    staff_client = speaking(Client(), code)
    staff_client.force_login(staff_user)

    page = client.get(meeting.get_absolute_url()).content.decode()
    assert 'datetime="2031-03-04T14:30:00+09:00"' in page and 'datetime="2031-03-04T17:00:00+09:00"' in page
    assert 'data-start="2031-03-04T05:30:00+00:00" data-end="2031-03-04T08:00:00+00:00"' in page
    assert 'data-lat="37.566500" data-lng="126.978000"' in page
    assert 'id="item-12345"' in page

    governance = client.get(reverse("governance:index")).content.decode()
    assert '<time datetime="2016-11-04">' in governance and '<time datetime="2019-10-20">' in governance

    calendar = client.get(meeting.get_ics_url()).content.decode()
    assert "DTSTART;TZID=Asia/Seoul:20310304T143000" in calendar

    (row,) = csv.DictReader(io.StringIO(body(client.get(reverse("members:export_csv")))))
    assert (row["latitude"], row["longitude"]) == ("37.5665", "126.978")
    (organisation,) = json.loads(body(client.get(reverse("members:export_json"))))["organizations"]
    assert (organisation["latitude"], organisation["longitude"]) == (37.5665, 126.978)
    offices = json.loads(client.get(reverse("governance:export_json"), {"all": "1"}).content)
    assert {"2016-11-04"} <= {membership["start_date"] for membership in offices["memberships"]}

    exported = staff_client.post(
        reverse("admin:members_organisation_export"),
        {
            "format": "0",
            "resource": "0",
            **{f"organisationresource_{f}": "on" for f in ("slug", "latitude", "longitude", "start_date")},
        },
    )
    (row,) = csv.DictReader(io.StringIO(body(exported)))
    assert (row["latitude"], row["longitude"]) == ("37.56650", "126.97800")


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_admin_lists_a_meeting_at_its_own_time_in_the_readers_language(staff_user, meeting, code):
    staff_client = speaking(Client(), code)
    staff_client.force_login(staff_user)
    page = staff_client.get(reverse("admin:governance_meeting_changelist")).content.decode()
    assert MOMENT[code] in page


# An untitled meeting is named after its body on its day, and a refused
# office names its term's dates: both as the reader's language writes them.
UNTITLED = {
    "en": "General Assembly, March 4, 2031",
    "fr": "Assemblée générale du 4 mars 2031",
    "es": "Asamblea General del 4 de marzo de 2031",
    "ko": "2031년 3월 4일 총회",
    "ar": "الجمعية العامة، 4 مارس 2031",
    "ru": "Генеральная ассамблея, 4 марта 2031 г.",
    "zh-hans": "2031年3月4日全体大会",
}


@pytest.mark.parametrize("code", LANGUAGES)
def test_an_untitled_meeting_is_named_after_its_body_and_day_in_the_readers_language(meeting, code):
    meeting.title = ""
    with translation.override(code):
        assert str(meeting) == UNTITLED[code]


@pytest.mark.parametrize("code", ["en", "ko", "ru"])
def test_an_office_outside_its_term_names_the_terms_dates_as_the_language_writes_them(posts, term, seoul, code):
    from django.core.exceptions import ValidationError
    from django.utils.formats import date_format

    office = Office(
        organisation=seoul, post=posts["president"], term=term, start_date=term.start_date - datetime.timedelta(days=1)
    )
    with translation.override(code), pytest.raises(ValidationError) as refused:
        office.full_clean()
    with translation.override(code):
        expected = date_format(term.start_date, "DATE_FORMAT")
    assert expected in " ".join(refused.value.messages)
    assert term.start_date.isoformat() not in " ".join(refused.value.messages)


@pytest.mark.parametrize("code", LANGUAGES)
def test_a_terms_dates_end_in_one_full_stop_where_the_date_itself_ends_in_one(code):
    """Russian dates end in "г.": the sentence around them adds no second stop."""
    term = Term(name="2025–2027", start_date=datetime.date(2025, 1, 1), end_date=datetime.date(2027, 12, 31))
    with translation.override(code):
        text = render_to_string("governance/term_dates.html", {"term": term}).strip()
    assert ".." not in text, text
