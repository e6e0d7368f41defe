"""Meeting pages: the public calendar, a meeting's page for those allowed,
its documents, its .ics, delegate registration and the private feeds.

Who may see what is asked of governance/access.py only, through the
fetch-for-user helpers below: someone kept out gets a 404 (or, not logged
in, the login page), never the content.
"""

import datetime
import functools
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from members.caching import public_page

from .. import access
from ..files import CONTENT_TYPES
from ..forms import DelegateForm
from ..ics import calendar_of
from ..models import CalendarFeed, DocumentKind, Meeting, Registration, RegistrationStatus, Resolution
from ..services import meetings as meeting_services
from ..services import voting as voting_services

PAST_PAGE_SIZE = 20
FEED_HISTORY_DAYS = 400


class _KeptOut(Exception):
    """Raised by a fetch-for-user helper; answered by @answers_kept_out."""


def answers_kept_out(view):
    """Someone logged in who may not see a thing gets a 404; someone not
    logged in is asked to log in first."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _KeptOut:
            if request.user.is_authenticated:
                raise Http404 from None
            return redirect_to_login(request.get_full_path())

    return wrapper


def get_meeting_for_user(request, slug):
    meeting = access.meetings_visible_to(request.user).select_related("body", "term", "host").filter(slug=slug).first()
    if meeting is None:
        raise _KeptOut
    return meeting


def get_document_for_user(request, slug, pk):
    document = (
        access.documents_visible_to(request.user).select_related("meeting").filter(meeting__slug=slug, pk=pk).first()
    )
    if document is None:
        raise _KeptOut
    return document


@require_safe
@public_page
def meeting_list(request):
    """Upcoming and past meetings: date, place, body and status are public."""
    now = timezone.now()
    public_documents = Prefetch(
        "documents",
        queryset=access.documents_visible_to(AnonymousUser()).order_by("position", "pk"),
        to_attr="public_documents",
    )
    meetings = Meeting.objects.select_related("body").prefetch_related(public_documents)
    upcoming = list(meetings.upcoming(now))
    past = Paginator(meetings.past(now), PAST_PAGE_SIZE).get_page(request.GET.get("page"))
    shown = [meeting.pk for meeting in upcoming] + [meeting.pk for meeting in past]
    openable = set()
    if request.user.is_authenticated:
        openable = set(access.meetings_visible_to(request.user).filter(pk__in=shown).values_list("pk", flat=True))
    return render(request, "meetings/list.html", {"upcoming": upcoming, "past": past, "openable": openable})


def _detail_context(request, meeting, delegate_forms=None):
    user = request.user
    delegate_forms = delegate_forms or {}
    agenda = list(
        meeting.agenda_items.prefetch_related(
            Prefetch("resolutions", queryset=Resolution.objects.select_related("candidate"))
        )
    )
    quorum = meeting.quorum()
    poll_results = voting_services.published_results(meeting)
    for item in agenda:
        for resolution in item.resolutions.all():
            resolution.carried = resolution.carries(quorum)
    documents = list(access.documents_visible_to(user).filter(meeting=meeting).select_related("agenda_item"))
    representing = []
    organisations = (
        access.organisations_of(user)
        .filter(pk__in=meeting.invited_organisations().values("pk"))
        .select_related("membership__category")
    )
    registrations = Registration.objects.filter(meeting=meeting, organisation__in=organisations.values("pk"))
    by_organisation = {}
    for registration in registrations:
        by_organisation.setdefault(registration.organisation_id, []).append(registration)
    for organisation in organisations:
        representing.append(
            {
                "organisation": organisation,
                "registrations": by_organisation.get(organisation.pk, []),
                "form": delegate_forms.get(organisation.pk) or DelegateForm(organisation=organisation),
            }
        )
    now = timezone.now()
    counts = dict(
        meeting.registrations.values_list("status").annotate(total=Count("pk")).values_list("status", "total")
    )
    return {
        "meeting": meeting,
        "description": meeting.description_html(),
        "tile_url": settings.TILE_URL,
        "online_link": meeting.online_url if access.may_join_online(user, meeting, now) else "",
        "online_link_later": meeting.is_online and now < meeting.online_link_opens_at(),
        "confirmed_count": counts.get(RegistrationStatus.CONFIRMED, 0),
        "waiting_count": counts.get(RegistrationStatus.WAITING, 0),
        "calendar_links": calendar_links(meeting, request.build_absolute_uri(meeting.get_absolute_url())),
        "minutes": [document for document in documents if document.kind == DocumentKind.MINUTES],
        "agenda": agenda,
        "documents": documents,
        "quorum": quorum,
        "attendances": meeting.attendances.select_related("organisation").order_by("organisation__name"),
        "representing": representing,
        "registration_open": meeting.accepts_registrations(),
        "is_secretariat": access.is_secretariat(user),
        "poll_results": poll_results,
        "has_polls": bool(poll_results) or meeting.polls.exists(),
    }


@require_safe
@answers_kept_out
def meeting_detail(request, slug):
    meeting = get_meeting_for_user(request, slug)
    return render(request, "meetings/detail.html", _detail_context(request, meeting))


@require_safe
@answers_kept_out
def document_download(request, slug, pk):
    document = get_document_for_user(request, slug, pk)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.download_name(),
        content_type=CONTENT_TYPES.get(document.extension, "application/octet-stream"),
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def meeting_ics(request, slug):
    """Public, like the date and place it holds."""
    meeting = get_object_or_404(Meeting.objects.select_related("body"), slug=slug)
    return _ics_response(calendar_of([meeting], request.build_absolute_uri, str(meeting)), f"{meeting.slug}.ics")


@require_safe
def calendar_feed(request, token):
    """A user's private feed: the meetings they may see, while their login is
    active and the feed's address has not been reset."""
    feed = CalendarFeed.objects.for_token(token)
    if feed is None or not feed.user.is_active:
        raise Http404
    since = timezone.now() - datetime.timedelta(days=FEED_HISTORY_DAYS)
    meetings = access.meetings_visible_to(feed.user).filter(end__gte=since).select_related("body").order_by("start")
    response = _ics_response(calendar_of(meetings, request.build_absolute_uri, _("WeGO meetings")), "wego.ics")
    response["Content-Disposition"] = "inline"
    return response


