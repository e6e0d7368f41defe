"""How money and a meeting's times read in the reader's language: the one
place these rules are written, for the pages (through the template library
``wego_formats``), the e-mails, the admin and the invoice PDF.

Everything here writes for the active language (the outbox activates each
recipient's), with the formats of ``wego_portal/formats/`` and Django's.
Machine-read values (``<time datetime>``, data- attributes, exports, .ics)
never come from here: they are written in ISO form where they are made.
"""

from django.utils import formats
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import pgettext

NO_BREAK_SPACE = "\u00a0"
MINUS_SIGN = "\u2212"


# --- Money -----------------------------------------------------------------------
def amount(value):
    """A sum of money with two places and its thousands grouped, as the
    language writes them: 1,234.50 in English, 1 234,50 in French."""
    return formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)


def money(value, currency):
    """An amount and its currency code, kept on one line: "1,234.50 USD"."""
    return f"{amount(value)}{NO_BREAK_SPACE}{currency}"


# --- Days and spans of time ----------------------------------------------------------
def day(value):
    """A day as the language writes it in running text: "March 4, 2031", "4 mars 2031"."""
    return formats.date_format(value, "DATE_FORMAT")


def _span_pattern():
    # Translators: a span of time, e.g. a meeting's start and end or a
    # membership year's first and last day; the dash as your language writes it.
    return pgettext("a span of time", "%(start)s – %(end)s")


def span(start, end):
    """Two dates or moments, already written, joined as the language writes a span."""
    return _span_pattern() % {"start": start, "end": end}


def date_span(first, last):
    """A span of days, e.g. a membership year: "January 1, 2026 – December 31, 2026"."""
    return span(day(first), day(last))


# --- A meeting's times, in its own time zone ----------------------------------------
def meeting_times(meeting):
    """The texts of a meeting's start (date and time) and end (its time, and
    its date too when the meeting ends on another day), in its time zone."""
    start, end = meeting.local_start, meeting.local_end
    end_text = formats.time_format(end) if start.date() == end.date() else formats.date_format(end, "DATETIME_FORMAT")
    return formats.date_format(start, "DATETIME_FORMAT"), end_text


def utc_offset(moment):
    """A moment's offset from UTC as people write it: "+9", "+5:30", "−3", "" for none."""
    minutes = int(moment.utcoffset().total_seconds() // 60)
    if not minutes:
        return ""
    hours, rest = divmod(abs(minutes), 60)
    sign = "+" if minutes > 0 else MINUS_SIGN
    return f"{sign}{hours}:{rest:02d}" if rest else f"{sign}{hours}"


def zone_label(meeting, moment=None):
    """The meeting's time zone named, with its offset from UTC at ``moment``
    (its start by default): "Asia/Seoul, UTC+9". The name tells where, the
    offset lets any reader work out their own time."""
    local = meeting.local_start if moment is None else moment.astimezone(meeting.zone)
    if meeting.zone.key in ("UTC", "Etc/UTC"):
        return "UTC"
    # Translators: a time zone's name and its offset from UTC, e.g. "Asia/Seoul, UTC+9".
    return pgettext("a time zone and its offset from UTC", "%(zone)s, UTC%(offset)s") % {
        "zone": meeting.zone.key,
        "offset": utc_offset(local),
    }


def meeting_when(meeting):
    """A meeting's times as text (e-mails): "March 3, 2026, 2:30 PM – 5:00 PM"."""
    return span(*meeting_times(meeting))


def meeting_when_html(meeting):
    """A meeting's times for a page: each end in a ``<time>`` element with its
    ISO moment (in the meeting's zone, with its offset), then the zone named."""
    start_text, end_text = meeting_times(meeting)
    start = format_html('<time datetime="{}">{}</time>', meeting.local_start.isoformat(), start_text)
    end = format_html('<time datetime="{}">{}</time>', meeting.local_end.isoformat(), end_text)
    # The translated pattern is escaped, its two parts are escaped HTML.
    times = mark_safe(conditional_escape(_span_pattern()) % {"start": start, "end": end})
    return format_html(
        '<span class="when">{} <span class="meeting-zone">({})</span></span>', times, zone_label(meeting)
    )


def meeting_moment(moment, meeting):
    """Another moment of a meeting (a poll's closing, a proxy given) in the
    meeting's time zone, named: "March 3, 2026, 2:30 PM (Asia/Seoul, UTC+9)".
    The long form: a short date is read both ways (03/04 is 4 March or 3 April)
    by a membership spread over the world."""
    local = moment.astimezone(meeting.zone)
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({zone_label(meeting, local)})"
