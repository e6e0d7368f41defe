"""Membership applications: a city (or a provider, an institution) applies
through the public form, the secretariat reviews, the Executive Committee
recommends at a meeting, the body the category's rules name admits, and the
membership starts; or the application is rejected (with a reason the
applicant is told) or withdrawn by the applicant, and the secretariat may
reopen it.

Which moves exist is said once, in ``TRANSITIONS``. The service
(``governance.services.applications``) asks it before each move; the
database asks the same table through a trigger generated from it (migration
0006) and a check constraint on the recorded moves, so no code path (a
shell, a bulk update) can put an application in a state it cannot reach.
"""

import functools
import operator
import secrets
from typing import NamedTuple

from django.conf import settings
from django.core import signing
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from members.models import MembershipCategory, Organisation, OrganisationKind
from members.text import fold

from ..files import validate_letter_of_intent
from .meetings import AgendaItem, Resolution
from .offices import Body, BodySlug


class ApplicationState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    RECOMMENDED = "recommended", _("Recommended by the Executive Committee")
    ADMITTED = "admitted", _("Admitted")
    REJECTED = "rejected", pgettext_lazy("an application", "Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("an application", "Withdrawn")


class Actor(models.TextChoices):
    """Who may make a move: the secretariat (staff, in the admin) or the
    applicant (through the private link to the application's page)."""

    SECRETARIAT = "secretariat", _("Secretariat")
    APPLICANT = "applicant", _("Applicant")


class Transition(NamedTuple):
    """A row of ``TRANSITIONS``: ``action`` moves an application from
    ``source`` to ``target``, done by ``actor``."""

    action: str
    source: str
    target: str
    actor: str


S = ApplicationState
# Every move an application can make, in one place. Anything else is refused
# by the service and by PostgreSQL (migration 0006 is generated from this).
TRANSITIONS = (
    Transition("start_review", S.SUBMITTED, S.UNDER_REVIEW, Actor.SECRETARIAT),
    Transition("recommend", S.UNDER_REVIEW, S.RECOMMENDED, Actor.SECRETARIAT),
    Transition("admit", S.RECOMMENDED, S.ADMITTED, Actor.SECRETARIAT),
    Transition("reject", S.SUBMITTED, S.REJECTED, Actor.SECRETARIAT),
    Transition("reject", S.UNDER_REVIEW, S.REJECTED, Actor.SECRETARIAT),
    Transition("reject", S.RECOMMENDED, S.REJECTED, Actor.SECRETARIAT),
    Transition("withdraw", S.SUBMITTED, S.WITHDRAWN, Actor.APPLICANT),
    Transition("withdraw", S.UNDER_REVIEW, S.WITHDRAWN, Actor.APPLICANT),
    Transition("withdraw", S.RECOMMENDED, S.WITHDRAWN, Actor.APPLICANT),
    Transition("reopen", S.REJECTED, S.UNDER_REVIEW, Actor.SECRETARIAT),
    Transition("reopen", S.WITHDRAWN, S.UNDER_REVIEW, Actor.SECRETARIAT),
)
# The state every application starts in (the only one an INSERT may give).
INITIAL_STATE = S.SUBMITTED
ACTIONS = tuple(dict.fromkeys(t.action for t in TRANSITIONS))
# Open: still waiting for a decision (a duplicate is looked for among these).
OPEN_STATES = (S.SUBMITTED, S.UNDER_REVIEW, S.RECOMMENDED)


def transition_for(action, source):
    """The row of ``TRANSITIONS`` for ``action`` from ``source``, or None."""
    return next((t for t in TRANSITIONS if t.action == action and t.source == source), None)


def allowed_pairs():
    """The (from, to) pairs of ``TRANSITIONS``, each once."""
    return tuple(dict.fromkeys((str(t.source), str(t.target)) for t in TRANSITIONS))


def transitions_trigger_sql():
    """The PostgreSQL trigger that refuses any state ``TRANSITIONS`` does not
    allow: an INSERT starts in ``INITIAL_STATE``, an UPDATE of the state
    makes one of the table's moves. Migration 0006 holds the text this gave
    when it was written (a migration must not change after it has run); a
    test checks the two agree, so a change to the table needs a migration."""
    pairs = ", ".join(f"('{source}', '{target}')" for source, target in allowed_pairs())
    return f"""
CREATE OR REPLACE FUNCTION governance_application_transitions() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.state <> '{INITIAL_STATE}' THEN
            RAISE EXCEPTION 'an application starts in state {INITIAL_STATE}, not %', NEW.state
                USING ERRCODE = 'check_violation';
        END IF;
    ELSIF NEW.state IS DISTINCT FROM OLD.state
          AND (OLD.state, NEW.state) NOT IN ({pairs}) THEN
        RAISE EXCEPTION 'application % cannot move from % to %', OLD.reference, OLD.state, NEW.state
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER governance_application_transitions
    BEFORE INSERT OR UPDATE OF state ON governance_application
    FOR EACH ROW EXECUTE FUNCTION governance_application_transitions();
"""


def admitting_body_slug(category):
    """The body that admits members of ``category``.

    WeGO's statutes have the General Assembly admit its full members (those
    whose category carries the GA vote) and the Executive Committee admit
    the others. The rule is read from the category's existing ``has_vote``
    rather than from a new field on the shared ``MembershipCategory``.
    """
    return BodySlug.GENERAL_ASSEMBLY if category.has_vote else BodySlug.EXECUTIVE_COMMITTEE


def admitting_body(category):
    return Body.objects.filter(slug=admitting_body_slug(category)).first()


class ApplicationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def from_private_link(self, token):
        """The application the private link ``token`` opens, or None."""
        try:
            pk = int(signing.Signer(salt=Application.LINK_SALT).unsign(token))
        except (signing.BadSignature, TypeError, ValueError):
            return None
        return self.filter(pk=pk).first()


def _letter_path(instance, filename):
    return f"applications/{timezone.now():%Y}/{instance.reference or 'new'}-letter.pdf"


class Application(models.Model):
    """An application for membership, from the public form.

    Never public: seen by the secretariat and, through the private link sent
    to them, by the applicant.
    """

    LINK_SALT = "governance.application.status"

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    state = models.CharField(
        _("state"), max_length=20, choices=ApplicationState.choices, default=INITIAL_STATE, editable=False
    )
    # The organisation
    name = models.CharField(_("name of the organisation"), max_length=200)
    country = CountryField(_("country"))
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    category = models.ForeignKey(
        MembershipCategory,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("category applied for"),
    )
    website = models.URLField(_("website"), blank=True)
    population = models.PositiveIntegerField(
        _("population"), null=True, blank=True, help_text=_("For a city or a region: its inhabitants.")
    )
    head_of_government = models.CharField(
        _("head of the local government"), max_length=200, blank=True, help_text=_("For example the mayor.")
    )
    head_term_ends = models.DateField(_("end of their term of office"), null=True, blank=True)
    # The people
    political_name = models.CharField(_("political contact: name"), max_length=200)
    political_title = models.CharField(_("political contact: title"), max_length=200, blank=True)
    political_email = models.EmailField(_("political contact: e-mail address"))
    liaison_name = models.CharField(_("staff liaison: name"), max_length=200)
    liaison_title = models.CharField(_("staff liaison: title"), max_length=200, blank=True)
    liaison_email = models.EmailField(
        _("staff liaison: e-mail address"), help_text=_("The acknowledgement and the decision are sent here.")
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("Of the applicant's e-mails."),
    )
    letter = models.FileField(
        _("letter of intent"), upload_to=_letter_path, max_length=200, validators=[validate_letter_of_intent]
    )
    consent = models.BooleanField(_("consent to the handling of the data"), default=False)
    # The secretariat's side
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("organisation"),
        help_text=_("The organisation this application is for, once it exists (or if it already did)."),
    )
    possible_duplicate = models.BooleanField(_("possible duplicate"), default=False)
    duplicate_note = models.TextField(_("why it may be a duplicate"), blank=True)
    name_folded = models.CharField(max_length=200, editable=False, default="", db_index=True)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["country", "name_folded"], name="application_duplicate_idx"),
            models.Index(fields=["state", "submitted_at"], name="application_queue_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in ApplicationState]), name="application_state_valid"
            ),
            models.CheckConstraint(condition=Q(consent=True), name="application_consent_given"),
        ]

    def __str__(self):
        return f"{self.reference} — {self.name}"

    def get_absolute_url(self):
        return reverse("admin:governance_application_change", args=[self.pk])

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.name)[:200]
        if not self.reference:
            self.reference = self.new_reference()
        super().save(*args, **kwargs)

    @staticmethod
    def new_reference():
        """``WEGO-<year>-<8 characters>``: unique, not guessable, easy to read
        out on the phone (no 0/O, 1/I)."""
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        return f"WEGO-{timezone.now():%Y}-" + "".join(secrets.choice(alphabet) for _ in range(8))

    # --- The applicant's private link -------------------------------------
    def private_token(self):
        """The id, signed with the secret key: the same link every time it is
        made, and no other application's."""
        return signing.Signer(salt=self.LINK_SALT).sign(str(self.pk))

    def private_path(self):
        return reverse("applications:status", args=[self.private_token()])

    def private_url(self):
        return settings.SITE_URL + self.private_path()

    @property
    def letter_filename(self):
        return f"{self.reference}-letter.pdf"

    @property
    def is_open(self):
        return self.state in OPEN_STATES

    def age_days(self, today=None):
        today = today or timezone.localdate()
        return (today - timezone.localdate(self.submitted_at)).days

    def actions_for(self, actor):
        """The actions ``actor`` may take on this application now."""
        return [t.action for t in TRANSITIONS if t.source == self.state and t.actor == actor]

    def last_transition(self):
        return self.transitions.order_by("-at", "-pk").first()


