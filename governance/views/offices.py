from collections import defaultdict

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.http import require_safe

from members.caching import public_page
from members.forms import FlagInput
from members.languages import written_translations

from ..models import Body, BodySlug, Office, Post, Term


@require_safe
@public_page
def index(request):
    """How WeGO is governed, who holds its offices now, and who held them."""
    today = timezone.localdate()
    bodies = Body.objects.prefetch_related("posts")
    terms = list(Term.objects.all())  # newest first
    offices_by_term = defaultdict(list)
    for office in Office.objects.for_display(today).order_by(
        "post__body__position", "post__position", "start_date", "organisation__name"
    ):
        offices_by_term[office.term_id].append(office)

    current_term = next((term for term in terms if term.is_current), None)
    current, ended = [], []
    if current_term:
        for office in offices_by_term[current_term.pk]:
            (current if office.is_current(today) else ended).append(office)
    excom = sorted(
        (office for office in current if office.post.body.slug == BodySlug.EXECUTIVE_COMMITTEE),
        key=lambda office: office.organisation.name,
    )
    excom_body = next((body for body in bodies if body.slug == BodySlug.EXECUTIVE_COMMITTEE), None)
    context = {
        "bodies": bodies,
        "current_term": current_term,
        "officers": [office for office in current if office.post.is_officer],
        "excom": excom,
        "excom_body": excom_body,
        "ended_in_current_term": ended,
        "upcoming_terms": [(term, offices_by_term[term.pk]) for term in reversed(terms) if term.start_date > today],
        "past_terms": [(term, offices_by_term[term.pk]) for term in terms if term.end_date < today],
    }
    return render(request, "governance/index.html", context)


def _without_blanks(record):
    """Popolo leaves out what is unknown or writes null: never an empty string."""
    return {key: (None if value == "" else value) for key, value in record.items()}


def _other_names(instance, field):
    """Popolo's other names of a translated name: each language it is written
    in besides the default, marked with its language as EveryPolitician's
    Popolo does (``lang``, ``note: "multilingual"``)."""
    written = written_translations(instance, field)
    written.pop(settings.LANGUAGE_CODE, None)
    return [{"name": text, "lang": language, "note": "multilingual"} for language, text in written.items()]


@require_safe
@public_page
def export_json(request):
    """Bodies, posts and offices in the shape of Popolo: current offices, or
    every office ever held with ``?all=1``. Names and labels are given in the
    default language whatever the reader's, with the others beside them:
    consumers of open data get one stable record."""
    with translation.override(settings.LANGUAGE_CODE):
        return _export_json(request)


def _export_json(request):
    everything = FlagInput().value_from_datadict(request.GET, None, "all")
    offices = Office.objects.all() if everything else Office.objects.current()
    offices = offices.for_display().order_by(
        "-term__start_date", "post__body__position", "post__position", "start_date", "organisation__name"
    )
    organizations = [
        _without_blanks(
            {
                "id": body.slug,
                "name": body.name,
                "other_names": (
                    ([{"name": body.abbreviation, "note": "abbreviation"}] if body.abbreviation else [])
                    + _other_names(body, "name")
                ),
                "classification": "governing body",
                "description": body.description,
                "cadence_months": body.cadence_months,
                "max_seats": body.max_seats,
                "url": request.build_absolute_uri(body.get_absolute_url()),
            }
        )
        for body in Body.objects.all()
    ]
    posts = [
        _without_blanks(
            {
                "id": post.slug,
                "label": post.label,
                "other_label": [other["name"] for other in _other_names(post, "label")],
                "role": post.role,
                "organization_id": post.body.slug,
                "is_officer": post.is_officer,
                "max_holders": post.max_holders,
            }
        )
        for post in Post.objects.select_related("body")
    ]
    memberships = [
        _without_blanks(
            {
                "id": f"office-{office.pk}",
                "post_id": office.post.slug,
                "label": office.post.label,
                "role": office.post.role,
                # Popolo names the member as an object with its type; member_id
                # and member_name stay beside it for existing consumers.
                "member": {"@type": "Organization", "id": office.organisation.slug, "name": office.organisation.name},
                "member_id": office.organisation.slug,
                "member_name": office.organisation.name,
                "member_url": (
                    request.build_absolute_uri(office.organisation.get_absolute_url()) if office.member_listed else None
                ),
                "organization_id": office.post.body.slug,
                "term": office.term.name,
                "start_date": office.start_date.isoformat(),
                "end_date": office.effective_end.isoformat(),
                "how_chosen": office.how_chosen,
                "end_reason": office.end_reason,
            }
        )
        for office in offices
    ]
    response = JsonResponse(
        {"organizations": organizations, "posts": posts, "memberships": memberships},
        json_dumps_params={"ensure_ascii": False},
    )
    response["Access-Control-Allow-Origin"] = "*"  # open data
    return response
