"""The pages of a vote: a member's voting page (its open polls, its ballots,
the votes it carries, its proxies), the secretariat's live view in session
and its small JSON feed, and the results' exports (CSV, Popolo).

Who may see a meeting is ``access``'s, through ``get_meeting_for_user``;
who casts which ballot is ``access.voting_rights``, checked again by the
services; the secretariat's pages answer 404 to anyone else.
"""

import csv
import io

from django.contrib import messages
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from members.text import spreadsheet_safe

from .. import access
from ..forms import ProxyDecisionForm, ProxyForm, RollChangeForm
from ..models import Ballot, Poll, Proxy, ProxyStatus, RollEntry, VotingRoll, roll_of, vote_of
from ..services import voting as voting_services
from ..services.voting import VotingError
from .meetings import answers_kept_out, get_meeting_for_user


def _votes_url(meeting, anchor=""):
    return reverse("voting:page", args=[meeting.slug]) + (f"#{anchor}" if anchor else "")


def _live_url(meeting):
    return reverse("voting:live", args=[meeting.slug])


def _own_organisations(user, meeting):
    return access.organisations_of(user).filter(pk__in=meeting.invited_organisations().values("pk")).order_by("name")


def _page_context(request, meeting, proxy_forms=None):
    user = request.user
    proxy_forms = proxy_forms or {}
    rights = access.voting_rights(user, meeting)
    represented = [right.organisation.pk for right in rights]
    polls = list(meeting.polls.open().prefetch_related("candidates__organisation").order_by("position", "pk"))
    voted = set(
        Ballot.objects.filter(poll__in=polls, organisation__in=represented).values_list("poll_id", "organisation_id")
    )
    open_polls = [
        {
            "poll": poll,
            "options": poll.options(),
            "accepts": poll.accepts_ballots(),
            "ballots": [{"right": right, "voted": (poll.pk, right.organisation.pk) in voted} for right in rights],
        }
        for poll in polls
    ]
    own = list(_own_organisations(user, meeting))
    roll = VotingRoll.objects.filter(meeting=meeting).first()
    left_off = {}
    if roll is not None:
        left_off = dict(
            RollEntry.objects.filter(roll=roll, entitled=False, organisation__in=[o.pk for o in own]).values_list(
                "organisation_id", "reason"
            )
        )
    on_roll = roll_of(meeting)
    on_roll_ids = set(on_roll.values_list("pk", flat=True))
    own_ids = [organisation.pk for organisation in own]
    proxies = list(
        Proxy.objects.filter(Q(grantor__in=own_ids) | Q(holder__in=own_ids), meeting=meeting)
        .select_related("grantor", "holder")
        .order_by("-submitted_at", "-pk")
    )
    polls_opened = voting_services.any_poll_opened(meeting)
    standing_given = {proxy.grantor_id for proxy in proxies if proxy.stands}
    holding = {proxy.holder_id for proxy in proxies if proxy.stands}
    givers = []
    for organisation in own:
        may_give = organisation.pk in on_roll_ids and organisation.pk not in standing_given | holding
        if may_give and not polls_opened:
            givers.append(proxy_forms.get(organisation.pk) or ProxyForm(grantor=organisation, holders=on_roll))
    members = []
    for organisation in own:
        if organisation.pk in on_roll_ids:
            note = ""
        else:
            note = left_off.get(organisation.pk) or str(vote_of(organisation).reason) or _("Not on the voting roll.")
        members.append({"organisation": organisation, "votes": organisation.pk in on_roll_ids, "note": note})
    my_ballots = list(
        Ballot.objects.filter(poll__meeting=meeting, organisation__in=represented)
        .select_related("poll", "organisation", "proxy")
        .prefetch_related("poll__candidates__organisation")
        .order_by("poll__position", "poll__pk", "organisation__name")
    )
    for ballot in my_ballots:
        ballot.chosen = "" if ballot.poll.secret else voting_services.choice_labels(ballot.poll, ballot.choices)
    return {
        "meeting": meeting,
        "rights": rights,
        "members": members,
        "open_polls": open_polls,
        "my_ballots": my_ballots,
        "proxies": proxies,
        "own_ids": set(own_ids),
        "givers": givers,
        "polls_opened": polls_opened,
        "roll_frozen": roll is not None,
        "is_secretariat": access.is_secretariat(user),
    }


@require_safe
@answers_kept_out
def voting_page(request, slug):
    meeting = get_meeting_for_user(request, slug)
    return render(request, "meetings/votes.html", _page_context(request, meeting))