def _pair_q(pair):
    return Q(from_state=pair[0], to_state=pair[1])


class ApplicationTransition(models.Model):
    """One move of an application: from, to, by whom, when and why; for a
    recommendation or an admission, the meeting's agenda item (and
    resolution) that decided it. Append-only."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("application")
    )
    from_state = models.CharField(_("from"), max_length=20, choices=ApplicationState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=ApplicationState.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    by_applicant = models.BooleanField(_("by the applicant"), default=False)
    at = models.DateTimeField(_("when"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="application_decisions",
        verbose_name=_("agenda item"),
    )
    resolution = models.ForeignKey(
        Resolution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="application_decisions",
        verbose_name=_("resolution"),
    )

    class Meta:
        verbose_name = _("application transition")
        verbose_name_plural = _("application transitions")
        ordering = ["application", "at", "pk"]
        constraints = [
            # The moves recorded are those TRANSITIONS allows, or the first.
            models.CheckConstraint(
                condition=functools.reduce(
                    operator.or_,
                    [_pair_q(pair) for pair in allowed_pairs()] + [Q(from_state="", to_state=INITIAL_STATE)],
                ),
                name="application_transition_allowed",
            ),
        ]

    def __str__(self):
        return f"{self.application.reference}: {self.from_state or '—'} → {self.to_state}"

    @property
    def who(self):
        if self.by_applicant:
            return _("the applicant")
        return self.by.get_full_name() if self.by else _("the portal")
