"""Bodies, terms, posts and offices, modelled the way open civic data does
(Popolo / OCD).

- ``Body``: the General Assembly and the Executive Committee.
- ``Term``: the three-year cycle between regular General Assemblies.
- ``Post``: a seat on a body (President City, Executive Vice President City,
  Vice President City, EXCOM member city), with the most holders it may have.
- ``Office``: a member organisation holding a post for a term, between two
  dates, with how it got it and why it ended.

The statutes' rules are checked in ``Office.clean()`` (clear errors in the
admin and from code) and again by a PostgreSQL trigger (see migration 0002),
so no code path can save a breach. "Officers sit on the Executive Committee"
is ``officers_may_sit_on()``, reported by ``Post.clean()`` and ``Body.clean()``
and held by the triggers of migration 0004.
"""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from members.languages import DefaultLanguageColumn
from members.models import Membership, Organisation

from ..formats import day


class BodySlug(models.TextChoices):
    GENERAL_ASSEMBLY = "general-assembly", _("General Assembly")
    EXECUTIVE_COMMITTEE = "executive-committee", _("Executive Committee")


def officers_may_sit_on(body):
    """Officers sit on the Executive Committee: an officer's post (``Post.is_officer``)
    belongs to that body and to no other. Post.clean() and Body.clean() report
    it; a PostgreSQL trigger (migration 0004) holds it for every code path."""
    return body.slug == BodySlug.EXECUTIVE_COMMITTEE


class Body(DefaultLanguageColumn, models.Model):
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
    proxies_per_holder = models.PositiveSmallIntegerField(
        _("most proxies a member may hold"),
        default=1,
        help_text=_("In one meeting of this body, besides its own vote. 0: no proxies."),
    )

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
        if self.pk and not officers_may_sit_on(self) and self.posts.filter(is_officer=True).exists():
            message = _(
                "Officers sit on the Executive Committee: this body holds officers' posts,"
                " so its slug stays “%(slug)s”."
            )
            raise ValidationError({"slug": message % {"slug": BodySlug.EXECUTIVE_COMMITTEE}})

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
                raise ValidationError(_("This term overlaps the term %(term)s.") % {"term": overlapping.first()})
            if self.pk:
                # Moving a term's dates must not strand its offices outside it
                # (offices without an end date simply follow the term's end).
                outside = self.offices.filter(
                    Q(start_date__lt=self.start_date) | Q(start_date__gt=self.end_date) | Q(end_date__gt=self.end_date)
                )
                count = outside.count()
                if count:
                    message = ngettext(
                        "%(count)d office of this term lies outside these dates; end or move it first.",
                        "%(count)d offices of this term lie outside these dates; end or move them first.",
                        count,
                    )
                    raise ValidationError(message % {"count": count})


class PostRole(models.TextChoices):
    PRESIDENT = "president", _("President City")
    EXECUTIVE_VICE_PRESIDENT = "executive_vice_president", _("Executive Vice President City")
    VICE_PRESIDENT = "vice_president", _("Vice President City")
    MEMBER = "member", _("Executive Committee member city")


class Post(DefaultLanguageColumn, models.Model):
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

    def clean(self):
        super().clean()
        try:
            body = self.body  # may be unsaved, on a body's add page
        except ObjectDoesNotExist:
            return  # the missing body is reported on its own
        if self.is_officer and not officers_may_sit_on(body):
            message = _(
                "Officers sit on the Executive Committee: an officer's post belongs to it, not to the %(body)s."
            )
            raise ValidationError({"is_officer": message % {"body": body}})


class OfficeQuerySet(models.QuerySet):
    def with_effective_end(self):
        """Annotate ``effective_end_date``: the office's end, or its term's end when it has none."""
        return self.annotate(effective_end_date=Coalesce("end_date", "term__end_date"))

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
        """Offices held on some day of [start, end].

        An office without an end date runs to the end of its term, not for
        ever: a past term's open offices do not meet a later term's.
        """
        return self.with_effective_end().filter(start_date__lte=end, effective_end_date__gte=start)

    def on_body(self, body_slug):
        return self.filter(post__body__slug=body_slug)

    def for_display(self, on=None):
        """With what public pages show, and ``member_listed``: whether the
        holder is a current member, so its profile can be linked."""
        current_membership = Membership.objects.current(on).filter(organisation=OuterRef("organisation"))
        return self.select_related("post__body", "term", "organisation").annotate(
            member_listed=Exists(current_membership)
        )


def excom_member_ids(on=None):
    """The ids of the members holding an Executive Committee seat on ``on``
    (default today), officers included, as a subquery."""
    return Office.objects.current(on).on_body(BodySlug.EXECUTIVE_COMMITTEE).values("organisation_id")


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


