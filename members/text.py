"""Text folding for search: case- and accent-insensitive, database-agnostic.

The same fold is applied to what is stored (``Organisation.search_text``) and
to what a visitor types, so "sao paulo", "SÃO PAULO" and "São Paulo" meet on
PostgreSQL and on the embedded SQLite alike.
"""

import unicodedata


def fold(text):
    """Lower-case ``text`` and strip accents: "São Paulo" -> "sao paulo"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


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
