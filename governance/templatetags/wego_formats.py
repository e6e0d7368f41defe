"""Money and meetings' times in templates, as ``governance.formats`` writes
them for the reader's language:

- ``{{ invoice.amount|money:invoice.currency }}``: "1,234.50 USD", "1 234,50 USD";
- ``{% date_span first last %}``: a span of days, e.g. a membership year;
- ``{% meeting_when meeting %}``: a meeting's times in its own zone, named;
- ``{{ moment|meeting_moment:meeting }}``: another moment of a meeting (a
  poll's closing, a proxy given) in the meeting's zone, named.

Counts are grouped with humanize's ``intcomma``.
"""

from django import template

from .. import formats

register = template.Library()


@register.filter
def money(value, currency):
    return formats.money(value, currency)


@register.simple_tag
def date_span(first, last):
    return formats.date_span(first, last)


@register.simple_tag
def meeting_when(meeting):
    return formats.meeting_when_html(meeting)


@register.filter
def meeting_moment(moment, meeting):
    if moment is None:
        return ""
    return formats.meeting_moment(moment, meeting)
