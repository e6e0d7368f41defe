import csv
import functools
import json

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponsePermanentRedirect, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from . import m49
from .caching import public_export, public_page, remember
from .extensions import PROFILE_CONTEXT
from .forms import DirectoryFilterForm
from .models import Organisation
from .text import spreadsheet_safe

PAGE_SIZE = 24
# Rows read from the database at a time by the exports: their memory stays
# the same whatever the number of members.
EXPORT_CHUNK = 2000
EXPORT_COLUMNS = [
    "id",
    "name",
    "classification",
    "country",
    "country_name",
    "region",
    "category",
    "category_name",
    "founding_member",
    "website",
    "latitude",
    "longitude",
    "url",
]


def _filtered_directory(request, with_country_choices=False):
    """The directory's members after the query string's filters, and the form.

    Only the page shows the form, so only it pays for the country choices."""
    listed = Organisation.objects.in_directory()
    country_codes = remember("directory-countries", lambda: _listed_countries(listed)) if with_country_choices else ()
    form = DirectoryFilterForm(request.GET or None, country_codes=country_codes)
    form.is_valid()  # cleans what it can; invalid fields are reported and skipped
    return form, form.filter(listed)


def _region_counts(listed):
    """[(slug, name, count)] of the listed members by UN M49 region, in the
    regions' order: one query grouped by country, summed here (the region is
    derived from the country, not stored)."""
    by_region = {}
    for code, count in listed.order_by().values_list("country").annotate(count=Count("pk")):
        slug = m49.region_slug_for_country(code)
        if slug:
            by_region[slug] = by_region.get(slug, 0) + count
    return [(slug, str(name), by_region[slug]) for slug, name in m49.REGION_CHOICES if slug in by_region]


def _listed_countries(listed):
    return list(listed.order_by().values_list("country", flat=True).distinct())


def _public_fields(site, organisation):
    """The public fields of a member, as the exports publish them; ``site``
    is the scheme and host the profile URLs start with."""
    membership = organisation.membership
    return {
        "id": organisation.slug,
        "name": organisation.name,
        "classification": organisation.kind,
        "country": organisation.country.code,
        "country_name": str(organisation.country.name),
        # Absent values are null (an empty cell in the CSV), never "".
        "region": organisation.region or None,
        "category": membership.category.slug,
        "category_name": membership.category.name,
        "founding_member": organisation.is_founding_member,
        "website": organisation.website or None,
        "latitude": float(organisation.latitude) if organisation.latitude is not None else None,
        "longitude": float(organisation.longitude) if organisation.longitude is not None else None,
        "url": site + organisation.get_absolute_url(),
    }


def _site(request):
    return request.build_absolute_uri("/").rstrip("/")


def _set_parameters_only(view):
    """Send a query string with empty parameters (``?q=&country=KR``, what a
    GET form submits without script) to its clean form, for good (301): the
    links people copy and the cache keys stay tidy. Checked before the cache,
    so the redirect costs no query."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        query = request.GET.copy()
        empty = [name for name, values in query.lists() if not any(value.strip() for value in values)]
        if not empty:
            return view(request, *args, **kwargs)
        for name in empty:
            del query[name]
        clean = query.urlencode()
        return HttpResponsePermanentRedirect(request.path + (f"?{clean}" if clean else ""))

    return wrapper


@require_safe
@_set_parameters_only
@public_page
def directory(request):
    """The directory page. Its map reads its points from ``map_points``, so
    the page weighs the same whatever the number of members."""
    form, members = _filtered_directory(request, with_country_choices=True)
    paginator = Paginator(members, PAGE_SIZE)
    # Counting is what a large directory costs (the page itself is read from
    # the index): counted once per search, for all its pages, until a change.
    paginator.count = remember(f"directory-count:{form.applied_filters()}", members.count)
    filters = _without_page(request)
    page = paginator.get_page(request.GET.get("page"))
    # The whole directory's members by region, counted once per change of the data.
    region_counts = remember("directory-region-counts", lambda: _region_counts(Organisation.objects.in_directory()))
    return render(
        request,
        "members/directory.html",
        {
            "form": form,
            "page": page,
            "filters": filters,
            "region_counts": region_counts,
            "tile_url": settings.TILE_URL,
        },
    )


def _without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_safe
@public_page
def map_points(request):
    """The directory's members that have coordinates, with its filters, for
    the map: ``{"points": [[name, slug, latitude, longitude], ...]}`` (a
    profile is at /members/<slug>/). Public fields only; cached and
    conditional (ETag, 304) like the pages, and as compact as it can be: its
    size is the one thing that grows with the membership."""
    _, members = _filtered_directory(request)
    rows = members.filter(latitude__isnull=False, longitude__isnull=False).values_list(
        "name", "slug", "latitude", "longitude"
    )
    points = [[name, slug, float(latitude), float(longitude)] for name, slug, latitude, longitude in rows]
    return JsonResponse({"points": points}, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})


def _rows(request):
    """The filtered members, read from the database a chunk at a time."""
    _, members = _filtered_directory(request)
    return members.iterator(chunk_size=EXPORT_CHUNK)


class _Echo:
    """A file-like object whose write() returns what it was given, so that
    csv.writer hands each row to the streamed response."""

    def write(self, value):
        return value


@require_safe
@public_export
def export_csv(request):
    """The listed members as CSV, streamed. A cell a spreadsheet would read
    as a formula (=, +, -, @, tab, CR first) is written with a leading
    single quote, as OWASP recommends."""
    site = _site(request)
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(EXPORT_COLUMNS)
        for organisation in _rows(request):
            fields = _public_fields(site, organisation)
            yield writer.writerow([spreadsheet_safe(fields[column]) for column in EXPORT_COLUMNS])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="wego-members.csv"'
    return response


@require_safe
@public_export
def export_json(request):
    """The listed members in the shape of Popolo organizations, streamed."""
    site = _site(request)

    def chunks():
        yield '{"organizations": ['
        separator = ""
        for organisation in _rows(request):
            yield separator + json.dumps(_public_fields(site, organisation), ensure_ascii=False)
            separator = ", "
        yield "]}"

    response = StreamingHttpResponse(chunks(), content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"  # open data
    return response


@require_safe
@public_page
def detail(request, slug):
    organisation = get_object_or_404(Organisation.objects.in_directory(), slug=slug)
    context = {"organisation": organisation}
    for extra in PROFILE_CONTEXT:
        context.update(extra(organisation))
    return render(request, "members/detail.html", context)


@require_safe
def logo(request, slug):
    organisation = get_object_or_404(Organisation.objects.in_directory(), slug=slug)
    if not organisation.logo:
        raise Http404
    try:
        handle = organisation.logo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=False, filename=organisation.logo.name.rsplit("/", 1)[-1])
    response["Cache-Control"] = "public, max-age=3600"
    return response
