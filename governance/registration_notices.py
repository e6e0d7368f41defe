"""The confirmation of a delegate's registration, sent through the outbox
like the meeting notices (``governance.notices``): registered, with the
meeting's calendar entry (.ics), or put on the waiting list; and registered
again when a place is freed.

Recipients: the contact of the representative who registered the delegate,
and the delegate if they are a contact of the same member. Recorded in the
transaction of the registration (``governance.services.meetings``).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.models import Contact

from . import notices
from .models import Registration, RegistrationStatus
from .notifications import kinds
from .notifications.emails import compose
from .notifications.services import notify


class RegistrationNotice(models.TextChoices):
    CONFIRMED = "registration_confirmed", _("Delegate registered")
    WAITING = "registration_waiting", _("Delegate on the waiting list")


def recipients(registration):
    who = Q(email__iexact=registration.email)
    if registration.registered_by_id:
        who |= Q(user_id=registration.registered_by_id)
    return list(Contact.objects.filter(who, organisation_id=registration.organisation_id).order_by("pk"))


def confirm(registration, by_user_id=None):
    """Record the confirmation of ``registration`` as it now stands."""
    meeting = registration.meeting
    confirmed = registration.status == RegistrationStatus.CONFIRMED
    return notify(
        RegistrationNotice.CONFIRMED if confirmed else RegistrationNotice.WAITING,
        meeting,
        recipients(registration),
        payload={"registration": registration.pk, "delegate": registration.name, "sequence": meeting.sequence},
        attachment=notices.invitation_ics(meeting, "REQUEST") if confirmed else "",
        attachment_name=f"{meeting.slug}.ics" if confirmed else "",
        by=notices._user(by_user_id),
    )


def _context(delivery, meeting):
    context = notices.meeting_context(meeting)
    payload = delivery.notification.payload
    registration = Registration.objects.filter(pk=payload.get("registration")).first()
    context["delegate"] = payload.get("delegate", "")
    context["voting"] = bool(registration and registration.is_voting_delegate)
    context["member"] = registration.organisation.name if registration else ""
    return context


@kinds.register(RegistrationNotice.CONFIRMED, RegistrationNotice.CONFIRMED.label)
def confirmed_email(delivery, meeting):
    return compose("registration-confirmed", delivery, _context(delivery, meeting))


@kinds.register(RegistrationNotice.WAITING, RegistrationNotice.WAITING.label)
def waiting_email(delivery, meeting):
    return compose("registration-waiting", delivery, _context(delivery, meeting))
