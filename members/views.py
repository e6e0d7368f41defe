import csv

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from .extensions import PROFILE_CONTEXT
from .forms import DirectoryFilterForm
from .models import Organisation

PAGE_SIZE = 24
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
    country_codes = listed.order_by().values_list("country", flat=True).distinct() if with_country_choices else ()
    form = DirectoryFilterForm(request.GET or None, country_codes=list(country_codes))
    form.is_valid()  # cleans what it can; invalid fields are reported and skipped
    return form, form.filter(listed)


def _public_fields(request, organisation):
    """The public fields of a member, as the exports publish them."""
    membership = organisation.membership
    return {
        "id": organisation.slug,
        "name": organisation.name,
        "classification": organisation.kind,
        "country": organisation.country.code,
        "country_name": str(organisation.country.name),
        "region": organisation.region or "",
        "category": membership.category.slug,
        "category_name": membership.category.name,
        "founding_member": organisation.is_founding_member,
        "website": organisation.website,
        "latitude": float(organisation.latitude) if organisation.latitude is not None else None,
        "longitude": float(organisation.longitude) if organisation.longitude is not None else None,
        "url": request.build_absolute_uri(organisation.get_absolute_url()),
    }


@require_safe
def directory(request):
    form, members = _filtered_directory(request, with_country_choices=True)
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    markers = [
        {
            "name": name,
            "url": Organisation(slug=slug).get_absolute_url(),
            "lat": float(latitude),
            "lng": float(longitude),
        }
        for name, slug, latitude, longitude in members.filter(
            latitude__isnull=False, longitude__isnull=False
        ).values_list("name", "slug", "latitude", "longitude")
    ]
    return render(
        request,
        "members/directory.html",
        {
            "form": form,
            "page": page,
            "markers": markers,
            "query_string": request.GET.urlencode(),
            "tile_url": settings.TILE_URL,
        },
    )


@require_safe
def export_csv(request):
    _, members = _filtered_directory(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="wego-members.csv"'
    writer = csv.DictWriter(response, fieldnames=EXPORT_COLUMNS)
    writer.writeheader()
    for organisation in members:
        writer.writerow(_public_fields(request, organisation))
    return response


@require_safe
def export_json(request):
    """The listed members in the shape of Popolo organizations."""
    _, members = _filtered_directory(request)
    organizations = [_public_fields(request, organisation) for organisation in members]
    response = JsonResponse({"organizations": organizations}, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # open data
    return response


@require_safe
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
