"""The notices of a membership application, sent through the outbox like
every other notice: recorded in the transaction of the move that causes
them (``governance.services.applications``), sent by the worker after
commit.

- received: to the applicant (the staff liaison and the political contact),
  with the reference and the private link to the application's page;
- new: to the secretariat, saying whether it may be a duplicate;
- decided: to the applicant, admitted or rejected, with the reason.

The applicant and the secretariat are not members' contacts: they are
``Recipient``s of the outbox.
"""

from email.utils import parseaddr

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from members.models import User

from .models import ApplicationState
from .notifications import kinds
from .notifications.emails import compose
from .notifications.services import Recipient, notify

# The staff who are told of new applications: the users of this group.
SECRETARIAT_GROUP = "Secretariat"


class ApplicationNotice(models.TextChoices):
    RECEIVED = "application_received", _("Membership application received")
    NEW = "application_new", _("New membership application (secretariat)")
    DECIDED = "application_decided", _("Membership application decided")


def applicant_recipients(application):
    """The staff liaison first, then the political contact (one e-mail per address)."""
    return [
        Recipient(application.liaison_email, application.liaison_name, application.language, "liaison"),
        Recipient(application.political_email, application.political_name, application.language, "political"),
    ]


def secretariat_recipients():
    """The active users of the Secretariat group; if there are none, the
    secretariat's own address (DEFAULT_FROM_EMAIL), so that no application
    goes unannounced."""
    users = User.objects.filter(is_active=True, groups__name=SECRETARIAT_GROUP).order_by("email").distinct()
    recipients = [Recipient(user.email, user.get_full_name(), settings.LANGUAGE_CODE) for user in users]
    if not recipients:
        name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
        recipients = [Recipient(address, name, settings.LANGUAGE_CODE)]
    return recipients


def received(application, by=None):
    """Record the acknowledgement to the applicant and the notice to the secretariat."""
    notify(ApplicationNotice.RECEIVED, application, applicant_recipients(application), by=by)
    notify(
        ApplicationNotice.NEW,
        application,
        secretariat_recipients(),
        payload={"duplicate": application.possible_duplicate, "duplicate_note": application.duplicate_note},
        by=by,
    )


def decided(application, reason, by=None):
    """Record the decision (admitted or rejected) to the applicant."""
    return notify(
        ApplicationNotice.DECIDED,
        application,
        applicant_recipients(application),
        payload={"state": application.state, "reason": reason},
        by=by,
    )


def _context(delivery, application):
    if application is None:
        raise LookupError("The application no longer exists.")
    return {
        "application": application,
        "status_url": application.private_url(),
        "title": _("Membership application %(reference)s") % {"reference": application.reference},
    }


@kinds.register(ApplicationNotice.RECEIVED, ApplicationNotice.RECEIVED.label)
def received_email(delivery, application):
    return compose("application-received", delivery, _context(delivery, application))


@kinds.register(ApplicationNotice.NEW, ApplicationNotice.NEW.label)
def new_email(delivery, application):
    context = _context(delivery, application)
    payload = delivery.notification.payload
    context.update(
        duplicate=payload.get("duplicate", False),
        duplicate_note=payload.get("duplicate_note", ""),
        admin_url=settings.SITE_URL + reverse("admin:governance_application_change", args=[application.pk]),
    )
    return compose("application-new", delivery, context)


@kinds.register(ApplicationNotice.DECIDED, ApplicationNotice.DECIDED.label)
def decided_email(delivery, application):
    context = _context(delivery, application)
    payload = delivery.notification.payload
    context.update(admitted=payload.get("state") == ApplicationState.ADMITTED, reason=payload.get("reason", ""))
    return compose("application-decided", delivery, context)
