"""UN M49 regions and sub-regions for every ISO 3166-1 alpha-2 country code.

Source: United Nations Statistics Division, "Standard country or area codes
for statistical use" (M49), https://unstats.un.org/unsd/methodology/m49/ .
The table below follows the M49 "sub-region" level; for Sub-Saharan Africa
(202) and Latin America and the Caribbean (419) the sub-region is used, not
the intermediate region (Eastern Africa, Caribbean, South America, ...).

An organisation's region is derived from its country, never typed: nothing
stores a region, everything asks this module.

Codes M49 does not place in a region (Antarctica "AQ", unknown or empty
codes) have no region. Kosovo ("XK", a user-assigned code that
django-countries does not list) is placed in Southern Europe. Taiwan ("TW"),
Hong Kong ("HK") and Macao ("MO") are in Eastern Asia; Palestine ("PS") is in
Western Asia.
"""

from django.utils.translation import gettext_lazy as _

# M49 region code -> English name.
REGIONS = {
    "002": _("Africa"),
    "019": _("Americas"),
    "142": _("Asia"),
    "150": _("Europe"),
    "009": _("Oceania"),
}

# M49 sub-region code -> English name.
SUBREGIONS = {
    "015": _("Northern Africa"),
    "202": _("Sub-Saharan Africa"),
    "419": _("Latin America and the Caribbean"),
    "021": _("Northern America"),
    "143": _("Central Asia"),
    "030": _("Eastern Asia"),
    "035": _("South-eastern Asia"),
    "034": _("Southern Asia"),
    "145": _("Western Asia"),
    "151": _("Eastern Europe"),
    "154": _("Northern Europe"),
    "039": _("Southern Europe"),
    "155": _("Western Europe"),
    "053": _("Australia and New Zealand"),
    "054": _("Melanesia"),
    "057": _("Micronesia"),
    "061": _("Polynesia"),
}

# M49 sub-region code -> M49 region code.
SUBREGION_REGION = {
    "015": "002",
    "202": "002",
    "419": "019",
    "021": "019",
    "143": "142",
    "030": "142",
    "035": "142",
    "034": "142",
    "145": "142",
    "151": "150",
    "154": "150",
    "039": "150",
    "155": "150",
    "053": "009",
    "054": "009",
    "057": "009",
    "061": "009",
}

# Slug form of each region, as used in URLs and query strings.
REGION_SLUGS = {
    "002": "africa",
    "019": "americas",
    "142": "asia",
    "150": "europe",
    "009": "oceania",
}
SLUG_REGIONS = {slug: code for code, slug in REGION_SLUGS.items()}

