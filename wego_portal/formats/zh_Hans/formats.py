"""Simplified Chinese: amounts grouped by thousands with a comma (1,234.50), as
CLDR and Chinese invoices and bank statements write them; Django's has no
separator at all (an empty THOUSAND_SEPARATOR with groups of four). The day
of the month without a leading zero ("3月5日", Django's "m月j日" gave "03月5日")."""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
MONTH_DAY_FORMAT = "n月j日"  # 3月5日
