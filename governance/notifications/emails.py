"""The e-mails: one small function per kind of notice.

Each renders the template triplet ``templates/emails/<name>-subject.txt``,
``-body.txt`` and ``-body.html`` in the recipient's language
(``translation.override``; English where no translation exists), and ends
with a plain footer saying why the recipient got it.
"""

import re
from email.mime.text import MIMEText
from email.utils import formataddr
from urllib.parse import urlparse

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format, time_format
from django.utils.timesince import timeuntil

from members.models import ContactRoleType

from .models import NotificationKind

RENDERERS = {}


def renders(kind):
    def register(function):
        RENDERERS[kind] = function
        return function

    return register


def build_message(delivery, subject):
    """The e-mail for one delivery; ``subject`` is what the notice is about
    (loaded once per batch by the caller), or None if it is gone."""
    render = RENDERERS[delivery.notification.kind]
    with translation.override(delivery.language or settings.LANGUAGE_CODE):
        return render(delivery, subject)


@renders(NotificationKind.ANNOUNCEMENT)
def announcement(delivery, subject):
    payload = delivery.notification.payload
    return compose("announcement", delivery, {"title": payload.get("title", ""), "text": payload.get("text", "")})


@renders(NotificationKind.MEETING_CONVENED)
def meeting_convened(delivery, meeting):
    context = meeting_context(meeting)
    context["agenda"] = _cached(meeting, "agenda", lambda: list(meeting.agenda_items.all()))
    return compose("meeting-convened", delivery, context)


@renders(NotificationKind.MEETING_CHANGED)
def meeting_changed(delivery, meeting):
    context = meeting_context(meeting)
    names = delivery.notification.payload.get("changed", [])
    context["changed"] = [
        str(meeting._meta.get_field(name).verbose_name) for name in names if _has_field(meeting, name)
    ]
    return compose("meeting-changed", delivery, context)


@renders(NotificationKind.MEETING_CANCELLED)
def meeting_cancelled(delivery, meeting):
    return compose("meeting-cancelled", delivery, meeting_context(meeting))


@renders(NotificationKind.DOCUMENTS_PUBLISHED)
def documents_published(delivery, meeting):
    context = meeting_context(meeting)
    context["documents"] = documents_for(delivery, meeting)
    return compose("documents-published", delivery, context)


@renders(NotificationKind.MINUTES_PUBLISHED)
def minutes_published(delivery, meeting):
    context = meeting_context(meeting)
    context["documents"] = documents_for(delivery, meeting)
    return compose("minutes-published", delivery, context)


@renders(NotificationKind.MEETING_REMINDER)
def meeting_reminder(delivery, meeting):
    context = meeting_context(meeting)
    context["starts_in"] = timeuntil(meeting.start, timezone.now())
    return compose("meeting-reminder", delivery, context)


def meeting_context(meeting):
    """What every meeting notice shows: the meeting as it is now (its date and
    place in the meeting's own time zone, formatted in the recipient's
    language), and the link to its page."""
    if meeting is None:
        raise LookupError("The meeting of this notice no longer exists.")
    start, end = meeting.local_start, meeting.local_end
    if start.date() == end.date():
        when = f"{date_format(start, 'DATE_FORMAT')}, {time_format(start)}–{time_format(end)}"
    else:
        when = f"{date_format(start, 'DATETIME_FORMAT')} – {date_format(end, 'DATETIME_FORMAT')}"
    return {
        "meeting": meeting,
        "title": str(meeting),
        # Body names are stored in English and translated like the pages do.
        "body_name": translation.gettext(meeting.body.name),
        "audience": translation.gettext(meeting.body.name),
        "when": when,
        "date": date_format(start, "DATE_FORMAT"),
        "time_zone": meeting.time_zone,
        "venue": meeting.venue,
        "host": meeting.host.name if meeting.host_id else "",
        "status_note": meeting.status_note,
        "url": absolute(meeting.get_absolute_url()),
    }


def documents_for(delivery, meeting):
    """The published documents of the notice that this recipient's
    organisation may open: those for the body's members only go to them."""
    from governance import access
    from governance.meetings import DocumentVisibility

    ids = delivery.notification.payload.get("documents", [])
    documents = _cached(meeting, f"documents-{delivery.notification_id}", lambda: list(
        meeting.documents.filter(pk__in=ids).order_by("position", "pk")))
    voting = _cached(meeting, "voting", lambda: set(access.voting_organisations(meeting).values_list("pk", flat=True)))
    organisation_id = delivery.contact.organisation_id if delivery.contact else None
    return [
        {"title": d.title, "kind": d.get_kind_display(), "url": absolute(d.get_absolute_url())}
        for d in documents
        if d.visibility != DocumentVisibility.BODY or organisation_id in voting
    ]


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


# --- Shared parts -----------------------------------------------------------
def compose(name, delivery, context):
    """Render the triplet ``emails/<name>-*`` into a message for ``delivery``."""
    notification = delivery.notification
    context = {**recipient_context(delivery), **context}
    subject = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
    text = render_to_string(f"emails/{name}-body.txt", context)
    html = render_to_string(f"emails/{name}-body.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[formataddr((delivery.name, delivery.email))],
        headers={
            # The same on every attempt, so a copy sent again after a worker
            # died mid-send is recognised as the same message.
            "Message-ID": f"<notice-{notification.pk}-{delivery.pk}@{_domain()}>",
            "Auto-Submitted": "auto-generated",
            "X-Auto-Response-Suppress": "All",
        },
    )
    message.attach_alternative(html, "text/html")
    if notification.attachment:
        message.attach(calendar_part(notification.attachment, notification.attachment_name))
    return message


def recipient_context(delivery):
    contact = delivery.contact
    try:
        role = ContactRoleType(delivery.role).label if delivery.role else ""
    except ValueError:
        role = ""
    return {
        "recipient_name": delivery.name,
        "organisation": contact.organisation.name if contact is not None else "",
        "role": role,
        "site_url": settings.SITE_URL,
    }


_METHOD = re.compile(r"^METHOD:(\w+)\s*$", re.MULTILINE)


def calendar_part(ics, filename):
    """The .ics as a text/calendar part carrying the iTIP method
    (REQUEST, CANCEL) that calendar clients look for."""
    part = MIMEText(ics, "calendar", "utf-8")
    method = _METHOD.search(ics)
    if method:
        part.set_param("method", method.group(1))
    part.add_header("Content-Disposition", "attachment", filename=filename or "meeting.ics")
    return part


def absolute(path):
    return settings.SITE_URL + path


def _domain():
    return urlparse(settings.SITE_URL).hostname or "wego.invalid"
