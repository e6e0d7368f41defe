"""WeGO's governance, modelled the way open civic data does (Popolo / OCD).

- ``Body``: the General Assembly and the Executive Committee.
- ``Term``: the three-year cycle between regular General Assemblies.
- ``Post``: a seat on a body (President City, Executive Vice President City,
  Vice President City, EXCOM member city), with the most holders it may have.
- ``Office``: a member organisation holding a post for a term, between two
  dates, with how it got it and why it ended.

The statutes' rules are checked in ``Office.clean()`` (clear errors in the
admin and from code) and again by a PostgreSQL trigger (see migration 0002),
so no code path can save a breach.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Membership, Organisation


class BodySlug(models.TextChoices):
    GENERAL_ASSEMBLY = "general-assembly", _("General Assembly")
    EXECUTIVE_COMMITTEE = "executive-committee", _("Executive Committee")


class Body(models.Model):
    """A governing body of WeGO."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=20)
    description = models.TextField(_("description"), blank=True, help_text=_("Shown publicly."))
    cadence_months = models.PositiveSmallIntegerField(
        _("meets every (months)"), help_text=_("36 for the General Assembly, 12 for the Executive Committee.")
    )
    max_seats = models.PositiveSmallIntegerField(
        _("most member seats"),
        null=True,
        blank=True,
        help_text=_("The most members holding a seat at once in a term (21 for EXCOM); empty for no limit."),
    )
    reminder_days = models.CharField(
        _("reminders (days before a meeting)"),
        max_length=50,
        default="30,7,1",
        help_text=_("Comma-separated numbers of days before a meeting when reminders are sent."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("governance:index") + f"#{self.slug}"

    def clean(self):
        super().clean()
        try:
            self.reminder_day_list()
        except ValueError:
            raise ValidationError({"reminder_days": _("Write whole numbers of days separated by commas.")}) from None

    def reminder_day_list(self):
        """The reminder offsets in days, largest first."""
        days = [int(part) for part in self.reminder_days.split(",") if part.strip()]
        if any(day < 0 for day in days):
            raise ValueError("negative reminder")
        return sorted(set(days), reverse=True)


class TermQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(start_date__lte=on, end_date__gte=on)


class Term(models.Model):
    """The cycle between two regular General Assemblies."""

    name = models.CharField(_("name"), max_length=100, unique=True, help_text=_("For example “2023–2026”."))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gt=F("start_date")), name="term_ends_after_start"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("governance:index") + f"#term-{self.pk}"

    @property
    def is_current(self):
        return self.start_date <= timezone.localdate() <= self.end_date

    def clean(self):
        super().clean()
        if self.start_date and self.end_date:
            if self.end_date <= self.start_date:
                raise ValidationError({"end_date": _("A term ends after it starts.")})
            overlapping = Term.objects.filter(start_date__lte=self.end_date, end_date__gte=self.start_date)
            if self.pk:
                overlapping = overlapping.exclude(pk=self.pk)
            if overlapping.exists():
                raise ValidationError(
                    _("This term overlaps the term %(term)s.") % {"term": overlapping.first()}
                )


class PostRole(models.TextChoices):
    PRESIDENT = "president", _("President City")
    EXECUTIVE_VICE_PRESIDENT = "executive_vice_president", _("Executive Vice President City")
    VICE_PRESIDENT = "vice_president", _("Vice President City")
    MEMBER = "member", _("Executive Committee member city")


class Post(models.Model):
    """A seat on a body that a member organisation may hold."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="posts", verbose_name=_("body"))
    label = models.CharField(_("label"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    role = models.CharField(_("role"), max_length=30, choices=PostRole.choices)
    is_officer = models.BooleanField(_("officer"), default=False)
    max_holders = models.PositiveSmallIntegerField(
        _("most holders at once"), null=True, blank=True, help_text=_("Empty: limited only by the body's seats.")
    )
    selection = models.TextField(_("how the holder is chosen"), blank=True, help_text=_("Shown publicly."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["body", "position", "label"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_holders__isnull=True) | Q(max_holders__gte=1), name="post_max_holders_positive"
            ),
        ]

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return reverse("governance:index") + f"#{self.slug}"


class OfficeQuerySet(models.QuerySet):
    def current(self, on=None):
        """Offices held on ``on`` (default today)."""
        on = on or timezone.localdate()
        return self.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on),
            start_date__lte=on,
            term__start_date__lte=on,
            term__end_date__gte=on,
        )

    def overlapping(self, start, end):
        """Offices whose dates meet [start, end]; ``end=None`` means open-ended."""
        qs = self.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        if end is not None:
            qs = qs.filter(start_date__lte=end)
        return qs

    def on_body(self, body_slug):
        return self.filter(post__body__slug=body_slug)


class HowChosen(models.TextChoices):
    ELECTED_BY_GA = "elected_by_ga", _("Elected by the General Assembly")
    NOMINATED_AND_APPOINTED = "nominated_appointed", _("Nominated by EXCOM and appointed by the President City")
    HOST_OF_NEXT_GA = "host_next_ga", _("Chosen to host the next regular General Assembly")
    OTHER = "other", _("Other")


class EndReason(models.TextChoices):
    TERM_ENDED = "term_ended", _("The term ended")
    RESIGNED = "resigned", _("Resigned")
    MEMBERSHIP_ENDED = "membership_ended", _("Membership ended, suspended or withdrawn")
    REPLACED = "replaced", _("Replaced")
    OTHER = "other", _("Other")


class Office(models.Model):
    """A member organisation holding a post for a term, between two dates."""

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="offices", verbose_name=_("post"))
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="offices", verbose_name=_("term"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="offices", verbose_name=_("member")
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True, help_text=_("Empty: to the end of the term."))
    how_chosen = models.CharField(_("how chosen"), max_length=30, choices=HowChosen.choices, blank=True)
    chosen_note = models.CharField(
        _("chosen at"), max_length=200, blank=True, help_text=_("For example the General Assembly that elected it.")
    )
    end_reason = models.CharField(_("why it ended"), max_length=30, choices=EndReason.choices, blank=True)
    end_note = models.CharField(_("note on the end"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OfficeQuerySet.as_manager()

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["term", "post__body", "post__position", "start_date", "organisation__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="office_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | ~Q(end_reason=""),
                name="office_end_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.post} — {self.organisation} ({self.term})"

    def get_absolute_url(self):
        return self.organisation.get_absolute_url()

    @property
    def effective_end(self):
        return self.end_date or self.term.end_date

    def is_current(self, on=None):
        on = on or timezone.localdate()
        return self.start_date <= on <= self.effective_end and self.term.start_date <= on <= self.term.end_date

    def clean(self):
        """The statutes' rules, as clear errors (the database holds them too)."""
        super().clean()
        if not (self.post_id and self.term_id and self.organisation_id and self.start_date):
            return  # field errors are reported on their own
        errors = []
        term = self.term
        if self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("An office cannot end before it starts.")})
        if self.end_date and not self.end_reason:
            raise ValidationError({"end_reason": _("Say why the office ended.")})
        if self.start_date < term.start_date or self.start_date > term.end_date:
            errors.append(_("The office must start within its term (%(start)s to %(end)s).") % {
                "start": term.start_date, "end": term.end_date})
        if self.end_date and self.end_date > term.end_date:
            errors.append(_("The office cannot end after its term ends (%(end)s).") % {"end": term.end_date})

        previous = Office.objects.filter(pk=self.pk).values("organisation_id", "post_id", "start_date").first()
        appointment_changed = previous is None or previous != {
            "organisation_id": self.organisation_id, "post_id": self.post_id, "start_date": self.start_date}
        if appointment_changed:
            membership = Membership.objects.filter(organisation_id=self.organisation_id).select_related(
                "category").first()
            if membership is None or not membership.category.has_vote or not membership.is_current(self.start_date):
                errors.append(_("Only current full members may hold an office: %(member)s is not one.") % {
                    "member": self.organisation})

        others = Office.objects.exclude(pk=self.pk).overlapping(self.start_date, self.end_date or term.end_date)
        post = self.post
        if others.filter(organisation_id=self.organisation_id, post__body_id=post.body_id).exists():
            errors.append(_("%(member)s already holds a post on the %(body)s over these dates.") % {
                "member": self.organisation, "body": post.body})
        if post.max_holders is not None:
            holders = others.filter(post_id=post.pk).count()
            if holders >= post.max_holders:
                errors.append(_("The post “%(post)s” may have at most %(count)d holder(s) at once.") % {
                    "post": post, "count": post.max_holders})
        if post.body.max_seats is not None:
            seated = (
                others.filter(term_id=self.term_id, post__body_id=post.body_id)
                .exclude(organisation_id=self.organisation_id)
                .values("organisation_id").distinct().count()
            )
            if seated + 1 > post.body.max_seats:
                errors.append(_("The %(body)s has at most %(count)d member seats in a term; all are taken.") % {
                    "body": post.body, "count": post.body.max_seats})
        if errors:
            raise ValidationError(errors)


# Meetings live in their own module; importing them here registers them with the app.
from .meetings import (  # noqa: E402,F401
    AgendaItem,
    Attendance,
    CalendarFeed,
    Document,
    Invitation,
    Meeting,
    Registration,
    Resolution,
)
