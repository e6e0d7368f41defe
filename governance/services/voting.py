"""The acts of a vote, each in one transaction: freezing a meeting's voting
roll and changing it, proxies given, decided and revoked, polls opened and
closed, ballots cast, and the office an election fills.

Each takes ids, locks the rows it decides on, raises ``VotingError`` with a
message for the person who asked, and logs what it did, never what a secret
ballot holds. Who may cast which ballot is ``access.voting_rights``; who
carries a vote, ``standing`` (through ``VotingRoll`` when frozen).
"""

import logging
import random
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from members.models import Organisation, User

from .. import access, voting_notices
from ..models import (
    ABSTAIN,
    NO,
    NONE_OF_THESE,
    YES,
    Ballot,
    BodySlug,
    Candidate,
    HowChosen,
    Meeting,
    MeetingStatus,
    Office,
    Poll,
    PollMethod,
    PollResult,
    PollStatus,
    Proxy,
    ProxyStatus,
    Resolution,
    ResolutionKind,
    ResolutionOutcome,
    RollChange,
    RollEntry,
    SecretBallot,
    Term,
    VotingRoll,
    roll_of,
    tally,
    vote_of,
    voting_members,
)

log = logging.getLogger(__name__)


class VotingError(Exception):
    """An act the rules of a vote do not allow; the message says why."""


def _locked_meeting(meeting_id):
    try:
        return Meeting.objects.select_for_update().select_related("body", "term").get(pk=meeting_id)
    except Meeting.DoesNotExist:
        raise VotingError(_("There is no such meeting.")) from None


def _locked_poll(poll_id):
    try:
        return Poll.objects.select_for_update(of=("self",)).select_related("meeting__body", "post").get(pk=poll_id)
    except Poll.DoesNotExist:
        raise VotingError(_("There is no such poll.")) from None


def any_poll_opened(meeting):
    return meeting.polls.filter(opened_at__isnull=False).exists()


# --- The roll --------------------------------------------------------------------
def roll_preview(meeting, on=None):
    """Each member sitting in ``meeting`` with its ``standing.Vote`` on ``on``
    (default today): what freezing the roll now would record."""
    on = on or timezone.localdate()
    invited = meeting.invited_organisations().select_related("membership__category").order_by("name")
    entitled = set(voting_members(meeting.invited_organisations(), on).values_list("pk", flat=True))
    entries = []
    for organisation in invited:
        if organisation.pk in entitled:
            entries.append((organisation, True, ""))
        else:
            vote = vote_of(organisation, on)
            # The queryset and the per-member rule are one rule; should they
            # ever disagree, the member is left off and the roll says so.
            entries.append((organisation, False, str(vote.reason) or _("Not in good standing.")))
    return entries


@transaction.atomic
def freeze_roll(meeting_id, by_user_id):
    """Freeze the voting roll of a meeting as it opens: every member sitting
    in it, on the roll or left off with the reason, as good standing has
    it today. Done once; later changes are ``change_roll``."""
    meeting = _locked_meeting(meeting_id)
    if meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.PLANNED):
        raise VotingError(
            _("Only a convened or held meeting has a voting roll; this one is %(status)s.")
            % {"status": meeting.get_status_display()}
        )
    if VotingRoll.objects.filter(meeting=meeting).exists():
        raise VotingError(_("The voting roll of this meeting is already frozen."))
    roll = VotingRoll.objects.create(meeting=meeting, frozen_by_id=by_user_id)
    RollEntry.objects.bulk_create(
        [
            RollEntry(roll=roll, organisation=organisation, entitled=entitled, reason=reason[:300])
            for organisation, entitled, reason in roll_preview(meeting)
        ]
    )
    log.info("meeting %s: voting roll frozen by user %s", meeting.pk, by_user_id)
    return roll


