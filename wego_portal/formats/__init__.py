"""The portal's own date, time and number formats, where Django's for a
language do not read as its speakers expect (FORMAT_MODULE_PATH in settings).

Django looks here first and falls back to its own locale formats
(django/conf/locale/<language>/formats.py) for every name a module here does
not set, so each module holds only what the portal changes (Spanish keeps
Django's formats whole: its "1 234,50" is the Real Academia's advice, and
unambiguous on both sides of the Atlantic). The yardstick is the Unicode
CLDR, which is also what the reader's browser speaks (Intl, used by
static/js/meeting-time.js for the reader's own time), so that the two lines
of a meeting's times read alike.

Input formats (what a date field accepts) are left to Django: only how
dates, times and numbers are written changes here.
"""
