import csv
import functools
import json

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Avg, Count, F
from django.db.models.functions import Floor
from django.http import FileResponse, Http404, HttpResponsePermanentRedirect, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from . import figures
from .caching import public_export, public_page
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
    country_codes = figures.countries() if with_country_choices else ()
    form = DirectoryFilterForm(request.GET or None, country_codes=country_codes)
    form.is_valid()  # cleans what it can; invalid fields are reported and skipped
    return form, form.filter(listed)


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
    # the index): read from the census, or counted once per search for all
    # its pages, until a change (members/figures.py).
    paginator.count = figures.count(form, members)
    filters = _without_page(request)
    page = paginator.get_page(request.GET.get("page"))
    region_counts = figures.region_counts()
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


# The map's points: every one while they are few (a search, a country, a
# network of WeGO's size); beyond, what a visitor at the world's zoom can see:
# a count per cell of a fixed grid, each cell's points read when the map is
# zoomed in on it. Either way an answer's size follows the cells in view and
# how dense the members are there, not the size of the membership.
MAP_POINTS_LIMIT = 2000
MAP_CELL_DEGREES = 5
_CELL_ROWS, _CELL_COLUMNS = 180 // MAP_CELL_DEGREES + 1, 360 // MAP_CELL_DEGREES + 1


def _map_json(data, status=200):
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})


def _map_point_rows(located):
    rows = located.values_list("name", "slug", "latitude", "longitude")
    return [[name, slug, float(latitude), float(longitude)] for name, slug, latitude, longitude in rows]


def _map_cells(located):
    """[[row, column, count, latitude, longitude]]: the members by cell of the
    grid, placed at their mean position; one grouped query."""
    cells = (
        located.order_by()
        .annotate(
            row=Floor((F("latitude") + 90) / MAP_CELL_DEGREES),
            column=Floor((F("longitude") + 180) / MAP_CELL_DEGREES),
        )
        .values("row", "column")
        .annotate(count=Count("pk"), mean_latitude=Avg("latitude"), mean_longitude=Avg("longitude"))
        .order_by("row", "column")
    )
    return [
        [
            int(cell["row"]),
            int(cell["column"]),
            cell["count"],
            round(float(cell["mean_latitude"]), 4),
            round(float(cell["mean_longitude"]), 4),
        ]
        for cell in cells
    ]


def _cell(value):
    """(row, column) from "row,column", or None if it names no cell of the grid."""
    row, _comma, column = value.partition(",")
    try:
        row, column = int(row), int(column)
    except ValueError:
        return None
    return (row, column) if 0 <= row < _CELL_ROWS and 0 <= column < _CELL_COLUMNS else None


@require_safe
@public_page
def map_points(request):
    """The directory's members that have coordinates, with its filters, for
    the map (public fields only; cached and conditional, ETag and 304, like
    the pages):

    - up to ``MAP_POINTS_LIMIT`` members: ``{"points": [[name, slug,
      latitude, longitude], ...]}`` (a profile is at /members/<slug>/);
    - more: ``{"cells": [[row, column, count, latitude, longitude], ...],
      "cell_degrees": 5}``, the members counted by cell of a grid of 5°
      (row 0 starts at 90°S, column 0 at 180°W);
    - ``?cell=row,column``: the points of that cell, as above.
    """
    _form, members = _filtered_directory(request)
    located = members.filter(latitude__isnull=False, longitude__isnull=False)
    if "cell" in request.GET:
        cell = _cell(request.GET["cell"])
        if cell is None:
            return _map_json({"error": str(_("“cell” must be two numbers, a row and a column of the grid."))}, 400)
        south, west = cell[0] * MAP_CELL_DEGREES - 90, cell[1] * MAP_CELL_DEGREES - 180
        located = located.filter(
            latitude__gte=south,
            latitude__lt=south + MAP_CELL_DEGREES,
            longitude__gte=west,
            longitude__lt=west + MAP_CELL_DEGREES,
        )
        return _map_json({"points": _map_point_rows(located)})
    # One more than the limit says whether there are more, without a count.
    points = _map_point_rows(located[: MAP_POINTS_LIMIT + 1])
    if len(points) <= MAP_POINTS_LIMIT:
        return _map_json({"points": points})
    return _map_json({"cells": _map_cells(located), "cell_degrees": MAP_CELL_DEGREES})


def _rows(request):
    """The filtered members, read from the database a chunk at a time."""
    _form, members = _filtered_directory(request)
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