@transaction.atomic
def change_roll(meeting_id, organisation_id, entitled, reason, by_user_id):
    """Put a member on the frozen roll or take it off: the secretariat's act, with its reason."""
    meeting = _locked_meeting(meeting_id)
    reason = (reason or "").strip()
    if not reason:
        raise VotingError(_("Say why the roll changes."))
    roll = VotingRoll.objects.filter(meeting=meeting).first()
    if roll is None:
        raise VotingError(_("The roll is not frozen yet: it follows good standing until the meeting opens."))
    if not meeting.invited_organisations().filter(pk=organisation_id).exists():
        raise VotingError(_("Only a member sitting in the meeting can be on its roll."))
    entry, _created = RollEntry.objects.get_or_create(
        roll=roll, organisation_id=organisation_id, defaults={"entitled": entitled, "reason": reason[:300]}
    )
    if not _created:
        if entry.entitled == entitled:
            raise VotingError(_("%(member)s is already so on the roll.") % {"member": entry.organisation})
        entry.entitled = entitled
        entry.reason = "" if entitled else reason[:300]
        entry.save(update_fields=["entitled", "reason"])
    RollChange.objects.create(
        roll=roll, organisation_id=organisation_id, entitled=entitled, reason=reason[:300], changed_by_id=by_user_id
    )
    log.info("meeting %s: roll entry of %s set to %s by user %s", meeting.pk, organisation_id, entitled, by_user_id)
    return entry


# --- Proxies ---------------------------------------------------------------------
def _votes_in(meeting, organisation_id):
    return roll_of(meeting).filter(pk=organisation_id).exists()


@transaction.atomic
def give_proxy(meeting_id, grantor_id, holder_id, form, by_user_id):
    """A member gives its vote for one meeting to another member, with the
    signed form; the secretariat then accepts or refuses it."""
    meeting = _locked_meeting(meeting_id)
    user = User.objects.filter(pk=by_user_id, is_active=True).first()
    if user is None or not access.organisations_of(user).filter(pk=grantor_id).exists():
        raise VotingError(_("You may give a proxy only for your own organisation."))
    if meeting.status not in (MeetingStatus.CONVENED, MeetingStatus.PLANNED):
        raise VotingError(_("Proxies are given for a meeting that is to be held."))
    if any_poll_opened(meeting):
        raise VotingError(_("A poll of this meeting has opened: proxies can no longer be given."))
    if str(grantor_id) == str(holder_id):
        raise VotingError(_("A member cannot give its vote to itself."))
    if not _votes_in(meeting, grantor_id):
        raise VotingError(_("Your organisation has no vote in this meeting to give."))
    holder = Organisation.objects.filter(pk=holder_id).first()
    if holder is None or not _votes_in(meeting, holder_id):
        raise VotingError(_("A proxy is given to another member with a vote in this meeting."))
    standing = Proxy.objects.filter(meeting=meeting, status__in=(ProxyStatus.SUBMITTED, ProxyStatus.ACCEPTED))
    if standing.filter(grantor_id=grantor_id).exists():
        raise VotingError(_("Your organisation has already given a proxy for this meeting; revoke it first."))
    if standing.filter(grantor_id=holder_id).exists():
        raise VotingError(_("%(member)s has given its own vote away for this meeting.") % {"member": holder})
    if standing.filter(holder_id=grantor_id).exists():
        raise VotingError(_("Your organisation holds a proxy for this meeting: it cannot give its vote away."))
    proxy = Proxy(meeting=meeting, grantor_id=grantor_id, holder=holder, form=form, submitted_by=user)
    try:
        proxy.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise VotingError(" ".join(error.messages)) from None
    try:
        with transaction.atomic():
            proxy.save()
    except IntegrityError:
        raise VotingError(_("A proxy was given at the same moment; reload the page.")) from None
    log.info("meeting %s: proxy %s given by %s to %s", meeting.pk, proxy.pk, grantor_id, holder_id)
    return proxy


