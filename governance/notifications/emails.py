"""The e-mails: one small function per kind of notice, registered with
``kinds.register`` by whoever records that kind (meeting notices live in
``governance/notices.py``); this module has the outbox's own announcement
and what every notice shares.

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
from django.template.loader import render_to_string
from django.utils import translation
from icalendar import Calendar, vCalAddress, vText

from members.mail import AutomatedEmail
from members.models import ContactRoleType

from . import kinds
from .models import NotificationKind


def build_message(delivery, subject):
    """The e-mail for one delivery; ``subject`` is what the notice is about
    (loaded once per batch by the caller), or None if it is gone."""
    render = kinds.get(delivery.notification.kind).render
    with translation.override(delivery.language or settings.LANGUAGE_CODE):
        return render(delivery, subject)


@kinds.register(NotificationKind.ANNOUNCEMENT, NotificationKind.ANNOUNCEMENT.label)
def announcement(delivery, subject):
    payload = delivery.notification.payload
    return compose("announcement", delivery, {"title": payload.get("title", ""), "text": payload.get("text", "")})


# --- Shared parts -----------------------------------------------------------
def compose(name, delivery, context):
    """Render the triplet ``emails/<name>-*`` into a message for ``delivery``."""
    notification = delivery.notification
    context = {**recipient_context(delivery), **context}
    subject = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
    text = render_to_string(f"emails/{name}-body.txt", context)
    html = render_to_string(f"emails/{name}-body.html", context)
    # Automated (Auto-Submitted), the subject encoded within RFC 2047's limits.
    message = AutomatedEmail(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[formataddr((delivery.name, delivery.email))],
        headers={
            # The same on every attempt, so a copy sent again after a worker
            # died mid-send is recognised as the same message.
            "Message-ID": f"<notice-{notification.pk}-{delivery.pk}@{_domain()}>",
            "X-Auto-Response-Suppress": "All",
            # The language it is written in (RFC 3282), for mail programs
            # and screen readers: the recipient's (``build_message``).
            "Content-Language": translation.get_language(),
        },
    )
    message.attach_alternative(html, "text/html")
    if notification.attachment:
        message.attach(
            calendar_part(
                notification.attachment, notification.attachment_name, attendee=(delivery.name, delivery.email)
            )
        )
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


# The iTIP methods addressed to attendees (RFC 5546): the message must name
# its recipient as an ATTENDEE. PUBLISH names none.
_SCHEDULING = {"REQUEST", "CANCEL"}


def calendar_part(ics, filename, attendee=None):
    """The .ics as a text/calendar part carrying the iTIP method
    (REQUEST, CANCEL) that calendar clients look for; for those methods,
    ``attendee`` (name, address), the recipient, is added to each event."""
    method = _METHOD.search(ics)
    if method and method.group(1) in _SCHEDULING and attendee:
        ics = with_attendee(ics, *attendee)
    part = MIMEText(ics, "calendar", "utf-8")
    if method:
        part.set_param("method", method.group(1))
    part.add_header("Content-Disposition", "attachment", filename=filename or "meeting.ics")
    return part


def with_attendee(ics, name, address):
    """``ics`` with the recipient as the ATTENDEE of each event: invited,
    no reply asked (delegates register on the portal)."""
    calendar = Calendar.from_ical(ics)
    for event in calendar.walk("VEVENT"):
        attendee = vCalAddress(f"mailto:{address}")
        if name:
            attendee.params["cn"] = vText(name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("NEEDS-ACTION")
        attendee.params["rsvp"] = vText("FALSE")
        event.add("attendee", attendee, encode=0)
    return calendar.to_ical().decode()


def absolute(path):
    return settings.SITE_URL + path


def _domain():
    return urlparse(settings.SITE_URL).hostname or "wego.invalid"
