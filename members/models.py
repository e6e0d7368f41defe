"""Member organisations, their membership, contacts and the portal's users.

An organisation (its public profile) is kept apart from its membership (the
terms on which it belongs). A membership's status is derived from its dates
plus explicit overrides whenever it is read; nothing flips it overnight.
"""

import datetime
import functools
import operator
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from . import countries, m49
from .languages import DefaultLanguageColumn
from .logos import LogoField
from .text import NAME_END, search_terms, search_text
from .validators import validate_logo


class UserManager(BaseUserManager):
    """Users are known by their e-mail address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in: secretariat staff or a member's contact."""

    username = None
    first_name = None
    last_name = None
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), unique=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.email

    def get_full_name(self):
        return self.name or self.email

    def get_short_name(self):
        return self.name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()


class OrganisationKind(models.TextChoices):
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    PROVIDER = "provider", _("Smart tech solution provider")
    INSTITUTION = "institution", _("Institution")


class MembershipCategory(DefaultLanguageColumn, models.Model):
    """A category of membership, kept as data so the secretariat can edit it.

    Only categories that carry the vote in the General Assembly (Full Member)
    allow their holders to vote and to hold offices.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    has_vote = models.BooleanField(
        _("carries the vote in the General Assembly"),
        default=False,
        help_text=_("Full members of this category vote in the GA and may hold offices."),
    )
    kind = models.CharField(
        _("for organisations of kind"),
        max_length=20,
        choices=OrganisationKind.choices,
        blank=True,
        help_text=_("Leave empty if organisations of any kind may hold this category."),
    )
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("membership category")
        verbose_name_plural = _("membership categories")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class OrganisationQuerySet(models.QuerySet):
    def current_members(self, on=None):
        """Organisations whose membership is current on ``on`` (default today)."""
        return self.filter(membership__in=Membership.objects.current(on))

    def represented_by(self, user, on=None):
        """The current members ``user`` acts for: those where the user is the
        login of a contact holding a role on ``on`` (default today)."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        return (
            self.current_members(on)
            .filter(contacts__user=user, contacts__roles__in=ContactRole.objects.active(on))
            .distinct()
        )

    def in_directory(self):
        """What the public directory lists: current members, in a stable order.

        Sorted on the folded name so that "São Paulo" sits beside "Sao Tome"
        whatever the database's collation.
        """
        return self.current_members().select_related("membership__category").order_by("search_text", "pk")

    def search(self, query):
        """Case- and accent-insensitive search: every word must be in the
        member's name or other names, or in its country's name in one of
        the working languages (``members.countries``)."""
        qs = self
        for term in search_terms(query):
            qs = qs.filter(Q(search_text__contains=term) | Q(country__in=countries.matching(term)))
        return qs

    def named(self, name):
        """The organisations whose name is ``name``, folded as the search
        folds it ("Sao Paulo" is "São Paulo"), whatever their other names."""
        folded = search_text(name)
        return self.filter(Q(search_text=folded) | Q(search_text__startswith=folded + NAME_END))

    def in_region(self, region_slug):
        return self.filter(country__in=m49.countries_in_region(region_slug))