@transaction.atomic
def decide_proxy(proxy_id, accept, note, by_user_id):
    """The secretariat accepts a proxy (within the body's cap per holder) or refuses it, with a reason."""
    proxy = Proxy.objects.filter(pk=proxy_id).first()
    if proxy is None:
        raise VotingError(_("There is no such proxy."))
    meeting = _locked_meeting(proxy.meeting_id)  # serialises the cap's count
    proxy = Proxy.objects.select_for_update().select_related("grantor", "holder").get(pk=proxy_id)
    if proxy.status != ProxyStatus.SUBMITTED:
        raise VotingError(_("This proxy was already %(status)s.") % {"status": proxy.get_status_display().lower()})
    note = (note or "").strip()
    if accept:
        cap = meeting.body.proxies_per_holder
        held = Proxy.objects.filter(meeting=meeting, holder=proxy.holder, status=ProxyStatus.ACCEPTED).count()
        if held >= cap:
            raise VotingError(
                ngettext(
                    "%(holder)s already holds %(held)d proxy, the most a member may hold in the %(body)s.",
                    "%(holder)s already holds %(held)d proxies, the most a member may hold in the %(body)s.",
                    held,
                )
                % {"holder": proxy.holder, "held": held, "body": meeting.body}
            )
        if not (_votes_in(meeting, proxy.grantor_id) and _votes_in(meeting, proxy.holder_id)):
            raise VotingError(_("Both members must have a vote in the meeting."))
    elif not note:
        raise VotingError(_("Say why the proxy is refused: the member is told."))
    proxy.status = ProxyStatus.ACCEPTED if accept else ProxyStatus.REFUSED
    proxy.note = note[:300]
    proxy.decided_by_id = by_user_id
    proxy.decided_at = timezone.now()
    proxy.save(update_fields=["status", "note", "decided_by", "decided_at"])
    log.info("meeting %s: proxy %s %s by user %s", meeting.pk, proxy.pk, proxy.status, by_user_id)
    return proxy


@transaction.atomic
def revoke_proxy(proxy_id, by_user_id):
    """The grantor takes its vote back, until the first poll of the meeting opens."""
    proxy = Proxy.objects.filter(pk=proxy_id).first()
    if proxy is None:
        raise VotingError(_("There is no such proxy."))
    meeting = _locked_meeting(proxy.meeting_id)
    proxy = Proxy.objects.select_for_update().get(pk=proxy_id)
    user = User.objects.filter(pk=by_user_id, is_active=True).first()
    if user is None or not access.organisations_of(user).filter(pk=proxy.grantor_id).exists():
        raise VotingError(_("Only the member that gave a proxy may revoke it."))
    if not proxy.stands:
        raise VotingError(_("This proxy no longer stands."))
    if any_poll_opened(meeting):
        raise VotingError(_("A poll of this meeting has opened: the proxy can no longer be revoked."))
    proxy.status = ProxyStatus.REVOKED
    proxy.revoked_at = timezone.now()
    proxy.save(update_fields=["status", "revoked_at"])
    log.info("meeting %s: proxy %s revoked by user %s", meeting.pk, proxy.pk, by_user_id)
    return proxy


# --- Presence and quorum -----------------------------------------------------------
@dataclass(frozen=True)
class Presence:
    """Who takes part in a poll: the roll, the members present, the votes
    carried by proxies held by members present, and the members who cast a
    ballot (which count as present in a remote poll)."""

    roll: list
    present: list
    proxies: list
    voted: int
    remote: bool

    @property
    def represented(self):
        return len(set(self.present) | {grantor for grantor, _holder in self.proxies})

    @property
    def required(self):
        return len(self.roll) // 2 + 1

    @property
    def quorate(self):
        return bool(self.roll) and self.represented >= self.required

    def as_json(self):
        return {
            "roll": self.roll,
            "present": self.present,
            "proxies": [{"grantor": grantor, "holder": holder} for grantor, holder in self.proxies],
            "represented": self.represented,
            "required": self.required,
            "quorate": self.quorate,
            "voted": self.voted,
            "remote": self.remote,
        }


