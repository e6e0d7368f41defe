"""Membership applications: every move an application makes, each in one
transaction with the row locked, recorded (from, to, who, when, why) and
checked against ``TRANSITIONS`` (``governance.models.applications``), which
PostgreSQL also holds.

- ``submit``: the public form's application, checked for duplicates (flagged
  to the secretariat, never refused), acknowledged to the applicant;
- ``start_review``, ``recommend`` (the Executive Committee, at a meeting's
  agenda item), ``admit`` (the body the category's rules name: the
  organisation, its membership, its contacts and their invitations, at
  once), ``reject`` (a reason the applicant is told), ``reopen``: the
  secretariat's;
- ``withdraw``: the applicant's, from their private page.

The staff dashboard counts them in ``governance.figures``.
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from members.models import (
    Contact,
    ContactRole,
    ContactRoleType,
    Membership,
    Organisation,
    Standing,
)
from members.text import fold

from .. import application_notices
from ..models import AgendaItem, Resolution
from ..models.applications import (
    Actor,
    Application,
    ApplicationState,
    ApplicationTransition,
    admitting_body_slug,
    transition_for,
)
from ..models.offices import BodySlug
from .invitations import InvitationError, invite_contact

log = logging.getLogger(__name__)


class ApplicationError(Exception):
    """A move that cannot be made; the message says why, for the person who asked."""


# --- Submitting ---------------------------------------------------------------
def find_duplicates(application):
    """What makes ``application`` a possible duplicate: the current member,
    or the open applications, of the same country and the same name (folded
    as the directory's search folds it). Returns (note, organisation): the
    note empty when there is none; the organisation an existing one of that
    name and country, member or not, to link the application to."""
    country = application.country
    organisations = Organisation.objects.filter(country=country).named(application.name).order_by("pk")
    notes = []
    current = organisations.current_members().first()
    if current is not None:
        notes.append(_("%(member)s (%(country)s) is already a member.") % {"member": current, "country": country.name})
    others = (
        Application.objects.open()
        .filter(country=country, name_folded=fold(application.name)[:200])
        .exclude(pk=application.pk)
        .order_by("submitted_at")
        .values_list("reference", flat=True)
    )
    if others:
        message = ngettext(
            "An open application for the same name and country: %(refs)s.",
            "Open applications for the same name and country: %(refs)s.",
            len(others),
        )
        notes.append(message % {"refs": ", ".join(others)})
    return " ".join(notes), current or organisations.first()


@transaction.atomic
def submit(application, by=None):
    """Record ``application`` (unsaved, from the public form) as submitted,
    flag it if it may be a duplicate, and tell the applicant and the secretariat."""
    # The note is the secretariat's, shown in the admin and its notice: in
    # its language (application_notices.secretariat_recipients), not in the
    # language of the page the applicant filled in.
    with translation.override(settings.LANGUAGE_CODE):
        note, organisation = find_duplicates(application)
    application.possible_duplicate = bool(note)
    application.duplicate_note = note
    application.organisation = organisation
    application.state = ApplicationState.SUBMITTED
    application.submitted_at = timezone.now()
    application.save()
    ApplicationTransition.objects.create(
        application=application, from_state="", to_state=ApplicationState.SUBMITTED, by_applicant=True
    )
    application_notices.received(application, by=by)
    log.info("application %s submitted (duplicate: %s)", application.reference, application.possible_duplicate)
    return application


# --- The moves ----------------------------------------------------------------
def _locked(application_id):
    return Application.objects.select_for_update(of=("self",)).select_related("category").get(pk=application_id)


def _transition(application, action, actor):
    """The row of ``TRANSITIONS`` for ``action`` on ``application`` by
    ``actor``, or the error saying why there is none."""
    transition = transition_for(action, application.state)
    if transition is None:
        raise ApplicationError(
            _("%(application)s cannot be %(action)s: it is %(state)s.")
            % {
                "application": application.reference,
                "action": ACTION_PAST[action],
                "state": application.get_state_display().lower(),
            }
        )
    if transition.actor != actor:
        raise ApplicationError(_("Only the %(actor)s may do this.") % {"actor": Actor(transition.actor).label.lower()})
    return transition


def _move(application, action, actor, *, by_user_id=None, reason="", agenda_item=None, resolution=None):
    """Move the locked ``application`` by ``action``, as ``TRANSITIONS`` says, and record it."""
    transition = _transition(application, action, actor)
    source = application.state
    application.state = transition.target
    application.save(update_fields=["state", "updated_at"])
    return ApplicationTransition.objects.create(
        application=application,
        from_state=source,
        to_state=transition.target,
        by_id=by_user_id,
        by_applicant=actor == Actor.APPLICANT,
        reason=reason,
        agenda_item=agenda_item,
        resolution=resolution,
    )


# Said in the errors: "WEGO-… cannot be admitted: it is rejected."
ACTION_PAST = {
    "start_review": gettext_lazy("put under review"),
    "recommend": gettext_lazy("recommended"),
    "admit": gettext_lazy("admitted"),
    "reject": gettext_lazy("rejected"),
    "withdraw": gettext_lazy("withdrawn"),
    "reopen": gettext_lazy("reopened"),
}


def _required(reason, what):
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(what)
    return reason


def _decision(agenda_item_id, resolution_id, body_slug):
    """The agenda item (and resolution) of a meeting of ``body_slug`` that decided."""
    if not agenda_item_id:
        raise ApplicationError(
            _("Name the agenda item of the %(body)s meeting that decided.") % {"body": BodySlug(body_slug).label}
        )
    item = AgendaItem.objects.select_related("meeting__body").filter(pk=agenda_item_id).first()
    if item is None or item.meeting.body.slug != body_slug:
        raise ApplicationError(
            _("The decision must be taken at a meeting of the %(body)s.") % {"body": BodySlug(body_slug).label}
        )
    resolution = None
    if resolution_id:
        resolution = Resolution.objects.filter(pk=resolution_id, agenda_item=item).first()
        if resolution is None:
            raise ApplicationError(_("The resolution must be one of the agenda item named."))
    return item, resolution


@transaction.atomic
def start_review(application_id, by_user_id, reason=""):
    return _move(_locked(application_id), "start_review", Actor.SECRETARIAT, by_user_id=by_user_id, reason=reason)


@transaction.atomic
def recommend(application_id, by_user_id, agenda_item_id, resolution_id=None, reason=""):
    """The Executive Committee recommends the application, at ``agenda_item_id``."""
    application = _locked(application_id)
    _transition(application, "recommend", Actor.SECRETARIAT)  # the state first, then the decision
    item, resolution = _decision(agenda_item_id, resolution_id, BodySlug.EXECUTIVE_COMMITTEE)
    return _move(
        application,
        "recommend",
        Actor.SECRETARIAT,
        by_user_id=by_user_id,
        reason=reason,
        agenda_item=item,
        resolution=resolution,
    )


@transaction.atomic
def reject(application_id, by_user_id, reason):
    application = _locked(application_id)
    _transition(application, "reject", Actor.SECRETARIAT)
    reason = _required(reason, _("Give the reason: the applicant is told it."))
    moved = _move(application, "reject", Actor.SECRETARIAT, by_user_id=by_user_id, reason=reason)
    application_notices.decided(application, reason, by=moved.by)
    return moved


@transaction.atomic
def withdraw(application_id, reason=""):
    """The applicant withdraws (from the private page)."""
    return _move(_locked(application_id), "withdraw", Actor.APPLICANT, reason=reason)


@transaction.atomic
def reopen(application_id, by_user_id, reason):
    application = _locked(application_id)
    _transition(application, "reopen", Actor.SECRETARIAT)
    reason = _required(reason, _("Say why the application is reopened."))
    return _move(application, "reopen", Actor.SECRETARIAT, by_user_id=by_user_id, reason=reason)


# --- Admission ------------------------------------------------------------------
@dataclass
class Admission:
    """What an admission made: the membership, its contacts, who was invited."""

    transition: ApplicationTransition
    organisation: Organisation
    membership: Membership
    contacts: list = field(default_factory=list)
    invited: list = field(default_factory=list)
    not_invited: list = field(default_factory=list)


@transaction.atomic
def admit(application_id, by_user_id, agenda_item_id, resolution_id=None, start_date=None, reason=""):
    """Admit the application, by the body its category's rules name, at
    ``agenda_item_id``: in this one transaction the organisation is created
    (or the existing one linked), its membership starts on ``start_date``
    (default today) in the category applied for, its contacts are made with
    their roles and invited to the portal through the outbox, and the
    applicant is told. Anything that fails undoes it all."""
    application = _locked(application_id)
    start_date = start_date or timezone.localdate()
    _transition(application, "admit", Actor.SECRETARIAT)  # the state first, then the decision
    item, resolution = _decision(agenda_item_id, resolution_id, admitting_body_slug(application.category))
    moved = _move(
        application,
        "admit",
        Actor.SECRETARIAT,
        by_user_id=by_user_id,
        reason=reason,
        agenda_item=item,
        resolution=resolution,
    )
    organisation = _organisation_for(application)
    membership = _start_membership(application, organisation, start_date)
    contacts = _contacts_for(application, organisation, start_date)
    admission = Admission(moved, organisation, membership, contacts)
    if membership.is_current():
        for contact in contacts:
            try:
                if invite_contact(contact.pk, by_user_id):
                    admission.invited.append(contact)
                else:
                    admission.not_invited.append(contact)  # already had a login with a password
            except InvitationError as error:
                raise ApplicationError(str(error))
    else:
        admission.not_invited.extend(contacts)
    application.organisation = organisation
    application.save(update_fields=["organisation", "updated_at"])
    application_notices.decided(application, reason, by=moved.by)
    log.info("application %s admitted: organisation %s", application.reference, organisation.pk)
    return admission


def _organisation_for(application):
    organisation = application.organisation
    if organisation is None:
        return Organisation.objects.create(
            name=application.name,
            country=application.country,
            kind=application.kind,
            website=application.website,
            population=application.population,
        )
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if Membership.objects.current().filter(organisation=organisation).exists():
        raise ApplicationError(_("%(member)s is already a current member.") % {"member": organisation})
    if application.population and organisation.population != application.population:
        organisation.population = application.population  # what the city says of itself now sets its dues
        organisation.save(update_fields=["population"])
    return organisation


def _start_membership(application, organisation, start_date):
    membership = Membership.objects.filter(organisation=organisation).first() or Membership(organisation=organisation)
    membership.category = application.category
    membership.start_date = start_date
    membership.end_date = None
    membership.standing = Standing.NORMAL
    membership.standing_reason = ""
    membership.joined_on = membership.joined_on or start_date
    membership._change_reason = _("Admitted on application %(reference)s") % {"reference": application.reference}
    try:
        membership.full_clean(exclude=["organisation"])
    except ValidationError as error:  # the category does not fit the organisation
        raise ApplicationError(" ".join(error.messages))
    membership.save()
    return membership


def _contacts_for(application, organisation, start_date):
    """The staff liaison (focal point) and the political contact (the GA
    voting delegate of a member that votes, else a focal point too): found
    by address among the organisation's contacts, or made."""
    political_role = ContactRoleType.GA_DELEGATE if application.category.has_vote else ContactRoleType.FOCAL_POINT
    people = [
        (application.liaison_name, application.liaison_title, application.liaison_email, ContactRoleType.FOCAL_POINT),
        (application.political_name, application.political_title, application.political_email, political_role),
    ]
    contacts = {}
    for name, title, email, role in people:
        email = email.strip().lower()
        contact = contacts.get(email) or Contact.objects.filter(organisation=organisation, email__iexact=email).first()
        if contact is None:
            contact = Contact.objects.create(
                organisation=organisation, name=name, title=title, email=email, language=application.language
            )
        contacts[email] = contact
        if not ContactRole.objects.active(start_date).filter(contact=contact, role=role).exists():
            ContactRole.objects.create(contact=contact, role=role, start_date=start_date)
    return list(contacts.values())


# --- The dashboard's figures ----------------------------------------------------
