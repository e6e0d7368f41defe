"""Votes in a meeting: its voting roll, the proxies members give, the polls,
their ballots and how a poll's result is counted.

- ``VotingRoll``: the members entitled to vote in a meeting, frozen once
  (``governance.services.voting.freeze_roll``) from the one rule of good
  standing (``standing.voting_members`` / ``standing.vote_of``); each member
  sitting in the meeting has a ``RollEntry``, those left out with the
  reason. A later change is a ``RollChange``: the secretariat's act, with
  its reason.
- ``Proxy``: a member gives its vote for one meeting to another, with a
  signed form; the secretariat accepts or refuses it.
- ``Poll``: a question on an agenda item (a resolution) or an election of a
  post, with its method, secrecy, required majority and window.
- ``Ballot``: that a member voted in a poll, once (a database constraint);
  in a named poll it holds the choice and who cast it. In a secret poll the
  choice is a ``SecretBallot``, kept apart: a random key, no time, no link
  to the member, and a receipt code the voter alone was shown.
- ``tally()``: the count and the required majority, a pure function (the
  table-driven tests read it directly).

The multi-row acts (freeze, open, cast, close, proxies) are in
``governance/services/voting.py``.
"""

import secrets
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Organisation

from ..files import validate_signed_form
from .meetings import AgendaItem, Meeting, Resolution
from .offices import Post
from .standing import voting_members


class VotingRoll(models.Model):
    """A meeting's voting roll, frozen by the secretariat when the meeting
    opens: who may vote in it from then on, whatever happens to their
    standing, unless the secretariat changes an entry (``RollChange``)."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="voting_roll", verbose_name=_("meeting")
    )
    frozen_at = models.DateTimeField(_("frozen at"), default=timezone.now)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("frozen by"),
    )

    class Meta:
        verbose_name = _("voting roll")
        verbose_name_plural = _("voting rolls")
        ordering = ["-frozen_at"]

    def __str__(self):
        return str(self.meeting)

    def entitled(self):
        return self.entries.filter(entitled=True)


class RollEntry(models.Model):
    """A member sitting in the meeting, on the roll or left off it with the reason."""

    roll = models.ForeignKey(VotingRoll, on_delete=models.CASCADE, related_name="entries", verbose_name=_("roll"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="roll_entries", verbose_name=_("member")
    )
    entitled = models.BooleanField(_("votes"))
    reason = models.CharField(_("why not"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("roll entry")
        verbose_name_plural = _("roll entries")
        ordering = ["roll", "-entitled", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["roll", "organisation"], name="roll_entry_once_per_member"),
            models.CheckConstraint(condition=Q(entitled=True) | ~Q(reason=""), name="roll_entry_left_off_has_reason"),
        ]

    def __str__(self):
        return f"{self.organisation} ({_('votes') if self.entitled else _('no vote')})"


class RollChange(models.Model):
    """A change to a frozen roll: the secretariat's act, kept with its reason."""

    roll = models.ForeignKey(VotingRoll, on_delete=models.CASCADE, related_name="changes", verbose_name=_("roll"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("member"))
    entitled = models.BooleanField(_("votes from now on"))
    reason = models.CharField(_("reason"), max_length=300)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    changed_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("roll change")
        verbose_name_plural = _("roll changes")
        ordering = ["roll", "changed_at", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="roll_change_has_reason")]

    def __str__(self):
        return f"{self.organisation}: {self.reason}"


# --- Proxies -----------------------------------------------------------------
class ProxyStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting the secretariat")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")
    REVOKED = "revoked", _("Revoked")


# A proxy that stands: its grantor does not vote itself.
STANDING_PROXY = (ProxyStatus.SUBMITTED, ProxyStatus.ACCEPTED)


def _proxy_form_path(proxy, filename):
    return f"proxies/{proxy.meeting.uid}/{uuid.uuid4().hex}.pdf"