def presence(poll):
    """Members present plus proxies, against the roll, now."""
    meeting = poll.meeting
    roll = sorted(roll_of(meeting).values_list("pk", flat=True))
    on_roll = set(roll)
    present = set(meeting.attendances.filter(organisation__in=roll).values_list("organisation_id", flat=True))
    voted = poll.ballots.count()
    if poll.is_remote:
        present |= set(poll.ballots.values_list("organisation_id", flat=True))
    proxies = [
        (grantor, holder)
        for grantor, holder in meeting.proxies.filter(status=ProxyStatus.ACCEPTED).values_list(
            "grantor_id", "holder_id"
        )
        if grantor in on_roll and holder in present
    ]
    return Presence(
        roll=roll, present=sorted(present & on_roll), proxies=sorted(proxies), voted=voted, remote=poll.is_remote
    )


# --- Polls ------------------------------------------------------------------------
@transaction.atomic
def open_poll(poll_id, by_user_id, now=None):
    """Open a poll: the roll is frozen if it was not yet (the meeting opens),
    and the quorum is checked (a remote poll's, at closing only: nobody is
    present before the votes come in)."""
    now = now or timezone.now()
    poll = _locked_poll(poll_id)
    meeting = _locked_meeting(poll.meeting_id)
    if poll.status != PollStatus.DRAFT:
        raise VotingError(_("This poll is already %(status)s.") % {"status": poll.get_status_display().lower()})
    if meeting.status not in (MeetingStatus.CONVENED, MeetingStatus.HELD):
        raise VotingError(_("Polls are opened in a convened meeting."))
    if poll.is_election and poll.candidates.count() < 1:
        raise VotingError(_("An election needs its candidates before it opens."))
    if poll.is_remote and poll.closes_at <= now:
        raise VotingError(_("The poll's window has already closed."))
    if not VotingRoll.objects.filter(meeting=meeting).exists():
        freeze_roll(meeting.pk, by_user_id)
    quorum = presence(poll)
    if not poll.is_remote and not quorum.quorate:
        raise VotingError(
            _(
                "No quorum: %(represented)d of the %(roll)d members on the roll are present or represented;"
                " %(required)d are needed."
            )
            % {"represented": quorum.represented, "roll": len(quorum.roll), "required": quorum.required}
        )
    poll.status = PollStatus.OPEN
    poll.opened_at = now
    poll.opened_by_id = by_user_id
    poll.quorum_at_opening = quorum.as_json()
    poll.save(update_fields=["status", "opened_at", "opened_by", "quorum_at_opening"])
    log.info("poll %s opened by user %s", poll.pk, by_user_id)
    return poll


def _hold_open(poll_id):
    """Lock the poll's row in share mode: ballots are cast side by side, and
    the close (FOR UPDATE) waits for them, then they for it. Returns the status."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT status, opens_at, closes_at FROM governance_poll WHERE id = %s FOR SHARE", [poll_id])
        return cursor.fetchone()


@dataclass(frozen=True)
class Cast:
    """A ballot cast: for a secret poll, the voter's receipt code (shown once)."""

    organisation: Organisation
    receipt: str = ""


@transaction.atomic
def cast_ballot(poll_id, organisation_id, by_user_id, choices):
    """Cast the ballot of member ``organisation_id`` in a poll, by user
    ``by_user_id`` acting for it or for the holder of its proxy. One ballot
    per poll and member: a second is refused by the database's constraint."""
    row = _hold_open(poll_id)
    if row is None:
        raise VotingError(_("There is no such poll."))
    poll = Poll.objects.select_related("meeting").get(pk=poll_id)
    if not poll.accepts_ballots():
        raise VotingError(_("This poll is not open for votes."))
    user = User.objects.filter(pk=by_user_id, is_active=True).first()
    right = (
        next((r for r in access.voting_rights(user, poll.meeting) if r.organisation.pk == int(organisation_id)), None)
        if user is not None
        else None
    )
    if right is None:
        raise VotingError(_("You cannot vote for this member in this meeting."))
    try:
        choices = poll.check_choices(choices)
    except ValidationError as error:
        raise VotingError(" ".join(error.messages)) from None
    ballot = Ballot(poll=poll, organisation=right.organisation, proxy=right.proxy)
    if not poll.secret:
        ballot.choices = choices
        ballot.cast_by = user
    try:
        with transaction.atomic():
            ballot.save()
            receipt = SecretBallot.objects.create(poll=poll, choices=choices).receipt if poll.secret else ""
    except IntegrityError:
        raise VotingError(_("%(member)s has already voted in this poll.") % {"member": right.organisation}) from None
    log.info("poll %s: ballot of member %s cast", poll.pk, right.organisation.pk)
    return Cast(right.organisation, receipt)


