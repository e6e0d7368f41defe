"""Notices about meetings: convened, changed, cancelled, documents or
minutes published, and reminders.

Called from inside the transaction of the change (governance's meeting
services), so each notice is recorded with its change or not at all.
Recipients are the notice-role contacts of the organisations that may see
the meeting, as ``governance.access`` decides; this module never restates
that rule.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from icalendar import Calendar, vCalAddress, vText

from governance import access, ics
from governance.meetings import DocumentKind, DocumentState, DocumentVisibility, Meeting, MeetingStatus
from members.models import Contact, ContactRole, ContactRoleType

from .models import Notification, NotificationKind
from .services import notify

logger = logging.getLogger(__name__)

# The roles whose holders receive meeting notices, in order of preference
# (the role named in the footer when a contact holds both).
NOTICE_ROLES = [ContactRoleType.FOCAL_POINT, ContactRoleType.GA_DELEGATE]


def recipients(organisations, on=None):
    """Contacts holding a notice role today in ``organisations`` (a queryset),
    each with ``notice_role`` set."""
    held = {}
    for contact_id, role in (
        ContactRole.objects.active(on)
        .filter(role__in=NOTICE_ROLES, contact__organisation__in=organisations.values("pk"))
        .values_list("contact_id", "role")
    ):
        if contact_id not in held or NOTICE_ROLES.index(role) < NOTICE_ROLES.index(held[contact_id]):
            held[contact_id] = role
    contacts = list(Contact.objects.filter(pk__in=held).order_by("pk"))
    for contact in contacts:
        contact.notice_role = held[contact.pk]
    return contacts


def meeting_recipients(meeting):
    return recipients(access.organisations_invited_to(meeting))


def invitation_ics(meeting, method):
    """The meeting's calendar entry as an iTIP message: REQUEST to add or
    update it, CANCEL to remove it. The event itself (UID, SEQUENCE, STATUS,
    time zone, link) is governance.ics's; only the method and the organiser,
    which calendar programs need to act on an invitation, are added."""
    calendar = Calendar.from_ical(
        ics.calendar_of([meeting], lambda path: settings.SITE_URL + path, str(meeting))
    )
    calendar.pop("METHOD", None)
    calendar.add("method", method)
    organiser = vCalAddress(f"mailto:{_address(settings.DEFAULT_FROM_EMAIL)}")
    organiser.params["cn"] = vText("WeGO Secretariat")
    for event in calendar.walk("VEVENT"):
        event["organizer"] = organiser
    return calendar.to_ical().decode()


def _address(from_email):
    from email.utils import parseaddr

    return parseaddr(from_email)[1]


def _meeting_notice(kind, meeting, by_user_id, method, payload=None):
    return notify(
        kind,
        meeting,
        meeting_recipients(meeting),
        payload={"sequence": meeting.sequence, **(payload or {})},
        attachment=invitation_ics(meeting, method),
        attachment_name=f"{meeting.slug}.ics",
        by=_user(by_user_id),
    )


def announce(meeting, event, by_user_id, changed=()):
    """Record the notice for ``event`` on ``meeting`` ("convened", "changed",
    "cancelled"). Runs inside the transaction that made the change."""
    meeting = Meeting.objects.select_related("body", "term", "host").get(pk=meeting.pk)
    if event == "convened":
        return _meeting_notice(NotificationKind.MEETING_CONVENED, meeting, by_user_id, "REQUEST")
    if event == "changed":
        return _meeting_notice(
            NotificationKind.MEETING_CHANGED, meeting, by_user_id, "REQUEST", {"changed": list(changed)}
        )
    if event == "cancelled":
        return _meeting_notice(NotificationKind.MEETING_CANCELLED, meeting, by_user_id, "CANCEL")
    raise ValueError(f"No notice for meeting event {event!r}")


def documents_published(meeting_id, document_ids, by_user_id=None):
    """Record the notice that documents of a meeting became final.

    Minutes alone make a "minutes published" notice; anything else an
    "agenda or documents published" one. Documents for the body's members
    only are listed only to them (see the e-mail), and if every document is
    of that kind only they are told at all.
    """
    meeting = Meeting.objects.select_related("body").get(pk=meeting_id)
    documents = list(meeting.documents.filter(pk__in=document_ids, state=DocumentState.FINAL))
    if not documents or meeting.status == MeetingStatus.CANCELLED:
        return None
    if all(d.visibility == DocumentVisibility.BODY for d in documents):
        organisations = access.voting_organisations(meeting)
    else:
        organisations = access.organisations_invited_to(meeting)
    kind = (
        NotificationKind.MINUTES_PUBLISHED
        if all(d.kind == DocumentKind.MINUTES for d in documents)
        else NotificationKind.DOCUMENTS_PUBLISHED
    )
    return notify(
        kind,
        meeting,
        recipients(organisations),
        payload={"documents": [d.pk for d in documents]},
        by=_user(by_user_id),
    )


# --- Reminders ----------------------------------------------------------------
def reminder_key(meeting, days):
    # The start is part of the key: a meeting moved to a later date is
    # reminded of again on the new schedule.
    return f"reminder:{meeting.pk}:{meeting.start.isoformat()}:{days}"


def due_reminder(meeting, now):
    """The reminder (days before) due for ``meeting`` at ``now``, or None.

    Due: the latest offset whose moment has passed, for a convened meeting
    that has not started. A run missed while beat was down is made up when
    it runs again (only the latest one: three reminders at once help nobody).
    A moment that came before the recipients were told of the date (the
    convening or change notice) is covered by that notice.
    """
    if meeting.status != MeetingStatus.CONVENED or meeting.start <= now:
        return None
    try:
        offsets = meeting.body.reminder_day_list()
    except ValueError:
        logger.error("Body %s has unreadable reminder days %r", meeting.body_id, meeting.body.reminder_days)
        return None
    passed = [days for days in offsets if meeting.start - timedelta(days=days) <= now]
    if not passed:
        return None
    days = min(passed)
    told = (
        Notification.objects.filter(
            content_type__app_label="governance",
            content_type__model="meeting",
            object_id=meeting.pk,
            kind__in=[NotificationKind.MEETING_CONVENED, NotificationKind.MEETING_CHANGED],
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if told is not None and meeting.start - timedelta(days=days) < told:
        return None
    return days


def send_due_reminders(now=None):
    """Record the reminders due now (beat runs this every few minutes).

    Each reminder has a key, so however often this runs, and even in two
    processes at once, a reminder is recorded once.
    """
    now = now or timezone.now()
    horizon = max((max(b.reminder_day_list(), default=0) for b in _bodies()), default=0)
    meetings = Meeting.objects.filter(
        status=MeetingStatus.CONVENED, start__gt=now, start__lte=now + timedelta(days=horizon)
    ).select_related("body", "term", "host")
    recorded = []
    for meeting in meetings:
        days = due_reminder(meeting, now)
        if days is None:
            continue
        with transaction.atomic():
            notification = notify(
                NotificationKind.MEETING_REMINDER,
                meeting,
                meeting_recipients(meeting),
                payload={"days": days},
                key=reminder_key(meeting, days),
            )
        if notification is not None:
            logger.info("Reminder (%d days) recorded for meeting %s", days, meeting.pk)
            recorded.append(notification)
    return recorded


def _bodies():
    from governance.models import Body

    bodies = []
    for body in Body.objects.all():
        try:
            body.reminder_day_list()
        except ValueError:
            continue
        bodies.append(body)
    return bodies


def _user(user_id):
    if user_id is None:
        return None
    from members.models import User

    return User.objects.filter(pk=user_id).first()