class Proxy(models.Model):
    """A member's vote for one meeting, given to another member with a signed form."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="proxies", verbose_name=_("meeting"))
    grantor = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="proxies_given", verbose_name=_("given by")
    )
    holder = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="proxies_held", verbose_name=_("given to")
    )
    form = models.FileField(
        _("signed proxy form"),
        upload_to=_proxy_form_path,
        max_length=200,
        validators=[validate_signed_form],
        help_text=_("The proxy form signed by the member's representative, as a PDF."),
    )
    status = models.CharField(_("status"), max_length=10, choices=ProxyStatus.choices, default=ProxyStatus.SUBMITTED)
    note = models.CharField(_("the secretariat's reason"), max_length=300, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("submitted by")
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("proxy")
        verbose_name_plural = _("proxies")
        ordering = ["meeting", "-submitted_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(grantor=F("holder")), name="proxy_not_to_oneself"),
            models.CheckConstraint(condition=Q(status__in=ProxyStatus.values), name="proxy_status_valid"),
            models.UniqueConstraint(
                fields=["meeting", "grantor"],
                condition=Q(status__in=STANDING_PROXY),
                name="proxy_one_standing_per_grantor",
            ),
        ]

    def __str__(self):
        return _("%(grantor)s to %(holder)s") % {"grantor": self.grantor, "holder": self.holder}

    @property
    def stands(self):
        return self.status in STANDING_PROXY


# --- Polls ---------------------------------------------------------------------
class PollMethod(models.TextChoices):
    YES_NO_ABSTAIN = "yna", _("Yes / no / abstain")
    CANDIDATES = "candidates", _("Choose among candidates")


class Majority(models.TextChoices):
    SIMPLE_OF_CAST = "simple_cast", _("Simple majority of the votes cast")
    ABSOLUTE_OF_ROLL = "absolute_roll", _("Absolute majority of the roll")
    TWO_THIRDS_OF_CAST = "two_thirds_cast", _("Two thirds of the votes cast")
    TWO_THIRDS_OF_ROLL = "two_thirds_roll", _("Two thirds of the roll")


class PollStatus(models.TextChoices):
    DRAFT = "draft", _("Not opened yet")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class PollResult(models.TextChoices):
    CARRIED = "carried", _("Carried")
    FAILED = "failed", _("Failed")
    NO_QUORUM = "no_quorum", _("No quorum")
    RUNOFF = "runoff", _("Run-off between the leading candidates")


# The options a ballot may hold besides candidates' ids.
YES, NO, ABSTAIN, NONE_OF_THESE = "yes", "no", "abstain", "none"


class PollQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=PollStatus.OPEN)

    def closed(self):
        return self.filter(status=PollStatus.CLOSED)


class Poll(models.Model):
    """A question put to the vote in a meeting: a resolution on an agenda
    item, or the election of a post."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="polls", verbose_name=_("meeting"))
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="polls", verbose_name=_("agenda item")
    )
    resolution = models.ForeignKey(
        Resolution,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="polls",
        verbose_name=_("resolution"),
        help_text=_("The resolution voted on; empty: the outcome is written as a new resolution of the agenda item."),
    )
    post = models.ForeignKey(
        Post,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="polls",
        verbose_name=_("post elected"),
        help_text=_("For an election: the post the candidates stand for."),
    )
    title = models.CharField(_("question"), max_length=300)
    method = models.CharField(_("method"), max_length=12, choices=PollMethod.choices, default=PollMethod.YES_NO_ABSTAIN)
    secret = models.BooleanField(
        _("secret ballot"), default=False, help_text=_("Who voted is kept apart from what was voted.")
    )
    min_choices = models.PositiveSmallIntegerField(_("fewest candidates chosen"), default=1)
    max_choices = models.PositiveSmallIntegerField(_("most candidates chosen"), default=1)
    allow_none = models.BooleanField(_("“none of these” may be chosen"), default=True)
    majority = models.CharField(
        _("required majority"), max_length=20, choices=Majority.choices, default=Majority.SIMPLE_OF_CAST
    )
    abstentions_count = models.BooleanField(
        _("abstentions count as votes cast"),
        default=False,
        help_text=_("Stated with the result: whether an abstention weighs against the majority of votes cast."),
    )
    opens_at = models.DateTimeField(
        _("window opens"), null=True, blank=True, help_text=_("For a remote vote between meetings; else empty.")
    )
    closes_at = models.DateTimeField(_("window closes"), null=True, blank=True)
    runoff_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="runoffs", verbose_name=_("run-off of")
    )
    status = models.CharField(_("status"), max_length=10, choices=PollStatus.choices, default=PollStatus.DRAFT)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    quorum_at_opening = models.JSONField(_("quorum at opening"), null=True, blank=True, editable=False)
    result = models.CharField(_("result"), max_length=10, choices=PollResult.choices, blank=True)
    counts = models.JSONField(_("counts"), null=True, blank=True, editable=False)
    snapshot = models.JSONField(_("roll, presence and proxies at closing"), null=True, blank=True, editable=False)
    outcome = models.ForeignKey(
        Resolution,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("outcome written as"),
        editable=False,
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PollQuerySet.as_manager()

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        ordering = ["meeting", "agenda_item__position", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=PollStatus.values), name="poll_status_valid"),
            models.CheckConstraint(condition=Q(majority__in=Majority.values), name="poll_majority_valid"),
            models.CheckConstraint(condition=Q(min_choices__lte=F("max_choices")), name="poll_min_not_above_max"),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True, closes_at__isnull=True)
                | Q(opens_at__isnull=False, closes_at__isnull=False, closes_at__gt=F("opens_at")),
                name="poll_window_whole",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.meeting.get_absolute_url() + f"#poll-{self.pk}"

    @property
    def is_election(self):
        return self.method == PollMethod.CANDIDATES

    @property
    def is_remote(self):
        return self.opens_at is not None

    def accepts_ballots(self, now=None):
        """Open, and inside its window if it has one."""
        if self.status != PollStatus.OPEN:
            return False
        now = now or timezone.now()
        return not self.is_remote or self.opens_at <= now < self.closes_at

    def options(self):
        """What a ballot may hold: (value, label) pairs."""
        if self.method == PollMethod.YES_NO_ABSTAIN:
            return [(YES, _("Yes")), (NO, _("No")), (ABSTAIN, _("Abstain"))]
        options = [(str(candidate.organisation_id), candidate.organisation.name) for candidate in self.candidates.all()]
        if self.allow_none:
            options.append((NONE_OF_THESE, _("None of these")))
        return options + [(ABSTAIN, _("Abstain"))]

    def check_choices(self, choices):
        """The choices of a ballot, checked: a list of option values. Raises
        ValidationError with a message for the voter."""
        choices = list(dict.fromkeys(str(choice) for choice in choices))
        if not choices:
            raise ValidationError(_("Choose an answer."))
        if self.method == PollMethod.YES_NO_ABSTAIN:
            if len(choices) != 1 or choices[0] not in (YES, NO, ABSTAIN):
                raise ValidationError(_("Choose yes, no or abstain."))
            return choices
        candidates = {str(pk) for pk in self.candidates.values_list("organisation_id", flat=True)}
        if choices in ([ABSTAIN], [NONE_OF_THESE] if self.allow_none else None):
            return choices
        if not set(choices) <= candidates:
            raise ValidationError(_("Choose among the candidates, “none of these” or abstain, not several of them."))
        if not self.min_choices <= len(choices) <= self.max_choices:
            raise ValidationError(
                _("Choose from %(min)d to %(max)d candidates.") % {"min": self.min_choices, "max": self.max_choices}
            )
        return sorted(choices)

    def clean(self):
        super().clean()
        if self.agenda_item_id and self.meeting_id and self.agenda_item.meeting_id != self.meeting_id:
            raise ValidationError({"agenda_item": _("The agenda item belongs to another meeting.")})
        if self.resolution_id and self.agenda_item_id and self.resolution.agenda_item_id != self.agenda_item_id:
            raise ValidationError({"resolution": _("The resolution belongs to another agenda item.")})
        if self.method == PollMethod.CANDIDATES and not self.post_id:
            raise ValidationError({"post": _("An election names the post the candidates stand for.")})
        if self.method == PollMethod.YES_NO_ABSTAIN and self.post_id:
            raise ValidationError(
                {"post": _("A yes / no / abstain poll elects no post; choose the candidates method.")}
            )
        if self.min_choices > self.max_choices:
            raise ValidationError({"min_choices": _("The fewest choices cannot be more than the most.")})
        if (self.opens_at is None) != (self.closes_at is None):
            raise ValidationError(_("Give both ends of the window, or neither."))
        if self.opens_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The window closes after it opens.")})


