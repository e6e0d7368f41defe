"""Meetings of WeGO's bodies: their agenda, documents, invitations, delegate
registrations, attendance and the decisions taken.

Who sits in a meeting (``Meeting.invited_organisations()``) and who has a
vote in it (``Meeting.voting_organisations()``) are decided here; which
user may open a meeting or a document is decided from them in
``governance/access.py``. Multi-row actions (convene, change, cancel,
register) are in ``governance/services/meetings.py``.
"""

import hashlib
import secrets
import uuid
import zoneinfo
from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import Organisation, with_update_field

from ..files import validate_meeting_document
from ..text import render_markdown
from .offices import Body, BodySlug, Office, PostRole, Term
from .standing import vote_of, voting_members


def validate_time_zone(value):
    """An IANA time zone name that this machine's zoneinfo knows."""
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            _("“%(value)s” is not a known time zone; use an IANA name such as Asia/Seoul."),
            params={"value": value},
        ) from None


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular")
    EXTRAORDINARY = "extraordinary", _("Extraordinary")


class AttendanceMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid (in person and online)")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Registered")
    WAITING = "waiting", _("On the waiting list")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CONVENED = "convened", _("Convened")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


@dataclass(frozen=True)
class Quorum:
    """Voting rights and quorum of a meeting: one vote per full member city
    entitled to sit, quorate when more than half of them take part."""

    voters: int
    registered: int
    present: int

    @property
    def required(self):
        return self.voters // 2 + 1

    @property
    def quorate_by_registrations(self):
        return self.voters > 0 and self.registered >= self.required

    @property
    def quorate_by_attendance(self):
        return self.voters > 0 and self.present >= self.required


def _seats(term, body, day):
    """Offices on ``body`` in ``term`` held on ``day`` (values or OuterRefs)."""
    return Office.objects.filter(term=term, post__body=body, start_date__lte=day).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day)
    )


class MeetingQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        return self.filter(end__gte=now or timezone.now()).order_by("start", "pk")

    def past(self, now=None):
        return self.filter(end__lt=now or timezone.now()).order_by("-start", "-pk")

    def open_to(self, organisations):
        """The meetings that any of ``organisations`` (a queryset) sits in:
        every General Assembly for a current member, another body's
        meetings for the members holding a seat on it in the meeting's term
        on the meeting's day. The same rule as Meeting.invited_organisations(),
        asked the other way round."""
        seated = _seats(OuterRef("term"), OuterRef("body"), OuterRef("start__date")).filter(
            organisation__in=organisations.values("pk")
        )
        current = organisations.filter(pk__in=Organisation.objects.current_members().values("pk"))
        return self.filter(
            (Q(body__slug=BodySlug.GENERAL_ASSEMBLY) & Exists(current.order_by().values("pk"))) | Exists(seated)
        )


