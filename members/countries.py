"""Countries found by their name in any of the portal's working languages.

A visitor looks for members in "Allemagne", "Alemania", "독일", "ألمانيا",
"Германия" or "德国" as readily as in "Germany". Country names are not
stored on each member: the folded names of every country in each language
are kept here, once per process, and a search word becomes the set of
countries whose name holds it. Adding a language adds its names to search
without touching a row.
"""

import functools

from django.conf import settings
from django.utils import translation
from django_countries import countries

from .text import fold

# Names in everyday use that the official short names do not hold: Koreans
# say 한국 for the Republic of Korea, whose short name is 대한민국.
EVERYDAY_NAMES = {
    "KR": ["한국", "Korea"],
    "KP": ["북한", "朝鲜"],
    "US": ["USA", "United States", "Estados Unidos"],
    "GB": ["UK", "Great Britain", "Britain"],
    "NL": ["Holland"],
    "CZ": ["Czechia"],
    "TR": ["Türkiye", "Turkey"],
    "AE": ["UAE", "Emirates"],
}


@functools.cache
def _folded_names():
    """(folded name, ISO code) for every country in every language of the portal,
    and the everyday names."""
    names = {(fold(name), code) for code, also in EVERYDAY_NAMES.items() for name in also}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            names.update((fold(str(name)), code) for code, name in countries)
    return tuple(sorted(names))


def matching(word):
    """The ISO codes of the countries whose name, in any language, holds the
    folded ``word`` ("korea" → KR, KP; "한국" → KR)."""
    return sorted({code for name, code in _folded_names() if word in name})