class Candidate(models.Model):
    """A member standing in an election poll."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("poll"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="candidacies", verbose_name=_("candidate")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["poll", "position", "organisation__name"]
        constraints = [models.UniqueConstraint(fields=["poll", "organisation"], name="candidate_once_per_poll")]

    def __str__(self):
        return str(self.organisation)


class Ballot(models.Model):
    """That a member voted in a poll: one per poll and member, whoever cast
    it, held by the database. In a named poll it holds the choice, the user
    who cast it and the proxy it was cast under; in a secret poll none of
    the choice (see ``SecretBallot``)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots", verbose_name=_("poll"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="ballots", verbose_name=_("member")
    )
    choices = models.JSONField(_("choices"), null=True, blank=True)
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cast by"),
    )
    proxy = models.ForeignKey(
        Proxy, on_delete=models.PROTECT, null=True, blank=True, related_name="ballots", verbose_name=_("by proxy")
    )

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["poll", "organisation__name"]
        constraints = [models.UniqueConstraint(fields=["poll", "organisation"], name="ballot_once_per_member")]

    def __str__(self):
        return f"{self.organisation} — {self.poll}"


def new_receipt():
    return secrets.token_hex(5).upper()


class SecretBallot(models.Model):
    """What was voted in a secret poll, and nothing else: a random key, no
    member, no user, no time. Its receipt code was shown to the voter once;
    the published list of counted ballots lists the codes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="secret_ballots", verbose_name=_("poll"))
    choices = models.JSONField(_("choices"))
    receipt = models.CharField(_("receipt code"), max_length=20, default=new_receipt)

    class Meta:
        verbose_name = _("secret ballot")
        verbose_name_plural = _("secret ballots")
        ordering = ["poll", "receipt"]
        constraints = [models.UniqueConstraint(fields=["poll", "receipt"], name="secret_ballot_receipt_unique")]

    def __str__(self):
        return self.receipt


# --- The count -------------------------------------------------------------------
@dataclass
class Tally:
    """The result of a poll: the counts by option, the base the majority is
    taken of, and the outcome."""

    result: str
    counts: dict
    cast: int
    base: int
    required: int
    voters: int = 0
    elected: list = field(default_factory=list)
    runoff: list = field(default_factory=list)

    def as_json(self):
        return {
            "result": self.result,
            "counts": self.counts,
            "cast": self.cast,
            "base": self.base,
            "required": self.required,
            "voters": self.voters,
            "elected": self.elected,
            "runoff": self.runoff,
        }


def required_votes(majority, base):
    """The fewest votes that make the majority of ``base``: more than half,
    or at least two thirds."""
    if majority in (Majority.TWO_THIRDS_OF_CAST, Majority.TWO_THIRDS_OF_ROLL):
        return -(-2 * base // 3)  # ceil(2 * base / 3)
    return base // 2 + 1


def tally(
    ballots, *, method, majority, abstentions_count, roll, quorate, max_choices=1, candidates=(), runoff_allowed=True
):
    """Count ``ballots`` (lists of option values) and apply the required majority.

    - yes / no / abstain: carried when the yes votes reach the majority of
      the base: the votes cast (yes and no, and abstentions when they
      count) or the roll. A tie fails.
    - candidates: each candidate's votes against the same base; those
      reaching it are elected, best first, up to ``max_choices`` seats. A
      single seat that nobody wins goes to a run-off between the two
      leading candidates (and any tied with the second, if it has votes;
      else the first listed), unless this poll is already a run-off.
    - not ``quorate``: no quorum, whatever the votes.
    """
    counts = {}
    for choices in ballots:
        for choice in choices:
            counts[choice] = counts.get(choice, 0) + 1
    voters = len(ballots)
    abstaining = counts.get(ABSTAIN, 0)
    cast = voters if abstentions_count else voters - abstaining
    base = roll if majority in (Majority.ABSOLUTE_OF_ROLL, Majority.TWO_THIRDS_OF_ROLL) else cast
    required = required_votes(majority, base)
    if method == PollMethod.YES_NO_ABSTAIN:
        counts = {YES: counts.get(YES, 0), NO: counts.get(NO, 0), ABSTAIN: abstaining}
        if not quorate:
            return Tally(PollResult.NO_QUORUM, counts, cast, base, required, voters)
        carried = base > 0 and counts[YES] >= required
        return Tally(PollResult.CARRIED if carried else PollResult.FAILED, counts, cast, base, required, voters)

    counts = {str(candidate): counts.get(str(candidate), 0) for candidate in candidates} | {
        NONE_OF_THESE: counts.get(NONE_OF_THESE, 0),
        ABSTAIN: abstaining,
    }
    if not quorate:
        return Tally(PollResult.NO_QUORUM, counts, cast, base, required, voters)
    ranked = sorted((str(c) for c in candidates), key=lambda c: -counts[c])
    elected = [c for c in ranked if base > 0 and counts[c] >= required][:max_choices]
    if max_choices == 1 and len(elected) == 1:
        return Tally(PollResult.CARRIED, counts, cast, base, required, voters, elected=elected)
    if max_choices > 1 and elected:
        return Tally(PollResult.CARRIED, counts, cast, base, required, voters, elected=elected)
    if max_choices == 1 and runoff_allowed and len(ranked) >= 2:
        second = counts[ranked[1]]
        leading = ranked[:2]
        if second > 0:  # those tied with the second go too; nobody is left out by lot
            leading = [c for c in ranked if counts[c] >= second]
        return Tally(PollResult.RUNOFF, counts, cast, base, required, voters, runoff=leading)
    return Tally(PollResult.FAILED, counts, cast, base, required, voters)


def roll_of(meeting):
    """The members entitled to vote in ``meeting``, as a queryset of
    organisations: its frozen roll, or before the freeze, those sitting in
    it that the rule of good standing gives a vote today."""
    roll = VotingRoll.objects.filter(meeting=meeting).first()
    if roll is None:
        return voting_members(meeting.invited_organisations(), timezone.localdate())
    return Organisation.objects.filter(roll_entries__roll=roll, roll_entries__entitled=True)
