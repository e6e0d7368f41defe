"""Text folding for search: case- and accent-insensitive, database-agnostic.

The same fold is applied to what is stored (``Organisation.search_text``) and
to what a visitor types, so "sao paulo", "SÃO PAULO" and "São Paulo" meet on
PostgreSQL and on the embedded SQLite alike.
"""

import re
import unicodedata

# The marks a spelling may leave out: accents on Latin, Greek and Cyrillic
# letters, Hebrew points, Arabic short vowels. Marks that are letters of
# their script (the vowel signs of Devanagari, Bengali or Thai, the Japanese
# voicing marks) are kept: without them different words would meet.
_OPTIONAL_MARKS = re.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"  # Latin, Greek, Cyrillic
    "\u0591-\u05c7"  # Hebrew points
    "\u064b-\u065f\u0670]"  # Arabic short vowels
)


def fold(text):
    """Lower-case ``text`` and strip optional marks: "São Paulo" -> "sao
    paulo", "Thừa Thiên Huế" -> "thua thien hue"; "서울" and "가" stay whole
    (composed again after the accents are gone)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = _OPTIONAL_MARKS.sub("", decomposed).casefold()
    return " ".join(unicodedata.normalize("NFC", stripped).split())


# Between a member's folded name and its folded other names in its search
# text: a name is then matched whole (``OrganisationQuerySet.named``).
NAME_END = " / "


def search_text(name, other_names=""):
    """What the search reads of a member (``Organisation.search_text``): its
    folded name first, which is also the directory's order, then its other
    names."""
    others = fold(other_names)
    return (fold(name) + (NAME_END + others if others else ""))[:500]


def search_terms(query, max_terms=8):
    """The folded words of a query, at most ``max_terms`` of them."""
    return fold(query).split()[:max_terms]


# Characters that make a spreadsheet read a cell as a formula (OWASP, "CSV
# Injection"): such a cell is written with a leading single quote.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """``value`` as a CSV cell no spreadsheet runs as a formula. Only text is
    changed: numbers (a negative longitude) stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
