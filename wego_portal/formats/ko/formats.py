"""Korean: the morning or afternoon before the time, as Korean writes it and
Django's own TIME_FORMAT already does ("오후 2:30"); Django's date-and-time
formats put it after ("2:30 오후") or switch to 24 hours. Short dates in the
dotted form Korean uses (CLDR's y. M. d.)."""

DATETIME_FORMAT = "Y년 n월 j일 A g:i"  # 2026년 3월 3일 오후 2:30
SHORT_DATE_FORMAT = "Y. n. j."  # 2026. 3. 3.
SHORT_DATETIME_FORMAT = "Y. n. j. A g:i"  # 2026. 3. 3. 오후 2:30