@require_POST
@answers_kept_out
def cast(request, slug, poll_id, organisation_id):
    meeting = get_meeting_for_user(request, slug)
    poll = meeting.polls.filter(pk=poll_id).first()
    if poll is None:
        raise Http404
    try:
        result = voting_services.cast_ballot(poll.pk, organisation_id, request.user.pk, request.POST.getlist("choice"))
    except VotingError as error:
        messages.error(request, str(error))
        return redirect(_votes_url(meeting, f"poll-{poll.pk}"))
    messages.success(
        request, _("The ballot of %(member)s is cast in “%(poll)s”.") % {"member": result.organisation, "poll": poll}
    )
    if result.receipt:
        # Shown in this response and kept nowhere, not even in the session,
        # where it would sit beside the voter's login: the voter notes it.
        context = _page_context(request, meeting)
        context["receipt"] = {"poll": poll.title, "code": result.receipt}
        return render(request, "meetings/votes.html", context)
    return redirect(_votes_url(meeting, f"poll-{poll.pk}"))


@require_POST
@answers_kept_out
def give_proxy(request, slug, organisation_id):
    meeting = get_meeting_for_user(request, slug)
    grantor = _own_organisations(request.user, meeting).filter(pk=organisation_id).first()
    if grantor is None:
        raise Http404
    form = ProxyForm(request.POST, request.FILES, grantor=grantor, holders=roll_of(meeting))
    if form.is_valid():
        try:
            voting_services.give_proxy(
                meeting.pk, grantor.pk, form.cleaned_data["holder"].pk, form.cleaned_data["form"], request.user.pk
            )
        except VotingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The proxy of %(grantor)s to %(holder)s is submitted; the secretariat will accept or refuse it.")
                % {"grantor": grantor, "holder": form.cleaned_data["holder"]},
            )
            return redirect(_votes_url(meeting, "proxies"))
    context = _page_context(request, meeting, proxy_forms={grantor.pk: form})
    return render(request, "meetings/votes.html", context, status=400)


@require_POST
@answers_kept_out
def revoke_proxy(request, slug, pk):
    meeting = get_meeting_for_user(request, slug)
    proxy = Proxy.objects.filter(
        pk=pk, meeting=meeting, grantor__in=_own_organisations(request.user, meeting).values("pk")
    ).first()
    if proxy is None:
        raise Http404
    try:
        voting_services.revoke_proxy(proxy.pk, request.user.pk)
    except VotingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The proxy is revoked: %(grantor)s votes itself.") % {"grantor": proxy.grantor})
    return redirect(_votes_url(meeting, "proxies"))


# --- The secretariat in session ----------------------------------------------------------
def _meeting_for_secretariat(request, slug):
    """The meeting, for the secretariat; anyone else logged in gets a 404, and
    someone not logged in the login page (as for any meeting page)."""
    if request.user.is_authenticated and not access.is_secretariat(request.user):
        raise Http404
    return get_meeting_for_user(request, slug)


def _live_context(meeting, roll_form=None):
    roll = VotingRoll.objects.filter(meeting=meeting).first()
    polls = list(
        meeting.polls.select_related("agenda_item", "post")
        .prefetch_related("candidates__organisation")
        .order_by("position", "pk")
    )
    status = {entry["id"]: entry for entry in voting_services.live_status(meeting)}
    entries = (
        list(roll.entries.select_related("organisation").order_by("-entitled", "organisation__name")) if roll else []
    )
    preview = [] if roll else voting_services.roll_preview(meeting)
    return {
        "meeting": meeting,
        "roll": roll,
        "entries": entries,
        "preview": preview,
        "changes": roll.changes.select_related("organisation", "changed_by") if roll else [],
        "polls": [{"poll": poll, "live": status.get(poll.pk)} for poll in polls],
        "awaiting": Proxy.objects.filter(meeting=meeting, status=ProxyStatus.SUBMITTED)
        .select_related("grantor", "holder")
        .order_by("submitted_at", "pk"),
        "accepted": Proxy.objects.filter(meeting=meeting, status=ProxyStatus.ACCEPTED)
        .select_related("grantor", "holder")
        .order_by("holder__name", "grantor__name"),
        "decision_form": ProxyDecisionForm(),
        "roll_form": roll_form or RollChangeForm(members=meeting.invited_organisations()),
        "status_url": reverse("voting:live_status", args=[meeting.slug]),
    }


@require_safe
@answers_kept_out
def live(request, slug):
    meeting = _meeting_for_secretariat(request, slug)
    return render(request, "meetings/votes_live.html", _live_context(meeting))


@require_safe
@answers_kept_out
def live_status(request, slug):
    """What the live view refreshes, a few times a minute."""
    meeting = _meeting_for_secretariat(request, slug)
    response = JsonResponse({"polls": voting_services.live_status(meeting)})
    response["Cache-Control"] = "private, no-store"
    return response


def _act(request, meeting, act, success):
    try:
        act()
    except VotingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect(_live_url(meeting))


@require_POST
@answers_kept_out
def freeze_roll(request, slug):
    meeting = _meeting_for_secretariat(request, slug)
    return _act(
        request,
        meeting,
        lambda: voting_services.freeze_roll(meeting.pk, request.user.pk),
        _("The voting roll is frozen."),
    )