def ballots_of(poll):
    """The choices of every ballot of ``poll``, without who cast them."""
    model = SecretBallot if poll.secret else Ballot
    return list(model.objects.filter(poll=poll).values_list("choices", flat=True))


@transaction.atomic
def close_poll(poll_id, by_user_id, now=None):
    """Close a poll: count it against its majority and the quorum now, keep
    a snapshot of the roll, presence and proxies, write the outcome into
    the meeting's resolutions, start the run-off an election may need, and
    record the results notice (once)."""
    poll = _locked_poll(poll_id)
    if poll.status != PollStatus.OPEN:
        raise VotingError(_("Only an open poll can be closed."))
    now = now or timezone.now()
    quorum = presence(poll)
    candidates = list(poll.candidates.values_list("organisation_id", flat=True))
    result = tally(
        ballots_of(poll),
        method=poll.method,
        majority=poll.majority,
        abstentions_count=poll.abstentions_count,
        roll=len(quorum.roll),
        quorate=quorum.quorate,
        max_choices=poll.max_choices,
        candidates=candidates,
        runoff_allowed=poll.runoff_of_id is None,
    )
    poll.status = PollStatus.CLOSED
    poll.closed_at = now
    poll.closed_by_id = by_user_id
    poll.result = result.result
    poll.counts = result.as_json()
    poll.snapshot = {"at": now.isoformat(), **quorum.as_json()}
    poll.outcome = _write_outcome(poll, result)
    poll.save(update_fields=["status", "closed_at", "closed_by", "result", "counts", "snapshot", "outcome"])
    if result.result == PollResult.RUNOFF:
        _start_runoff(poll, result.runoff)
    if poll.secret:
        _shuffle_secret_ballots(poll)
    voting_notices.results(poll, by_user_id)
    log.info("poll %s closed by user %s: %s", poll.pk, by_user_id, result.result)
    return poll


def _shuffle_secret_ballots(poll):
    """Write a closed secret poll's ballots again, in random order and in
    this one transaction: the database's own bookkeeping (the inserting
    transaction of each row, its place on disk) no longer follows the order
    the votes came in, so it cannot be matched with who voted when."""
    rows = list(SecretBallot.objects.filter(poll=poll).values("poll_id", "choices", "receipt"))
    random.SystemRandom().shuffle(rows)
    SecretBallot.objects.filter(poll=poll).delete()
    SecretBallot.objects.bulk_create([SecretBallot(**row) for row in rows])


