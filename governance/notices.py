"""Notices about meetings: what is sent (convened, changed, cancelled,
documents or minutes published, reminders), to whom, and how each e-mail
reads. Each kind registers itself with the outbox (``governance.notifications``),
which records, sends and retries them without knowing what a meeting is.

Called from inside the transaction of the change (``governance.services.meetings``),
so each notice is recorded with its change or not at all. Recipients are the
notice-role contacts of the organisations sitting in the meeting
(``Meeting.invited_organisations``), and which published documents each of
them may open is decided by ``governance.access`` when the notice is
recorded, not when it is sent.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timesince import timeuntil
from django.utils.translation import gettext_lazy as _
from icalendar import Calendar

from members.models import Contact, ContactRole, ContactRoleType, User

from . import access, formats, ics
from .models import Body, DocumentKind, DocumentState, Meeting, MeetingStatus
from .notifications import kinds
from .notifications.emails import absolute, compose
from .notifications.models import Notification
from .notifications.services import notify

logger = logging.getLogger(__name__)


class MeetingNotice(models.TextChoices):
    CONVENED = "meeting_convened", _("Meeting convened")
    CHANGED = "meeting_changed", _("Meeting changed")
    CANCELLED = "meeting_cancelled", _("Meeting cancelled")
    DOCUMENTS_PUBLISHED = "documents_published", _("Agenda or documents published")
    MINUTES_PUBLISHED = "minutes_published", _("Minutes published")
    REMINDER = "meeting_reminder", _("Meeting reminder")


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
    return recipients(meeting.invited_organisations())


def invitation_ics(meeting, method):
    """The meeting's calendar entry as an iTIP message: REQUEST to add or
    update it, CANCEL to remove it. The event itself (UID, SEQUENCE, STATUS,
    time zone, link, organiser) is governance.ics's; only the method is
    changed here. The attendee differs for each recipient: the outbox adds it
    to each e-mail's copy (``notifications.emails.calendar_part``), since this
    attachment is recorded once for all."""
    calendar = Calendar.from_ical(ics.calendar_of([meeting], lambda path: settings.SITE_URL + path, str(meeting)))
    calendar.pop("METHOD", None)
    calendar.add("method", method)
    return calendar.to_ical().decode()


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
        return _meeting_notice(MeetingNotice.CONVENED, meeting, by_user_id, "REQUEST")
    if event == "changed":
        return _meeting_notice(MeetingNotice.CHANGED, meeting, by_user_id, "REQUEST", {"changed": list(changed)})
    if event == "cancelled":
        return _meeting_notice(MeetingNotice.CANCELLED, meeting, by_user_id, "CANCEL")
    raise ValueError(f"No notice for meeting event {event!r}")


def documents_published(meeting_id, document_ids, by_user_id=None):
    """Record the notices that documents of a meeting became final.

    Minutes alone make a "minutes published" notice; anything else an
    "agenda or documents published" one. Who may open which document is
    decided now (``access.document_audiences``): one notice per group of
    recipients, each listing only the documents they may open, so a member
    without a vote never hears of a document reserved for those with one.
    Returns the notifications recorded.
    """
    meeting = Meeting.objects.select_related("body", "term").get(pk=meeting_id)
    if meeting.status == MeetingStatus.CANCELLED:
        return []
    final = list(
        meeting.documents.filter(pk__in=document_ids, state=DocumentState.FINAL).values_list("kind", flat=True)
    )
    if not final:
        return []
    kind = (
        MeetingNotice.MINUTES_PUBLISHED
        if all(document_kind == DocumentKind.MINUTES for document_kind in final)
        else MeetingNotice.DOCUMENTS_PUBLISHED
    )
    return [
        notify(
            kind,
            meeting,
            recipients(organisations),
            payload={"documents": [d.pk for d in documents]},
            by=_user(by_user_id),
        )
        for organisations, documents in access.document_audiences(meeting, document_ids)
    ]


# --- The e-mails ---------------------------------------------------------------
@kinds.register(MeetingNotice.CONVENED, MeetingNotice.CONVENED.label)
def convened_email(delivery, meeting):
    context = meeting_context(meeting)
    context["agenda"] = _cached(meeting, "agenda", lambda: list(meeting.agenda_items.all()))
    return compose("meeting-convened", delivery, context)


@kinds.register(MeetingNotice.CHANGED, MeetingNotice.CHANGED.label)
def changed_email(delivery, meeting):
    context = meeting_context(meeting)
    names = delivery.notification.payload.get("changed", [])
    context["changed"] = [
        str(meeting._meta.get_field(name).verbose_name) for name in names if _has_field(meeting, name)
    ]
    return compose("meeting-changed", delivery, context)


@kinds.register(MeetingNotice.CANCELLED, MeetingNotice.CANCELLED.label)
def cancelled_email(delivery, meeting):
    return compose("meeting-cancelled", delivery, meeting_context(meeting))


@kinds.register(MeetingNotice.DOCUMENTS_PUBLISHED, MeetingNotice.DOCUMENTS_PUBLISHED.label)
def documents_email(delivery, meeting):
    context = meeting_context(meeting)
    context["documents"] = documents_for(delivery, meeting)
    return compose("documents-published", delivery, context)


@kinds.register(MeetingNotice.MINUTES_PUBLISHED, MeetingNotice.MINUTES_PUBLISHED.label)
def minutes_email(delivery, meeting):
    context = meeting_context(meeting)
    context["documents"] = documents_for(delivery, meeting)
    return compose("minutes-published", delivery, context)


@kinds.register(MeetingNotice.REMINDER, MeetingNotice.REMINDER.label)
def reminder_email(delivery, meeting):
    context = meeting_context(meeting)
    context["starts_in"] = timeuntil(meeting.start, timezone.now())
    return compose("meeting-reminder", delivery, context)


def meeting_context(meeting):
    """What every meeting notice shows: the meeting as it is now (its date and
    place in the meeting's own time zone, formatted in the recipient's
    language), and the link to its page.

    The times are the meeting's own, as on its page, with the zone named and
    its offset from UTC ("Asia/Seoul, UTC+9"): a contact has a language but
    no time zone of record, the attached .ics puts the meeting in the
    recipient's calendar at their own time, and the offset lets anyone work
    it out by hand. A second time in UTC would be one more conversion to
    make for nearly every reader."""
    if meeting is None:
        raise LookupError("The meeting of this notice no longer exists.")
    return {
        "meeting": meeting,
        "title": str(meeting),
        # Rendered in the recipient's language: the body's name in it, or English.
        "body_name": meeting.body.name,
        "audience": meeting.body.name,
        "when": formats.meeting_when(meeting),
        "date": date_format(meeting.local_start, "DATE_FORMAT"),
        "time_zone": formats.zone_label(meeting),
        "venue": meeting.venue,
        "host": meeting.host.name if meeting.host_id else "",
        "status_note": meeting.status_note,
        "url": absolute(meeting.get_absolute_url()),
    }


def documents_for(delivery, meeting):
    """The documents of the notice, as listed when it was recorded: each
    notification lists only what all its recipients may open
    (``access.document_audiences``)."""
    ids = delivery.notification.payload.get("documents", [])
    documents = _cached(
        meeting,
        f"documents-{delivery.notification_id}",
        lambda: list(meeting.documents.filter(pk__in=ids).order_by("position", "pk")),
    )
    return [{"title": d.title, "kind": d.get_kind_display(), "url": absolute(d.get_absolute_url())} for d in documents]


def _cached(meeting, name, compute):
    """Per batch, a meeting's agenda and documents are loaded once, not once
    per recipient (the batch shares one meeting object)."""
    cache = meeting.__dict__.setdefault("_notice_cache", {})
    if name not in cache:
        cache[name] = compute()
    return cache[name]


def _has_field(model, name):
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


# --- Reminders ---------------------------------------------------------------
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
            kind__in=[MeetingNotice.CONVENED, MeetingNotice.CHANGED],
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
                MeetingNotice.REMINDER,
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
    return User.objects.filter(pk=user_id).first()