# ISO 3166-1 alpha-2 -> M49 sub-region code. Antarctica (AQ) has none.
COUNTRY_SUBREGION = {
    # Northern Africa
    "DZ": "015",
    "EG": "015",
    "EH": "015",
    "LY": "015",
    "MA": "015",
    "SD": "015",
    "TN": "015",
    # Sub-Saharan Africa (Eastern, Middle, Southern and Western Africa)
    "AO": "202",
    "BF": "202",
    "BI": "202",
    "BJ": "202",
    "BW": "202",
    "CD": "202",
    "CF": "202",
    "CG": "202",
    "CI": "202",
    "CM": "202",
    "CV": "202",
    "DJ": "202",
    "ER": "202",
    "ET": "202",
    "GA": "202",
    "GH": "202",
    "GM": "202",
    "GN": "202",
    "GQ": "202",
    "GW": "202",
    "IO": "202",
    "KE": "202",
    "KM": "202",
    "LR": "202",
    "LS": "202",
    "MG": "202",
    "ML": "202",
    "MR": "202",
    "MU": "202",
    "MW": "202",
    "MZ": "202",
    "NA": "202",
    "NE": "202",
    "NG": "202",
    "RE": "202",
    "RW": "202",
    "SC": "202",
    "SH": "202",
    "SL": "202",
    "SN": "202",
    "SO": "202",
    "SS": "202",
    "ST": "202",
    "SZ": "202",
    "TD": "202",
    "TF": "202",
    "TG": "202",
    "TZ": "202",
    "UG": "202",
    "YT": "202",
    "ZA": "202",
    "ZM": "202",
    "ZW": "202",
    # Latin America and the Caribbean (Caribbean, Central and South America)
    "AG": "419",
    "AI": "419",
    "AR": "419",
    "AW": "419",
    "BB": "419",
    "BL": "419",
    "BO": "419",
    "BQ": "419",
    "BR": "419",
    "BS": "419",
    "BV": "419",
    "BZ": "419",
    "CL": "419",
    "CO": "419",
    "CR": "419",
    "CU": "419",
    "CW": "419",
    "DM": "419",
    "DO": "419",
    "EC": "419",
    "FK": "419",
    "GD": "419",
    "GF": "419",
    "GP": "419",
    "GS": "419",
    "GT": "419",
    "GY": "419",
    "HN": "419",
    "HT": "419",
    "JM": "419",
    "KN": "419",
    "KY": "419",
    "LC": "419",
    "MF": "419",
    "MQ": "419",
    "MS": "419",
    "MX": "419",
    "NI": "419",
    "PA": "419",
    "PE": "419",
    "PR": "419",
    "PY": "419",
    "SR": "419",
    "SV": "419",
    "SX": "419",
    "TC": "419",
    "TT": "419",
    "UY": "419",
    "VC": "419",
    "VE": "419",
    "VG": "419",
    "VI": "419",
    # Northern America
    "BM": "021",
    "CA": "021",
    "GL": "021",
    "PM": "021",
    "US": "021",
    # Central Asia
    "KG": "143",
    "KZ": "143",
    "TJ": "143",
    "TM": "143",
    "UZ": "143",
    # Eastern Asia
    "CN": "030",
    "HK": "030",
    "JP": "030",
    "KP": "030",
    "KR": "030",
    "MN": "030",
    "MO": "030",
    "TW": "030",
    # South-eastern Asia
    "BN": "035",
    "ID": "035",
    "KH": "035",
    "LA": "035",
    "MM": "035",
    "MY": "035",
    "PH": "035",
    "SG": "035",
    "TH": "035",
    "TL": "035",
    "VN": "035",
    # Southern Asia
    "AF": "034",
    "BD": "034",
    "BT": "034",
    "IN": "034",
    "IR": "034",
    "LK": "034",
    "MV": "034",
    "NP": "034",
    "PK": "034",
    # Western Asia
    "AE": "145",
    "AM": "145",
    "AZ": "145",
    "BH": "145",
    "CY": "145",
    "GE": "145",
    "IL": "145",
    "IQ": "145",
    "JO": "145",
    "KW": "145",
    "LB": "145",
    "OM": "145",
    "PS": "145",
    "QA": "145",
    "SA": "145",
    "SY": "145",
    "TR": "145",
    "YE": "145",
    # Eastern Europe
    "BG": "151",
    "BY": "151",
    "CZ": "151",
    "HU": "151",
    "MD": "151",
    "PL": "151",
    "RO": "151",
    "RU": "151",
    "SK": "151",
    "UA": "151",
    # Northern Europe
    "AX": "154",
    "DK": "154",
    "EE": "154",
    "FI": "154",
    "FO": "154",
    "GB": "154",
    "GG": "154",
    "IE": "154",
    "IM": "154",
    "IS": "154",
    "JE": "154",
    "LT": "154",
    "LV": "154",
    "NO": "154",
    "SE": "154",
    "SJ": "154",
    # Southern Europe
    "AD": "039",
    "AL": "039",
    "BA": "039",
    "ES": "039",
    "GI": "039",
    "GR": "039",
    "HR": "039",
    "IT": "039",
    "ME": "039",
    "MK": "039",
    "MT": "039",
    "PT": "039",
    "RS": "039",
    "SI": "039",
    "SM": "039",
    "VA": "039",
    "XK": "039",
    # Western Europe
    "AT": "155",
    "BE": "155",
    "CH": "155",
    "DE": "155",
    "FR": "155",
    "LI": "155",
    "LU": "155",
    "MC": "155",
    "NL": "155",
    # Australia and New Zealand
    "AU": "053",
    "CC": "053",
    "CX": "053",
    "HM": "053",
    "NF": "053",
    "NZ": "053",
    # Melanesia
    "FJ": "054",
    "NC": "054",
    "PG": "054",
    "SB": "054",
    "VU": "054",
    # Micronesia
    "FM": "057",
    "GU": "057",
    "KI": "057",
    "MH": "057",
    "MP": "057",
    "NR": "057",
    "PW": "057",
    "UM": "057",
    # Polynesia
    "AS": "061",
    "CK": "061",
    "NU": "061",
    "PF": "061",
    "PN": "061",
    "TK": "061",
    "TO": "061",
    "TV": "061",
    "WF": "061",
    "WS": "061",
}


def _normalise(code):
    return str(code or "").strip().upper()


def subregion_code_for_country(code):
    """The M49 sub-region code ("154") for an alpha-2 code, or None."""
    return COUNTRY_SUBREGION.get(_normalise(code))


def region_code_for_country(code):
    """The M49 region code ("150") for an alpha-2 code, or None."""
    subregion = subregion_code_for_country(code)
    return SUBREGION_REGION.get(subregion) if subregion else None


def region_slug_for_country(code):
    """The region slug ("europe") for an alpha-2 code, or None."""
    region = region_code_for_country(code)
    return REGION_SLUGS.get(region) if region else None


def region_name(slug):
    """The (lazily translated) name of a region slug; "" if unknown."""
    code = SLUG_REGIONS.get(slug)
    return REGIONS[code] if code else ""


def countries_in_region(slug):
    """The alpha-2 codes in a region slug; empty if the slug is unknown."""
    return _COUNTRIES_BY_REGION.get(slug, frozenset())


_COUNTRIES_BY_REGION = {
    slug: frozenset(country for country, subregion in COUNTRY_SUBREGION.items() if SUBREGION_REGION[subregion] == code)
    for code, slug in REGION_SLUGS.items()
}

# (slug, name) pairs for forms, sorted by English name. Each slug is its
# English name in lower case, so sorting by slug keeps the names lazy.
REGION_CHOICES = [(slug, REGIONS[code]) for code, slug in sorted(REGION_SLUGS.items(), key=lambda item: item[1])]