def _peak(intervals, start, end):
    """The most distinct keys whose (first, last) dates cover one same day of [start, end].

    The count can only rise on a day some interval begins, so those days
    (and ``start``) are the only ones to look at.
    """
    days = {start} | {first for first, _last, _key in intervals if start < first <= end}
    return max(len({key for first, last, key in intervals if first <= day <= last}) for day in days)


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

    # Set by a formset that saves several offices together: it then checks the
    # rules itself, across its rows (see governance.admin.offices.OfficeInlineFormSet).
    rules_checked_by_formset = False

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

    @property
    def ended_early(self):
        return self.end_date is not None and self.end_date < self.term.end_date

    def _related_or_none(self, name):
        try:
            return getattr(self, name)  # may be an unsaved term, on a term's add page
        except ObjectDoesNotExist:
            return None

    def _is_complete(self):
        term = self._related_or_none("term")
        return bool(
            self._related_or_none("post")
            and self.organisation_id
            and self.start_date
            and term
            and term.start_date
            and term.end_date
        )

    def clean(self):
        """The statutes' rules, as clear errors (the database holds them too)."""
        super().clean()
        if not self._is_complete():
            return  # field errors are reported on their own
        term = self.term
        if self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("An office cannot end before it starts.")})
        if self.end_date and not self.end_reason:
            raise ValidationError({"end_reason": _("Say why the office ended.")})
        errors = []
        if self.start_date < term.start_date or self.start_date > term.end_date:
            errors.append(
                _("The office must start within its term (%(start)s to %(end)s).")
                % {"start": day(term.start_date), "end": day(term.end_date)}
            )
        if self.end_date and self.end_date > term.end_date:
            errors.append(_("The office cannot end after its term ends (%(end)s).") % {"end": day(term.end_date)})
        errors += self.membership_errors()
        if not errors and not self.rules_checked_by_formset:
            errors += self.rule_errors()
        if errors:
            raise ValidationError(errors)

    def membership_errors(self):
        """Only current full members are appointed.

        Checked when the appointment itself changes (member, post or start),
        not when an office is later ended: a member suspended while in office
        can still have that office closed.
        """
        previous = Office.objects.filter(pk=self.pk).values("organisation_id", "post_id", "start_date").first()
        if previous == {
            "organisation_id": self.organisation_id,
            "post_id": self.post_id,
            "start_date": self.start_date,
        }:
            return []
        membership = Membership.objects.filter(organisation_id=self.organisation_id).select_related("category").first()
        if membership is None or not membership.category.has_vote or not membership.is_current(self.start_date):
            return [
                _("Only current full members may hold an office: %(member)s is not one on %(date)s.")
                % {"member": self.organisation, "date": day(self.start_date)}
            ]
        return []

    def rule_errors(self, alongside=(), excluding=()):
        """Errors for the limits on holders and seats.

        Checked against the stored offices, less those with a pk in
        ``excluding`` (deleted alongside) or among ``alongside``: other,
        unsaved or changed offices to be saved together with this one, whose
        new values count instead of the stored ones.
        """
        post, term = self.post, self.term
        start, end = self.start_date, self.effective_end
        replaced = {office.pk for office in alongside if office.pk} | set(excluding)
        stored = (
            Office.objects.filter(post__body_id=post.body_id)
            .exclude(pk__in=replaced | ({self.pk} if self.pk else set()))
            .overlapping(start, end)
            .select_related("post__body", "organisation", "term")
        )
        others = [*stored] + [
            office
            for office in alongside
            if office._is_complete()
            and office.post.body_id == post.body_id
            and office.start_date <= end
            and office.effective_end >= start
        ]

        errors = []
        for other in others:
            if other.organisation_id == self.organisation_id:
                errors.append(
                    _(
                        "%(member)s already holds the post “%(post)s” on the %(body)s from %(start)s to %(end)s;"
                        " a member holds one post on a body at a time, so it cannot hold this one over these dates."
                    )
                    % {
                        "member": other.organisation,
                        "post": other.post,
                        "body": post.body,
                        "start": day(other.start_date),
                        "end": day(other.effective_end),
                    }
                )
                break

        if post.max_holders is not None:
            holders = [other for other in others if other.post_id == post.pk]
            intervals = [(o.start_date, o.effective_end, o.organisation_id) for o in holders]
            intervals.append((start, end, ("this office",)))
            if _peak(intervals, start, end) > post.max_holders:
                errors.append(
                    ngettext(
                        "The post “%(post)s” may have at most %(count)d holder at a time;"
                        " over these dates it is held by %(holders)s.",
                        "The post “%(post)s” may have at most %(count)d holders at a time;"
                        " over these dates it is held by %(holders)s.",
                        post.max_holders,
                    )
                    % {
                        "post": post,
                        "count": post.max_holders,
                        "holders": ", ".join(sorted({str(o.organisation) for o in holders})),
                    }
                )

        if post.body.max_seats is not None:
            seated = [
                other
                for other in others
                if other.organisation_id != self.organisation_id
                and (other.term is term or (term.pk is not None and other.term_id == term.pk))
            ]
            intervals = [(o.start_date, o.effective_end, o.organisation_id) for o in seated]
            intervals.append((start, end, self.organisation_id))
            if _peak(intervals, start, end) > post.body.max_seats:
                errors.append(
                    ngettext(
                        "The %(body)s has at most %(count)d member seat at a time in a term,"
                        " officers included; it is taken over these dates.",
                        "The %(body)s has at most %(count)d member seats at a time in a term,"
                        " officers included; all are taken over these dates.",
                        post.body.max_seats,
                    )
                    % {"body": post.body, "count": post.body.max_seats}
                )
        return errors