class Meeting(models.Model):
    """A meeting of a body (General Assembly or Executive Committee) in a term.

    Its date, place, body and status are public; the rest is for those the
    access rules let in. ``sequence`` is the iCalendar SEQUENCE: raised by
    save() whenever the time, the place or the status changes, so calendar
    programs replace the event they hold.
    """

    SCHEDULE_FIELDS = ("start", "end", "time_zone", "venue", "status")

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("body"))
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("term"))
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.REGULAR)
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("For example “9th General Assembly”. Shown publicly.")
    )
    slug = models.SlugField(
        _("slug"), max_length=100, unique=True, blank=True, help_text=_("Part of the meeting's address.")
    )
    start = models.DateTimeField(_("starts"), help_text=_("Local time at the venue, in the meeting's time zone."))
    end = models.DateTimeField(_("ends"), help_text=_("Local time at the venue, in the meeting's time zone."))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Asia/Seoul",
        validators=[validate_time_zone],
        help_text=_("IANA name of the venue's time zone, for example Europe/Paris."),
    )
    venue = models.CharField(_("venue"), max_length=300, help_text=_("Place and city. Shown publicly."))
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("Markdown: paragraphs, **bold**, *italics*, lists and links. Shown to those who may attend."),
    )
    attendance_mode = models.CharField(
        _("held"), max_length=20, choices=AttendanceMode.choices, default=AttendanceMode.IN_PERSON
    )
    address = models.CharField(
        _("address"), max_length=300, blank=True, help_text=_("The venue's street address. Shown publicly.")
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    online_url = models.URLField(
        _("online meeting link"),
        max_length=500,
        blank=True,
        help_text=_("Shown only to the registered delegates' representatives, from the time set below."),
    )
    online_link_opens_minutes = models.PositiveSmallIntegerField(
        _("link shown from (minutes before the start)"), default=30
    )
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        help_text=_("Delegates in all; beyond it a waiting list. Empty: no limit."),
    )
    capacity_per_member = models.PositiveSmallIntegerField(
        _("places per member"), null=True, blank=True, help_text=_("Delegates per member. Empty: no limit.")
    )
    host = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_meetings",
        verbose_name=_("host member"),
        help_text=_("Empty for a regular General Assembly: the Executive Vice President City of the term hosts it."),
    )
    status = models.CharField(_("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    status_note = models.TextField(
        _("note on the status"), blank=True, help_text=_("For example why it was cancelled.")
    )
    uid = models.UUIDField(_("calendar UID"), default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0, editable=False)
    convened_at = models.DateTimeField(_("convened at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="meeting_ends_after_start"),
            models.CheckConstraint(condition=Q(status__in=MeetingStatus.values), name="meeting_status_valid"),
            models.CheckConstraint(
                condition=Q(attendance_mode__in=AttendanceMode.values), name="meeting_attendance_mode_valid"
            ),
        ]

    def __str__(self):
        if self.title:
            return self.title
        if self.start and self.body_id:
            # An untitled meeting is its body's on its day, as the reader writes dates.
            return _("%(body)s, %(date)s") % {"body": self.body, "date": date_format(self.local_start, "DATE_FORMAT")}
        return str(_("Meeting"))

    def get_absolute_url(self):
        return reverse("meetings:detail", args=[self.slug])

    def get_ics_url(self):
        return reverse("meetings:ics", args=[self.slug])

    @property
    def zone(self):
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    @property
    def local_start(self):
        return timezone.localtime(self.start, self.zone)

    @property
    def local_end(self):
        return timezone.localtime(self.end, self.zone)

    @property
    def is_general_assembly(self):
        return self.body.slug == BodySlug.GENERAL_ASSEMBLY

    def has_started(self, now=None):
        return (now or timezone.now()) >= self.start

    @property
    def is_online(self):
        return self.attendance_mode in (AttendanceMode.ONLINE, AttendanceMode.HYBRID)

    @property
    def has_venue(self):
        return self.attendance_mode in (AttendanceMode.IN_PERSON, AttendanceMode.HYBRID)

    def online_link_opens_at(self):
        return self.start - timedelta(minutes=self.online_link_opens_minutes)

    def confirmed_count(self):
        return self.registrations.filter(status=RegistrationStatus.CONFIRMED).count()

    def description_html(self):
        return render_markdown(self.description)

    def accepts_registrations(self, now=None):
        """Delegates may be registered and changed until the meeting starts."""
        return self.status in (MeetingStatus.PLANNED, MeetingStatus.CONVENED) and not self.has_started(now)

    def default_host(self):
        """The Executive Vice President City of the term hosts the next
        regular General Assembly."""
        if not (self.body_id and self.term_id) or not self.is_general_assembly or self.kind != MeetingKind.REGULAR:
            return None
        office = (
            Office.objects.filter(term_id=self.term_id, post__role=PostRole.EXECUTIVE_VICE_PRESIDENT)
            .select_related("organisation")
            .order_by("-start_date")
            .first()
        )
        return office.organisation if office else None

    def invited_organisations(self):
        """The organisations that sit in this meeting: its invitees, those who
        may see it, and the recipients of its notices. The General Assembly:
        every current member; another body: the current members holding a
        seat on it in the meeting's term on the meeting's day."""
        members = Organisation.objects.current_members()
        if self.is_general_assembly:
            return members
        return members.filter(offices__in=_seats(self.term_id, self.body_id, self.start.date())).distinct()

    def voting_organisations(self):
        """One vote per member entitled to sit in the meeting that carries a
        vote on its day (``standing.voting_members``)."""
        return voting_members(self.invited_organisations(), self.start.date())

    def quorum(self):
        """Voting rights and quorum, from registrations and from attendance."""
        voters = self.voting_organisations().values("pk")
        return Quorum(
            voters=voters.count(),
            registered=self.registrations.filter(is_voting_delegate=True, organisation__in=voters)
            .values("organisation")
            .distinct()
            .count(),
            present=self.attendances.filter(organisation__in=voters).values("organisation").distinct().count(),
        )

    # What the secretariat edits on a meeting (its status moves only through
    # governance.services.meetings: convene, cancel, mark held).
    EDITABLE_FIELDS = (
        "body",
        "term",
        "kind",
        "title",
        "slug",
        "start",
        "end",
        "time_zone",
        "venue",
        "host",
        "status_note",
        "description",
        "attendance_mode",
        "address",
        "latitude",
        "longitude",
        "online_url",
        "online_link_opens_minutes",
        "capacity",
        "capacity_per_member",
    )
    FINAL_STATUSES = ("held", "cancelled")

    def clean(self):
        super().clean()
        self._refuse_change_once_final()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("A meeting ends after it starts.")})
        if self.attendance_mode in (AttendanceMode.ONLINE, AttendanceMode.HYBRID) and not self.online_url:
            raise ValidationError({"online_url": _("An online or hybrid meeting needs its online meeting link.")})
        if self.attendance_mode == AttendanceMode.IN_PERSON and self.online_url:
            raise ValidationError({"online_url": _("A meeting held in person only has no online link.")})
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Give both the latitude and the longitude of the venue, or neither."))
        if self.start and self.term_id:
            day = self.local_start.date()
            term = self.term
            if not term.start_date <= day <= term.end_date:
                raise ValidationError(
                    {"term": _("The meeting's date lies outside the term %(term)s.") % {"term": term}}
                )

    def _refuse_change_once_final(self):
        """A meeting that was held or cancelled is the record of what
        happened: its own fields no longer change (its minutes, attendance
        and resolutions are still added)."""
        if not self.pk:
            return
        stored = Meeting.objects.filter(pk=self.pk).values("status", *self._editable_columns()).first()
        if stored is None or stored["status"] not in self.FINAL_STATUSES:
            return
        if any(stored[column] != getattr(self, column) for column in self._editable_columns()):
            raise ValidationError(_("A meeting that was held or cancelled cannot be changed."))

    def _editable_columns(self):
        return [self._meta.get_field(name).attname for name in self.EDITABLE_FIELDS]

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._free_slug()
        if self.host_id is None:
            host = self.default_host()
            if host is not None:
                self.host = host
                kwargs = with_update_field(kwargs, "host")
        if self.pk:
            previous = Meeting.objects.filter(pk=self.pk).values("sequence", *self.SCHEDULE_FIELDS).first()
            if previous and any(previous[name] != getattr(self, name) for name in self.SCHEDULE_FIELDS):
                self.sequence = previous["sequence"] + 1
                kwargs = with_update_field(kwargs, "sequence")
        super().save(*args, **kwargs)

    def _free_slug(self):
        base = slugify(f"{self.body.abbreviation} {self.local_start:%Y-%m-%d}")[:90] or "meeting"
        taken = set(Meeting.objects.filter(slug__startswith=base).values_list("slug", flat=True))
        candidates = [base] + [f"{base}-{number}" for number in range(2, len(taken) + 3)]
        return next(candidate for candidate in candidates if candidate not in taken)


