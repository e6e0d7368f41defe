"""Actions on meetings that change several rows, each in one transaction.

Each takes ids, locks the meeting's row, raises ``MeetingError`` with a
message fit for the person who asked, and logs what it did. The notices that
follow (convened, changed, cancelled) are to be recorded by the
notifications outbox in the same transaction: ``_announce`` is that one
place.
"""

import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Organisation, User

from .. import access, notices, registration_notices
from ..models import Invitation, Meeting, MeetingStatus, Registration, RegistrationStatus
from ..notifications.models import Delivery

log = logging.getLogger(__name__)

# What change_meeting() may change: what the admin's form edits. A change of
# any SCHEDULE field raises the meeting's iCalendar SEQUENCE (Meeting.save).
CHANGEABLE_FIELDS = {*Meeting.EDITABLE_FIELDS, "host_id"}


class MeetingError(Exception):
    """An action on a meeting that the rules do not allow; the message says
    why, and ``field`` names the input it concerns, if one does."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def _locked(meeting_id):
    try:
        return Meeting.objects.select_for_update().select_related("body", "term").get(pk=meeting_id)
    except Meeting.DoesNotExist:
        raise MeetingError(_("There is no such meeting.")) from None


def _announce(meeting, event, by_user_id, changed=()):
    """The hook for notices about ``meeting``; runs inside the caller's
    transaction so a notice is recorded with the change or not at all."""
    log.info("meeting %s %s by user %s %s", meeting.pk, event, by_user_id, ",".join(changed))
    notices.announce(meeting, event, by_user_id, changed)


@dataclass(frozen=True)
class NoticeReach:
    """Whom a meeting's notice reaches: the members sitting in the meeting,
    those with at least one contact to write to, and the addresses."""

    invited: list
    reached_ids: frozenset
    addresses: int

    @property
    def reached(self):
        return [organisation for organisation in self.invited if organisation.pk in self.reached_ids]

    @property
    def unreached(self):
        """The members no one could be told at: no contact holding a notice
        role (focal point, GA voting delegate) today."""
        return [organisation for organisation in self.invited if organisation.pk not in self.reached_ids]


def notice_reach(meeting):
    """Whom a notice about ``meeting`` would reach now, before it is sent."""
    contacts = notices.meeting_recipients(meeting)
    return NoticeReach(
        invited=list(meeting.invited_organisations().order_by("name")),
        reached_ids=frozenset(contact.organisation_id for contact in contacts),
        addresses=len({contact.email.strip().lower() for contact in contacts if contact.email}),
    )


def convening_reach(meeting):
    """Whom the convening notice of ``meeting`` reached, as recorded: its
    invitations, and the deliveries of the notice (None before convening)."""
    deliveries = Delivery.objects.filter(
        notification__kind=notices.MeetingNotice.CONVENED,
        notification__content_type__app_label="governance",
        notification__content_type__model="meeting",
        notification__object_id=meeting.pk,
    )
    if meeting.convened_at is None:
        return None
    invited = [invitation.organisation for invitation in meeting.invitations.select_related("organisation")]
    return NoticeReach(
        invited=sorted(invited, key=lambda organisation: organisation.name),
        reached_ids=frozenset(deliveries.exclude(contact=None).values_list("contact__organisation_id", flat=True)),
        addresses=deliveries.count(),
    )


@transaction.atomic
def convene_meeting(meeting_id, by_user_id):
    """Convene a planned meeting: invite every organisation that may see it."""
    meeting = _locked(meeting_id)
    if meeting.status != MeetingStatus.PLANNED:
        raise MeetingError(
            _("Only a planned meeting can be convened; this one is %(status)s.")
            % {"status": meeting.get_status_display()}
        )
    if meeting.has_started():
        raise MeetingError(_("The meeting has already started."))
    meeting.status = MeetingStatus.CONVENED
    meeting.convened_at = timezone.now()
    meeting.save()
    invited = meeting.invited_organisations().values_list("pk", flat=True)
    Invitation.objects.bulk_create(
        [Invitation(meeting=meeting, organisation_id=pk) for pk in invited], ignore_conflicts=True
    )
    _announce(meeting, "convened", by_user_id)
    return meeting


@transaction.atomic
def change_meeting(meeting_id, by_user_id, **changes):
    """Change a meeting's details, from the admin's form or from code alike.

    The rules are the model's (``Meeting.clean``: a held or cancelled meeting
    no longer changes, a meeting lies within its term); the calendar
    SEQUENCE rises with a new time, place or status (``Meeting.save``); and
    the members of a convened meeting are told of a new time or place.
    """
    unknown = set(changes) - CHANGEABLE_FIELDS
    if unknown:
        raise ValueError(f"change_meeting cannot change {sorted(unknown)}")
    meeting = _locked(meeting_id)
    before = {name: getattr(meeting, name) for name in meeting.SCHEDULE_FIELDS}
    for name, value in changes.items():
        setattr(meeting, name, value)
    try:
        meeting.full_clean()
    except ValidationError as error:
        raise MeetingError(" ".join(error.messages)) from None
    meeting.save()
    changed = [name for name in meeting.SCHEDULE_FIELDS if getattr(meeting, name) != before[name]]
    if changed and meeting.status == MeetingStatus.CONVENED:
        _announce(meeting, "changed", by_user_id, changed)
    return meeting


def documents_published(meeting_id, document_ids, by_user_id):
    """Record that documents of a meeting became final (from the admin);
    called inside its transaction. Members hear of them once the meeting is
    convened: before that, the convening notice is their first word."""
    if not document_ids:
        return
    meeting = Meeting.objects.get(pk=meeting_id)
    if meeting.status in (MeetingStatus.CONVENED, MeetingStatus.HELD):
        notices.documents_published(meeting.pk, document_ids, by_user_id)


@transaction.atomic
def cancel_meeting(meeting_id, by_user_id, reason=""):
    meeting = _locked(meeting_id)
    if meeting.status in (MeetingStatus.HELD, MeetingStatus.CANCELLED):
        raise MeetingError(_("This meeting is already %(status)s.") % {"status": meeting.get_status_display()})
    was_convened = meeting.status == MeetingStatus.CONVENED
    meeting.status = MeetingStatus.CANCELLED
    if reason:
        meeting.status_note = reason
    meeting.save()
    if was_convened:
        _announce(meeting, "cancelled", by_user_id)
    return meeting


@transaction.atomic
def mark_meeting_held(meeting_id, by_user_id):
    meeting = _locked(meeting_id)
    if meeting.status != MeetingStatus.CONVENED:
        raise MeetingError(_("Only a convened meeting can be marked as held."))
    if not meeting.has_started():
        raise MeetingError(_("The meeting has not started yet."))
    meeting.status = MeetingStatus.HELD
    meeting.save()
    return meeting


def _check_may_register(meeting, organisation_id, user_id):
    user = User.objects.filter(pk=user_id, is_active=True).first()
    organisation = Organisation.objects.filter(pk=organisation_id).select_related("membership__category").first()
    if user is None or organisation is None or not access.may_act_for(user, organisation, meeting):
        raise MeetingError(_("You may register delegates only for your own organisation, for a meeting it may attend."))
    if not meeting.accepts_registrations():
        raise MeetingError(_("Registration for this meeting is closed: it has started, was held or was cancelled."))
    return organisation


@transaction.atomic
def register_delegate(meeting_id, organisation_id, by_user_id, name, email, is_voting_delegate=False):
    """Register a delegate of ``organisation_id`` for the meeting, on behalf of user ``by_user_id``."""
    meeting = _locked(meeting_id)
    organisation = _check_may_register(meeting, organisation_id, by_user_id)
    registrations = Registration.objects.filter(meeting=meeting, organisation=organisation)
    if registrations.filter(email__iexact=email).exists():
        raise MeetingError(_("%(email)s is already registered.") % {"email": email}, field="email")
    if is_voting_delegate and registrations.filter(is_voting_delegate=True).exists():
        raise MeetingError(
            _("%(member)s already has a voting delegate; remove that one first.") % {"member": organisation},
            field="is_voting_delegate",
        )
    if meeting.capacity_per_member is not None and registrations.count() >= meeting.capacity_per_member:
        raise MeetingError(
            _("%(member)s has registered %(count)d delegates, the most a member may for this meeting.")
            % {"member": organisation, "count": registrations.count()}
        )
    # The meeting's row is locked: two registrations never take the last place.
    full = meeting.capacity is not None and meeting.confirmed_count() >= meeting.capacity
    registration = Registration(
        meeting=meeting,
        organisation=organisation,
        name=name,
        email=email,
        is_voting_delegate=is_voting_delegate,
        status=RegistrationStatus.WAITING if full else RegistrationStatus.CONFIRMED,
        registered_by_id=by_user_id,
    )
    try:
        # The model's rules (only a full member names a voting delegate);
        # the two above are the database's constraints, said more kindly.
        registration.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        fields = [name for name in error.message_dict if name != "__all__"] if hasattr(error, "error_dict") else []
        raise MeetingError(" ".join(error.messages), field=fields[0] if fields else None) from None
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:  # a concurrent request of the same organisation won
        raise MeetingError(_("This delegate was registered at the same moment; reload the page.")) from None
    log.info("meeting %s: %s registered delegate %s", meeting.pk, organisation.pk, registration.pk)
    registration_notices.confirm(registration, by_user_id)
    return registration


@transaction.atomic
def remove_registration(registration_id, by_user_id):
    registration = Registration.objects.filter(pk=registration_id).first()
    if registration is None:
        raise MeetingError(_("There is no such registration."))
    meeting = _locked(registration.meeting_id)
    _check_may_register(meeting, registration.organisation_id, by_user_id)
    registration.delete()
    log.info("meeting %s: registration %s removed by user %s", meeting.pk, registration_id, by_user_id)
    return _move_up_waiting_list(meeting)


def _move_up_waiting_list(meeting):
    """Give the places freed to the first on the waiting list, in the order
    they registered; return those who moved up. The meeting's row is locked
    by the caller."""
    free = None if meeting.capacity is None else meeting.capacity - meeting.confirmed_count()
    waiting = meeting.registrations.filter(status=RegistrationStatus.WAITING).order_by("created_at", "pk")
    moved = list(waiting if free is None else waiting[: max(free, 0)])
    for registration in moved:
        registration.status = RegistrationStatus.CONFIRMED
        registration.save(update_fields=["status", "updated_at"])
        log.info("meeting %s: registration %s moved up from the waiting list", meeting.pk, registration.pk)
        registration_notices.confirm(registration)
    return moved
