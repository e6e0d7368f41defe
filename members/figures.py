"""The directory's figures, counted once per change of the public data.

One grouped query, the members of the directory by country (``census()``),
kept in the anonymous cache until something the public pages show is saved
(``caching.remember``): the home page's figures, the directory's total, its
members by region, its list of countries and the count of a search by
country or region alone are all read from it. Only a search with other
terms (a word, a kind, a category, a flag) is counted on its own, once per
set of filters. Exact figures, never an estimate: the directory says how
many members match.
"""

from django.db.models import Count

from . import m49
from .caching import remember
from .models import Organisation

# The filters whose count the census answers (see DirectoryFilterForm).
CENSUS_FILTERS = frozenset({"country", "region"})


def census():
    """{country code: members listed in the directory}."""
    return remember("directory-census", _count_by_country)


def _count_by_country():
    rows = Organisation.objects.in_directory().order_by().values_list("country").annotate(count=Count("pk"))
    return {code: count for code, count in rows}


def countries():
    """The countries that have members in the directory."""
    return list(census())


def region_counts():
    """[(slug, name, count)] of the directory's members by UN M49 region, in
    the regions' order (the region is derived from the country, not stored)."""
    by_region = {}
    for code, count in census().items():
        slug = m49.region_slug_for_country(code)
        if slug:
            by_region[slug] = by_region.get(slug, 0) + count
    return [(slug, str(name), by_region[slug]) for slug, name in m49.REGION_CHOICES if slug in by_region]


def home_figures():
    """How many members, in how many countries."""
    by_country = census()
    return {"member_count": sum(by_country.values()), "country_count": len(by_country)}


def count(form, members):
    """How many members a search lists: ``form``, the directory's filter form
    (validated; its invalid filters are not applied), and ``members``, what
    it filters, counted (and kept, per set of filters) only when the census
    cannot say."""
    applied = {name: value for name, value in getattr(form, "cleaned_data", {}).items() if value}
    if set(applied) <= CENSUS_FILTERS:
        by_country = census()
        codes = set(by_country)
        if "country" in applied:
            codes &= {applied["country"]}
        if "region" in applied:
            codes &= m49.countries_in_region(applied["region"])
        return sum(by_country[code] for code in codes)
    return remember(f"directory-count:{form.applied_filters()}", members.count)