class AgendaItem(models.Model):
    """An item on a meeting's agenda, in order."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("meeting")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.meeting.get_absolute_url() + f"#item-{self.pk}"

    def save(self, *args, **kwargs):
        # A new item given no position is numbered after the last one, so
        # items added together (the admin's rows) keep the order they came in.
        if self._state.adding and not self.position and self.meeting_id:
            last = AgendaItem.objects.filter(meeting_id=self.meeting_id).aggregate(last=models.Max("position"))["last"]
            self.position = (last or 0) + 1
        super().save(*args, **kwargs)


class DocumentKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    AGENDA = "agenda", _("Agenda")
    WORKING_PAPER = "working_paper", _("Working paper")
    MINUTES = "minutes", _("Minutes")


class DocumentState(models.TextChoices):
    DRAFT = "draft", _("Draft (secretariat only)")
    FINAL = "final", _("Final (published)")


class DocumentVisibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members who may see the meeting")
    BODY = "body", _("The body's members")


def _document_path(document, filename):
    # The stored name never comes from the uploader: a random name with the
    # checked extension, under the meeting's stable id.
    suffix = PurePosixPath(filename).suffix.lower()
    return f"meetings/{document.meeting.uid}/{uuid.uuid4().hex}{suffix}"


class Document(models.Model):
    """A meeting document. Drafts are seen by the secretariat only; a final
    document by those its visibility allows (see governance/access.py).
    Files are streamed by a view that checks access, never from a public URL."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents", verbose_name=_("meeting"))
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("agenda item"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"),
        upload_to=_document_path,
        max_length=200,
        validators=[validate_meeting_document],
        help_text=_("PDF, DOCX, XLSX or PPTX."),
    )
    state = models.CharField(_("state"), max_length=10, choices=DocumentState.choices, default=DocumentState.DRAFT)
    visibility = models.CharField(
        _("visible to"), max_length=10, choices=DocumentVisibility.choices, default=DocumentVisibility.MEMBERS
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=DocumentState.values), name="document_state_valid"),
            models.CheckConstraint(
                condition=Q(visibility__in=DocumentVisibility.values), name="document_visibility_valid"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:document", args=[self.meeting.slug, self.pk])

    @property
    def extension(self):
        return PurePosixPath(self.file.name or "").suffix.lower()

    def download_name(self):
        """A safe file name for Content-Disposition: only letters, digits and
        dashes from the meeting and title, and the checked extension."""
        stem = slugify(f"{self.meeting.slug} {self.title}", allow_unicode=True)[:120] or "document"
        return f"{stem}{self.extension}"

    def clean(self):
        super().clean()
        if self.agenda_item_id and self.meeting_id and self.agenda_item.meeting_id != self.meeting_id:
            raise ValidationError({"agenda_item": _("The agenda item belongs to another meeting.")})


class Invitation(models.Model):
    """A member organisation invited to a meeting (made when it is convened)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("meeting")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="meeting_invitations", verbose_name=_("member")
    )
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["meeting", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "organisation"], name="invitation_once_per_member"),
        ]

    def __str__(self):
        return f"{self.organisation} — {self.meeting}"


class Registration(models.Model):
    """A delegate a member organisation registers for a meeting (RSVP).

    One voting delegate per organisation; others attend as observers."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("meeting")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="meeting_registrations", verbose_name=_("member")
    )
    name = models.CharField(_("delegate's name"), max_length=200)
    email = models.EmailField(_("delegate's e-mail address"))
    is_voting_delegate = models.BooleanField(_("voting delegate"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=RegistrationStatus.choices, default=RegistrationStatus.CONFIRMED
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_registrations",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["meeting", "organisation__name", "-is_voting_delegate", "name"]
        constraints = [
            models.UniqueConstraint(
                "meeting", "organisation", Lower("email"), name="registration_delegate_once_per_meeting"
            ),
            models.UniqueConstraint(
                fields=["meeting", "organisation"],
                condition=Q(is_voting_delegate=True),
                name="registration_one_voting_delegate",
            ),
            models.CheckConstraint(condition=Q(status__in=RegistrationStatus.values), name="registration_status_valid"),
        ]

    def __str__(self):
        return f"{self.name} ({self.organisation})"

    def get_absolute_url(self):
        return self.meeting.get_absolute_url() + "#registration"

    def clean(self):
        super().clean()
        if self.is_voting_delegate and self.organisation_id and self._names_voting_delegate():
            vote = vote_of(self.organisation)
            if not vote:
                raise ValidationError({"is_voting_delegate": vote.reason})

    def _names_voting_delegate(self):
        """Whether saving this registration names a voting delegate: a new
        one, or one made voting or moved to another member. A stored voting
        delegate is left alone, so a past meeting's record can still be
        edited after its member's category changed."""
        if not self.pk:
            return True
        stored = Registration.objects.filter(pk=self.pk).values("organisation_id", "is_voting_delegate").first()
        return stored != {"organisation_id": self.organisation_id, "is_voting_delegate": True}


class Attendance(models.Model):
    """A member organisation present at a meeting, as the secretariat recorded it."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("meeting")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="meeting_attendances", verbose_name=_("member")
    )
    representative = models.CharField(_("represented by"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "organisation"], name="attendance_once_per_member"),
        ]

    def __str__(self):
        return f"{self.organisation} — {self.meeting}"


class ResolutionKind(models.TextChoices):
    RESOLUTION = "resolution", _("Resolution")
    ELECTION = "election", _("Election")


class ResolutionOutcome(models.TextChoices):
    ADOPTED = "adopted", _("Adopted")
    REJECTED = "rejected", pgettext_lazy("a resolution", "Rejected")
    ELECTED = "elected", _("Elected")
    NOT_ELECTED = "not_elected", _("Not elected")
    DEFERRED = "deferred", _("Deferred")


CARRIED_OUTCOMES = {ResolutionOutcome.ADOPTED, ResolutionOutcome.ELECTED}
FAILED_OUTCOMES = {ResolutionOutcome.REJECTED, ResolutionOutcome.NOT_ELECTED}


class Resolution(models.Model):
    """A resolution or an election result on an agenda item.

    A decision carries when the meeting is quorate (by attendance) and more
    votes are cast for than against; abstentions do not count as votes cast.
    Votes may be left empty for a decision taken by consensus. A decision
    counted by a poll (``poll``) carries by the poll's own majority and
    quorum (``governance.models.voting``).
    """

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="resolutions", verbose_name=_("meeting")
    )
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="resolutions", verbose_name=_("agenda item")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ResolutionKind.choices, default=ResolutionKind.RESOLUTION)
    number = models.CharField(_("number"), max_length=30, blank=True)
    text = models.TextField(_("text"))
    candidate = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="election_results",
        verbose_name=_("candidate"),
        help_text=_("For an election result."),
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=ResolutionOutcome.choices)
    votes_for = models.PositiveIntegerField(_("for"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("against"), null=True, blank=True)
    abstaining = models.PositiveIntegerField(_("abstaining"), null=True, blank=True)
    poll = models.ForeignKey(
        "governance.Poll",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="written_resolutions",
        verbose_name=_("counted by the poll"),
        help_text=_("Its votes were counted by the portal, against the poll's own majority and quorum."),
    )

    class Meta:
        verbose_name = _("resolution or election result")
        verbose_name_plural = _("resolutions and election results")
        ordering = ["meeting", "agenda_item__position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(votes_for__isnull=True) & Q(votes_against__isnull=True) & Q(abstaining__isnull=True))
                | (Q(votes_for__isnull=False) & Q(votes_against__isnull=False) & Q(abstaining__isnull=False)),
                name="resolution_votes_all_or_none",
            ),
        ]

    def __str__(self):
        return self.number or self.text[:60]

    def get_absolute_url(self):
        return self.agenda_item.get_absolute_url()

    @property
    def has_votes(self):
        return self.votes_for is not None

    def carries(self, quorum):
        """Whether the votes recorded carry the decision (None when no vote
        was counted, or when a poll counted them: its result says)."""
        if not self.has_votes or self.poll_id:
            return None
        return quorum.quorate_by_attendance and self.votes_for > self.votes_against

    def clean(self):
        super().clean()
        if self.agenda_item_id and self.meeting_id and self.agenda_item.meeting_id != self.meeting_id:
            raise ValidationError({"agenda_item": _("The agenda item belongs to another meeting.")})
        counts = [self.votes_for, self.votes_against, self.abstaining]
        if any(count is None for count in counts) and any(count is not None for count in counts):
            raise ValidationError(_("Give the votes for, against and abstaining, or none of them."))
        if self.kind == ResolutionKind.ELECTION and not self.candidate_id:
            raise ValidationError({"candidate": _("Name the candidate of the election.")})
        if not self.has_votes or not self.meeting_id or self.poll_id:
            return  # a poll's count was checked against the poll's majority and quorum
        quorum = self.meeting.quorum()
        if sum(counts) > quorum.present:
            raise ValidationError(
                _("%(cast)d votes are more than the %(present)d voting members recorded present.")
                % {"cast": sum(counts), "present": quorum.present}
            )
        carried = self.carries(quorum)
        if self.outcome in CARRIED_OUTCOMES and not carried:
            raise ValidationError(
                {
                    "outcome": _(
                        "The votes do not carry it: the meeting must be quorate and more votes be for than against."
                    )
                }
            )
        if self.outcome in FAILED_OUTCOMES and carried:
            raise ValidationError({"outcome": _("The votes carry it: the outcome cannot be a rejection.")})


class CalendarFeedQuerySet(models.QuerySet):
    def for_token(self, token):
        return self.filter(token_hash=CalendarFeed.hash_token(token)).select_related("user").first()


class CalendarFeed(models.Model):
    """A user's private calendar feed of the meetings they may see.

    Only a hash of the secret in its address is kept: the address is shown
    once, when made; resetting it makes a new one, deleting revokes it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("user")
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now=True)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)

    @staticmethod
    def hash_token(token):
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def reset_for(cls, user):
        """Give ``user`` a new secret feed address (revoking the old one); return the secret."""
        token = secrets.token_urlsafe(32)
        cls.objects.update_or_create(user=user, defaults={"token_hash": cls.hash_token(token)})
        return token
