"""Arabic, written with Western digits as CLDR's "ar" now writes it (and as
the reader's browser does): numbers as 1,234.50 (Django's Arabic formats have
the Maghreb's 1.234,50 and no grouping at all, NUMBER_GROUPING unset); the
long date without the comma Django puts before the year ("3 مارس 2026", not
"3 مارس، 2026"); and date-and-time formats of its own, which Django's Arabic
lacks (its English "N j, Y, P" was used)."""

DATE_FORMAT = "j F Y"  # 3 مارس 2026
DATETIME_FORMAT = "j F Y، g:i A"  # 3 مارس 2026، 2:30 م
SHORT_DATETIME_FORMAT = "d\u200f/m\u200f/Y، g:i A"  # 03‏/03‏/2026، 2:30 م (Django's short date, with its marks)
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