def _write_outcome(poll, result):
    """The poll's outcome as the meeting's resolution (the one voted on, or a new one)."""
    counts = result.counts
    abstaining = counts.get(ABSTAIN, 0)
    if poll.method == PollMethod.YES_NO_ABSTAIN:
        outcome = {
            PollResult.CARRIED: ResolutionOutcome.ADOPTED,
            PollResult.FAILED: ResolutionOutcome.REJECTED,
        }.get(result.result, ResolutionOutcome.DEFERRED)
        resolution = poll.resolution or Resolution(
            meeting=poll.meeting, agenda_item=poll.agenda_item, kind=ResolutionKind.RESOLUTION, text=poll.title
        )
        resolution.outcome = outcome
        resolution.poll = poll
        resolution.votes_for, resolution.votes_against, resolution.abstaining = counts[YES], counts[NO], abstaining
        resolution.save()
        return resolution
    # An election's outcome: each member elected, or else the leading
    # candidate, not elected or deferred to the run-off (or for want of quorum).
    candidates = [str(pk) for pk in poll.candidates.values_list("organisation_id", flat=True)]
    named = result.elected or sorted(candidates, key=lambda c: -counts.get(c, 0))[:1]
    if result.elected:
        outcome, text = ResolutionOutcome.ELECTED, poll.title
    elif result.result == PollResult.FAILED:
        outcome, text = ResolutionOutcome.NOT_ELECTED, poll.title
    elif result.result == PollResult.RUNOFF:
        outcome, text = ResolutionOutcome.DEFERRED, _("%(title)s: no majority, run-off") % {"title": poll.title}
    else:
        outcome, text = ResolutionOutcome.DEFERRED, _("%(title)s: no quorum") % {"title": poll.title}
    written = [
        Resolution.objects.create(
            meeting=poll.meeting,
            agenda_item=poll.agenda_item,
            kind=ResolutionKind.ELECTION,
            text=text,
            candidate_id=int(candidate),
            outcome=outcome,
            votes_for=counts.get(candidate, 0),
            votes_against=result.voters - abstaining - counts.get(candidate, 0),
            abstaining=abstaining,
            poll=poll,
        )
        for candidate in named
    ]
    return written[0] if written else None


def _start_runoff(poll, leading):
    """A new poll, not yet open, between the leading candidates."""
    runoff = Poll.objects.create(
        meeting=poll.meeting,
        agenda_item=poll.agenda_item,
        post=poll.post,
        title=_("Run-off: %(title)s") % {"title": poll.title},
        method=PollMethod.CANDIDATES,
        secret=poll.secret,
        min_choices=1,
        max_choices=1,
        allow_none=poll.allow_none,
        majority=poll.majority,
        abstentions_count=poll.abstentions_count,
        runoff_of=poll,
        position=poll.position + 1,
    )
    Candidate.objects.bulk_create(
        [Candidate(poll=runoff, organisation_id=int(pk), position=index) for index, pk in enumerate(leading)]
    )
    log.info("poll %s: run-off %s between %s", poll.pk, runoff.pk, ",".join(leading))
    return runoff


def close_due_polls(now=None):
    """Close the remote polls whose window has passed (beat); returns their ids."""
    now = now or timezone.now()
    closed = []
    for poll_id in Poll.objects.open().filter(closes_at__lte=now).values_list("pk", flat=True):
        try:
            close_poll(poll_id, None, now=now)
        except VotingError:
            continue  # closed meanwhile by the secretariat
        closed.append(poll_id)
    return closed


# --- The office an election fills ---------------------------------------------------
def office_term(poll):
    """The term an election fills the post for: a regular General Assembly
    elects for the term that starts after it, when one is set up; otherwise
    the meeting's own term."""
    meeting = poll.meeting
    day = meeting.local_start.date()
    if meeting.body.slug == BodySlug.GENERAL_ASSEMBLY:
        following = Term.objects.filter(start_date__gt=day).order_by("start_date").first()
        if following is not None:
            return following
    return meeting.term