class Organisation(models.Model):
    """A member organisation's public profile: who it is and where."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"), max_length=200, unique=True, help_text=_("Part of the public address of the profile.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    country = CountryField(_("country"))
    website = models.URLField(_("website"), blank=True, help_text=_("Shown publicly."))
    logo = LogoField(
        _("logo"),
        upload_to="logos/",
        blank=True,
        validators=[validate_logo],
        help_text=_("Shown publicly. PNG, JPEG or WebP, at most 1 MB."),
    )
    description = models.TextField(_("short description"), max_length=1000, blank=True, help_text=_("Shown publicly."))
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    other_names = models.TextField(
        _("other names"),
        max_length=290,
        blank=True,
        help_text=_(
            "One per line: the name in its own script or another common spelling (서울, Sao Paulo). "
            "Found by the directory's search; not shown."
        ),
    )
    is_founding_member = models.BooleanField(_("founding member"), default=False)
    population = models.PositiveIntegerField(
        _("population"),
        null=True,
        blank=True,
        help_text=_("Of a city: sets its dues where the category's fee depends on it. Never shown publicly."),
    )
    # The folded name and other names, for accent-insensitive search and the
    # directory's order; kept by save() (``members.text.search_text``).
    search_text = models.CharField(max_length=500, editable=False, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["search_text", "updated_at"])
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name", "pk"]
        # The directory's order; on PostgreSQL a trigram index on search_text
        # also answers the search (migration 0003).
        indexes = [models.Index(fields=["search_text", "id"], name="organisation_directory_order")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (Q(latitude__gte=-90, latitude__lte=90) & Q(longitude__gte=-180, longitude__lte=180)),
                name="organisation_coordinates_valid",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("members:detail", args=[self.slug])

    @property
    def region(self):
        """The UN M49 region slug, derived from the country."""
        return m49.region_slug_for_country(self.country.code)

    @property
    def region_name(self):
        return m49.region_name(self.region) if self.region else ""

    @property
    def has_coordinates(self):
        return self.latitude is not None and self.longitude is not None

    def clean(self):
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Give both latitude and longitude, or neither."))

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The logo as stored, to delete its file once another replaces it.
        instance._stored_logo = instance.__dict__.get("logo")
        return instance

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._free_slug()
        self.search_text = search_text(self.name, self.other_names)
        kwargs = with_update_field(kwargs, "search_text")
        super().save(*args, **kwargs)
        self._delete_replaced_logo()

    def _delete_replaced_logo(self):
        """A replaced or cleared logo's file is deleted, once the change is
        committed: rolled back, the row still names the old file."""
        stored = getattr(self, "_stored_logo", None)
        current = self.logo.name or None
        if stored and stored != current:
            storage = self.logo.storage
            transaction.on_commit(lambda: storage.delete(stored))
        self._stored_logo = current

    def _free_slug(self):
        """A slug from the name; a namesake (Cuenca, Ecuador and Spain) gets
        the country code added, then a number."""
        base = slugify(self.name)[:180] or "member"
        taken = set(Organisation.objects.filter(slug__startswith=base).values_list("slug", flat=True))
        candidates = [base, f"{base}-{str(self.country.code).lower()}" if self.country else base]
        candidates += [f"{base}-{number}" for number in range(2, len(taken) + 3)]
        return next(candidate for candidate in candidates if candidate not in taken)


def with_update_field(kwargs, field):
    """Keep a derived field in a save() restricted by ``update_fields``."""
    if kwargs.get("update_fields") is not None:
        kwargs["update_fields"] = {*kwargs["update_fields"], field}
    return kwargs


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("Not yet started")
    CURRENT = "current", _("Current")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", pgettext_lazy("a membership", "Withdrawn")
    ENDED = "ended", _("Ended")


class Standing(models.TextChoices):
    """Explicit overrides of the status the dates give."""

    NORMAL = "", _("As the dates say")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", pgettext_lazy("a membership", "Withdrawn")


class _On:
    """Stands, in ``STATUS_RULES``, for the day the status is read on."""

    def __repr__(self):
        return "ON"


ON = _On()

# Python's form of the lookups ``STATUS_RULES`` uses.
_COMPARE = {"exact": operator.eq, "gt": operator.gt, "lt": operator.lt}


class StatusRule(NamedTuple):
    """A row of ``STATUS_RULES``: the membership has ``status`` when its
    ``field`` matches ``lookup`` ``value`` (``ON``: the day it is read on).
    An empty (NULL) field never matches: an empty start or end date is
    open-ended."""

    status: str
    field: str
    lookup: str
    value: object

    def _value(self, on):
        return on if self.value is ON else self.value

    def q(self, on):
        """The row in SQL (a NULL never matches, even under NOT)."""
        match = Q(**{f"{self.field}__{self.lookup}": self._value(on)})
        if Membership._meta.get_field(self.field).null:
            match &= Q(**{f"{self.field}__isnull": False})
        return match

    def matches(self, membership, on):
        """The row in Python."""
        value = getattr(membership, self.field)
        return value is not None and _COMPARE[self.lookup](value, self._value(on))


# The membership status rule, in one place: the first row that matches gives
# the status; a membership no row matches is CURRENT. The SQL annotation
# (MembershipQuerySet.with_status), the filter (MembershipQuerySet.current)
# and Python (Membership.status_on) are all derived from it.
STATUS_RULES = (
    StatusRule(MembershipStatus.WITHDRAWN, "standing", "exact", Standing.WITHDRAWN),
    StatusRule(MembershipStatus.SUSPENDED, "standing", "exact", Standing.SUSPENDED),
    StatusRule(MembershipStatus.PENDING, "start_date", "gt", ON),
    StatusRule(MembershipStatus.ENDED, "end_date", "lt", ON),
)


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None):
        """Memberships current on ``on`` (default today): no row of STATUS_RULES matches."""
        on = on or timezone.localdate()
        return self.exclude(functools.reduce(operator.or_, (rule.q(on) for rule in STATUS_RULES)))

    def with_status(self, on=None):
        """Annotate ``status_value``: STATUS_RULES, as Membership.status_on() reads them."""
        on = on or timezone.localdate()
        return self.annotate(
            status_value=Case(
                *(When(rule.q(on), then=Value(rule.status)) for rule in STATUS_RULES),
                default=Value(MembershipStatus.CURRENT),
                output_field=models.CharField(),
            )
        )

    def with_status_value(self, status, on=None):
        return self.with_status(on).filter(status_value=status)


class Membership(models.Model):
    """The terms on which an organisation belongs to WeGO.

    Every change is kept in an append-only history (``history``).
    """

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="membership", verbose_name=_("organisation")
    )
    category = models.ForeignKey(
        MembershipCategory, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("category")
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    start_date = models.DateField(
        _("start date"), null=True, blank=True, help_text=_("Empty: since before the portal's records begin.")
    )
    end_date = models.DateField(_("end date"), null=True, blank=True, help_text=_("Empty: open-ended."))
    standing = models.CharField(
        _("override"), max_length=20, choices=Standing.choices, default=Standing.NORMAL, blank=True
    )
    standing_reason = models.TextField(_("reason for the override"), blank=True)
    notes = models.TextField(_("internal notes"), blank=True, help_text=_("Never shown publicly."))

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="membership_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(standing__in=[s.value for s in Standing]), name="membership_standing_valid"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} — {self.category}"

    def get_absolute_url(self):
        return self.organisation.get_absolute_url()

    def status_on(self, on):
        """The status on ``on``: the first row of STATUS_RULES that matches, else CURRENT."""
        return next((rule.status for rule in STATUS_RULES if rule.matches(self, on)), MembershipStatus.CURRENT)

    @property
    def status(self):
        return self.status_on(timezone.localdate())

    def is_current(self, on=None):
        return self.status_on(on or timezone.localdate()) == MembershipStatus.CURRENT

    def clean(self):
        """The membership's own rules, all reported at once. The organisation
        and category may be unsaved: the import checks a row with them."""
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if self.standing and not self.standing_reason.strip():
            errors["standing_reason"] = _("Say why the membership is suspended or withdrawn.")
        category, organisation = self._related_or_none("category"), self._related_or_none("organisation")
        if category and category.kind and organisation and organisation.kind != category.kind:
            errors["category"] = _("%(category)s is not for organisations of kind “%(kind)s”.") % {
                "category": category,
                "kind": organisation.get_kind_display(),
            }
        if errors:
            raise ValidationError(errors)

    def _related_or_none(self, name):
        try:
            return getattr(self, name)
        except ObjectDoesNotExist:
            return None


class ContactRoleType(models.TextChoices):
    FOCAL_POINT = "focal_point", _("Focal point")
    GA_DELEGATE = "ga_delegate", _("GA voting delegate")
    TECHNICAL = "technical", _("Technical")
    COMMUNICATIONS = "communications", _("Communications")
    BILLING = "billing", _("Billing")


class Contact(models.Model):
    """A person at a member organisation. Never shown publicly."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("organisation")
    )
    user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("login"),
        help_text=_("The login this person uses, if any."),
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(pgettext_lazy("a person's position", "title"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"))
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language notices are sent in."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint("organisation", Lower("email"), name="contact_email_unique_per_organisation"),
        ]

    def __str__(self):
        return f"{self.name} ({self.organisation})"

    def get_absolute_url(self):
        return reverse("admin:members_contact_change", args=[self.pk])


class ContactRoleQuerySet(models.QuerySet):
    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(start_date__lte=on), Q(end_date__isnull=True) | Q(end_date__gte=on))


class ContactRole(models.Model):
    """A role a contact holds for their organisation, over a period."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="roles", verbose_name=_("contact"))
    role = models.CharField(_("role"), max_length=20, choices=ContactRoleType.choices)
    start_date = models.DateField(_("from"), default=datetime.date.today)
    end_date = models.DateField(_("until"), null=True, blank=True)

    history = HistoricalRecords()
    objects = ContactRoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact role")
        verbose_name_plural = _("contact roles")
        ordering = ["contact", "role", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="contact_role_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()}: {self.contact.name}"

    def clean(self):
        super().clean()
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