@require_POST
@answers_kept_out
def change_roll(request, slug):
    meeting = _meeting_for_secretariat(request, slug)
    form = RollChangeForm(request.POST, members=meeting.invited_organisations())
    if not form.is_valid():
        return render(request, "meetings/votes_live.html", _live_context(meeting, roll_form=form), status=400)
    data = form.cleaned_data
    return _act(
        request,
        meeting,
        lambda: voting_services.change_roll(
            meeting.pk, data["organisation"].pk, data["entitled"], data["reason"], request.user.pk
        ),
        _("The roll is changed: %(member)s.") % {"member": data["organisation"]},
    )


@require_POST
@answers_kept_out
def poll_act(request, slug, poll_id, act):
    meeting = _meeting_for_secretariat(request, slug)
    poll = Poll.objects.filter(meeting=meeting, pk=poll_id).first()
    if poll is None:
        raise Http404
    acts = {
        "open": (voting_services.open_poll, _("“%(poll)s” is open.")),
        "close": (voting_services.close_poll, _("“%(poll)s” is closed and counted.")),
        "office": (voting_services.create_office, _("The office of the election “%(poll)s” is created.")),
    }
    if act not in acts:
        raise Http404
    service, message = acts[act]
    return _act(request, meeting, lambda: service(poll.pk, request.user.pk), message % {"poll": poll})


@require_POST
@answers_kept_out
def decide_proxy(request, slug, pk, decision):
    meeting = _meeting_for_secretariat(request, slug)
    proxy = Proxy.objects.filter(meeting=meeting, pk=pk).first()
    if proxy is None or decision not in ("accept", "refuse"):
        raise Http404
    form = ProxyDecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    accept = decision == "accept"
    return _act(
        request,
        meeting,
        lambda: voting_services.decide_proxy(proxy.pk, accept, note, request.user.pk),
        (_("The proxy of %(grantor)s is accepted.") if accept else _("The proxy of %(grantor)s is refused."))
        % {"grantor": proxy.grantor},
    )


# --- Exports ---------------------------------------------------------------------------------
@require_safe
@answers_kept_out
def results_csv(request, slug):
    """One row per option of each closed poll, then one per named vote."""
    meeting = get_meeting_for_user(request, slug)
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(
        ["poll", "question", "secret", "majority", "abstentions_count", "result", "option", "votes", "member"]
    )
    for published in voting_services.published_results(meeting):
        poll = published.poll
        common = [poll.pk, poll.title, int(poll.secret), poll.majority, int(poll.abstentions_count), poll.result]
        rows = [[*common, label, votes, ""] for label, votes in published.lines]
        rows += [[*common, choice, 1, member] for member, choice, _proxy in published.votes]
        writer.writerows([[spreadsheet_safe(str(cell)) for cell in row] for row in rows])
    response = HttpResponse(output.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{meeting.slug}-votes.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@answers_kept_out
def results_popolo(request, slug):
    """The closed polls as Popolo vote events, with their counts and (named polls) votes."""
    meeting = get_meeting_for_user(request, slug)
    events = [_vote_event(request, meeting, published) for published in voting_services.published_results(meeting)]
    response = JsonResponse({"vote_events": events}, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store"
    return response


def _vote_event(request, meeting, published):
    poll = published.poll
    counts = (poll.counts or {}).get("counts", {})
    names = {str(c.organisation_id): c.organisation.slug for c in poll.candidates.all()}
    event = {
        "id": f"poll-{poll.pk}",
        "identifier": str(poll.pk),
        "organization_id": meeting.body.slug,
        "legislative_session_id": meeting.slug,
        "motion": {"id": f"poll-{poll.pk}-motion", "text": poll.title, "classification": poll.method},
        "classification": "election" if poll.is_election else "motion",
        "start_date": poll.opened_at.isoformat() if poll.opened_at else None,
        "end_date": poll.closed_at.isoformat() if poll.closed_at else None,
        "result": poll.result,
        "counts": [{"option": names.get(option, option), "value": value} for option, value in counts.items()],
        "sources": [{"url": request.build_absolute_uri(poll.get_absolute_url())}],
    }
    if not poll.secret:
        event["votes"] = [
            {
                "voter_id": ballot.organisation.slug,
                "option": ",".join(names.get(c, c) for c in ballot.choices or []),
                **({"role": "proxy"} if ballot.proxy_id else {}),
            }
            for ballot in poll.ballots.all()
        ]
    return event


@require_safe
@answers_kept_out
def proxy_form(request, slug, pk):
    """A proxy's signed form: for the secretariat and the two members it concerns."""
    meeting = get_meeting_for_user(request, slug)
    proxies = Proxy.objects.filter(meeting=meeting, pk=pk)
    if not access.is_secretariat(request.user):
        own = _own_organisations(request.user, meeting).values("pk")
        proxies = proxies.filter(Q(grantor__in=own) | Q(holder__in=own))
    proxy = proxies.first()
    if proxy is None:
        raise Http404
    try:
        handle = proxy.form.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=f"{meeting.slug}-proxy-{proxy.pk}.pdf", content_type="application/pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response