@transaction.atomic
def create_office(poll_id, by_user_id):
    """Create the office of the member an election elected, in the right
    term, within the statutes' rules (``Office.clean``, and the database's
    triggers behind it)."""
    poll = _locked_poll(poll_id)
    if poll.status != PollStatus.CLOSED or poll.result != PollResult.CARRIED or not poll.post_id:
        raise VotingError(_("Only an election that elected a member fills an office."))
    term = office_term(poll)
    start = max(term.start_date, poll.meeting.local_start.date())
    offices = []
    for organisation_id in poll.counts.get("elected", []):
        if Office.objects.filter(post=poll.post, term=term, organisation_id=int(organisation_id)).exists():
            raise VotingError(_("The office of this election was already created."))
        office = Office(
            post=poll.post,
            term=term,
            organisation_id=int(organisation_id),
            start_date=start,
            how_chosen=HowChosen.ELECTED_BY_GA if poll.meeting.is_general_assembly else HowChosen.OTHER,
            chosen_note=str(poll.meeting)[:200],
        )
        try:
            office.full_clean()
        except ValidationError as error:
            raise VotingError(" ".join(error.messages)) from None
        office.save()
        offices.append(office)
    log.info("poll %s: offices %s created by user %s", poll.pk, [o.pk for o in offices], by_user_id)
    return offices


def next_position(meeting):
    return (meeting.polls.aggregate(last=Max("position"))["last"] or 0) + 1


# --- What the pages show --------------------------------------------------------------
@dataclass
class PublishedResult:
    """A closed poll as the meeting page publishes it: the counts, who voted
    how (named polls) or the receipt codes counted (secret polls)."""

    poll: Poll
    lines: list
    votes: list
    receipts: list


def choice_labels(poll, choices):
    """What a named ballot chose, in words (candidates by name)."""
    labels = _labels(poll)
    return ", ".join(str(labels.get(choice, choice)) for choice in choices or [])


def _labels(poll):
    labels = {YES: _("Yes"), NO: _("No"), ABSTAIN: _("Abstain"), NONE_OF_THESE: _("None of these")}
    labels.update({str(c.organisation_id): c.organisation.name for c in poll.candidates.all()})
    return labels


def published_results(meeting):
    """The closed polls of ``meeting``, in agenda order, with their results.
    A fixed number of queries, whatever the number of polls and ballots."""
    polls = list(
        meeting.polls.closed()
        .select_related("agenda_item", "post")
        .prefetch_related(
            Prefetch("candidates", queryset=Candidate.objects.select_related("organisation")),
            Prefetch("ballots", queryset=Ballot.objects.select_related("organisation").order_by("organisation__name")),
            Prefetch("secret_ballots", queryset=SecretBallot.objects.order_by("receipt")),
        )
    )
    results = []
    for poll in polls:
        labels = _labels(poll)
        counts = (poll.counts or {}).get("counts", {})
        lines = [(labels.get(key, key), value) for key, value in counts.items()]
        votes = (
            []
            if poll.secret
            else [
                (
                    ballot.organisation.name,
                    ", ".join(str(labels.get(c, c)) for c in ballot.choices or []),
                    ballot.proxy_id,
                )
                for ballot in poll.ballots.all()
            ]
        )
        receipts = [ballot.receipt for ballot in poll.secret_ballots.all()] if poll.secret else []
        results.append(PublishedResult(poll, lines, votes, receipts))
    return results


def open_polls_for(user, limit=20):
    """The open polls of the meetings ``user`` may see, for their own page (one query)."""
    meetings = access.meetings_visible_to(user).values("pk")
    return list(Poll.objects.open().filter(meeting__in=meetings).select_related("meeting").order_by("pk")[:limit])


def live_status(meeting):
    """For the secretariat, each open poll now: how many of the roll have
    voted and, for a named poll, who has not yet (three queries, whatever
    the number of polls and ballots)."""
    roll = dict(roll_of(meeting).values_list("pk", "name"))
    polls = list(meeting.polls.open().order_by("position", "pk"))
    voted_in = {}
    for poll_id, organisation_id in Ballot.objects.filter(poll__in=polls).values_list("poll_id", "organisation_id"):
        voted_in.setdefault(poll_id, set()).add(organisation_id)
    status = []
    for poll in polls:
        voted = voted_in.get(poll.pk, set())
        status.append(
            {
                "id": poll.pk,
                "title": poll.title,
                "roll": len(roll),
                "voted": len(voted & set(roll)),
                "not_voted": None if poll.secret else sorted(name for pk, name in roll.items() if pk not in voted),
            }
        )
    return status
