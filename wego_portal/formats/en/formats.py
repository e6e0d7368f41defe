"""English: times as "2:30 PM" (CLDR's h:mm a) rather than Django's "2:30 p.m."
and "noon", so a meeting's times read like the reader's own time the browser
writes beside them. Dates stay Django's ("March 3, 2026", "Sept. 4, 2026")."""

TIME_FORMAT = "g:i A"  # 2:30 PM
DATETIME_FORMAT = "N j, Y, g:i A"  # March 3, 2026, 2:30 PM
SHORT_DATETIME_FORMAT = "m/d/Y g:i A"  # 03/03/2026 2:30 PM