def calendar_links(meeting, url):
    """ "Add to Google Calendar" and "Add to Outlook" links: the meeting's
    times in UTC, its place and the link back to its page."""
    start, end = meeting.start.astimezone(datetime.UTC), meeting.end.astimezone(datetime.UTC)
    place = ", ".join(part for part in [meeting.venue, meeting.address] if part)
    google = "https://calendar.google.com/calendar/render?" + urlencode(
        {
            "action": "TEMPLATE",
            "text": str(meeting),
            "dates": f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}",
            "details": url,
            "location": place,
            "ctz": meeting.time_zone,
        }
    )
    outlook = "https://outlook.office.com/calendar/0/deeplink/compose?" + urlencode(
        {
            "path": "/calendar/action/compose",
            "rru": "addevent",
            "subject": str(meeting),
            "startdt": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "enddt": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "body": url,
            "location": place,
        }
    )
    return {"google": google, "outlook": outlook}


def _ics_response(body, filename):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_POST
@answers_kept_out
def register_delegate(request, slug, organisation_id):
    meeting = get_meeting_for_user(request, slug)
    organisation = (
        access.organisations_of(request.user).select_related("membership__category").filter(pk=organisation_id).first()
    )
    if organisation is None:
        raise Http404
    form = DelegateForm(request.POST, organisation=organisation)
    if not form.is_valid():
        return _refused(request, meeting, form)
    try:
        registration = meeting_services.register_delegate(
            meeting.pk,
            organisation.pk,
            request.user.pk,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            is_voting_delegate=form.cleaned_data.get("is_voting_delegate", False),
        )
    except meeting_services.MeetingError as error:
        if not meeting.accepts_registrations():
            # No form is shown any more: say so at the top of the page.
            messages.error(request, str(error))
            return redirect(meeting.get_absolute_url() + "#registration")
        form.refuse(str(error), error.field)
        return _refused(request, meeting, form)
    if registration.status == RegistrationStatus.WAITING:
        messages.success(
            request,
            _("The meeting is full: %(name)s is on the waiting list, and moves up when a place is freed.")
            % {"name": registration.name},
        )
    else:
        messages.success(request, _("%(name)s is registered.") % {"name": registration.name})
    return redirect(meeting.get_absolute_url() + "#registration")


def _refused(request, meeting, form):
    """The page again, the refusal beside the form with what was typed kept,
    and the focus on the field to correct (the form's action carries its
    anchor, so the browser shows it)."""
    form.point_at_errors()
    context = _detail_context(request, meeting, delegate_forms={form.organisation.pk: form})
    return render(request, "meetings/detail.html", context, status=400)


@require_POST
@answers_kept_out
def remove_delegate(request, slug, pk):
    meeting = get_meeting_for_user(request, slug)
    registration = Registration.objects.filter(
        pk=pk, meeting=meeting, organisation__in=access.organisations_of(request.user).values("pk")
    ).first()
    if registration is None:
        raise Http404
    try:
        meeting_services.remove_registration(registration.pk, request.user.pk)
    except meeting_services.MeetingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s is no longer registered.") % {"name": registration.name})
    return redirect(meeting.get_absolute_url() + "#registration")
