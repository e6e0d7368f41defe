"""Inviting a member's contact to the portal.

The secretariat picks contacts in the admin and invites them: each gets a
login (e-mail address verified, since the secretariat vouches for it; no
usable password) and an e-mail with a link to set a password. The link is
allauth's password-reset key, so it works once and expires like one.

The e-mail goes through the outbox like every other notice: recorded in the
transaction that makes the login, sent by the worker, retried, and shown to
the secretariat in the admin. Its link is made when the message is built,
so a retry carries a key that still works.
"""

import logging

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import Contact, ContactRole, Membership, User

from ..notifications import kinds
from ..notifications.emails import compose
from ..notifications.services import notify

log = logging.getLogger(__name__)


class InvitationError(Exception):
    """A contact who cannot be invited; the message says why."""


def set_password_url(user):
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    return settings.SITE_URL + path


class InvitationNotice(models.TextChoices):
    PORTAL_INVITATION = "portal_invitation", gettext_lazy("Invitation to the portal")


@kinds.register(InvitationNotice.PORTAL_INVITATION, InvitationNotice.PORTAL_INVITATION.label)
def invitation_email(delivery, contact):
    """The e-mail with the set-password link, in the contact's language."""
    if contact is None or contact.user_id is None:
        raise LookupError("The invited contact or its login no longer exists.")
    context = {
        "contact": contact,
        "organisation": contact.organisation,
        "url": set_password_url(contact.user),
        "title": _("Your login to the WeGO Portal"),
    }
    return compose("portal_invitation", delivery, context)


@transaction.atomic
def invite_contact(contact_id, by_user_id):
    """Give the contact a login and send the invitation after commit.

    Returns False when the contact's address already has a login with a
    password: the contact is linked to it and nothing is sent.
    """
    contact = Contact.objects.select_for_update(of=("self",)).select_related("organisation", "user").get(pk=contact_id)
    if not Membership.objects.current().filter(organisation_id=contact.organisation_id).exists():
        raise InvitationError(_("%(member)s is not a current member.") % {"member": contact.organisation})
    if not ContactRole.objects.active().filter(contact=contact).exists():
        raise InvitationError(_("%(contact)s holds no current role.") % {"contact": contact.name})
    email = contact.email.strip().lower()
    user = contact.user or User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None, name=contact.name)
    elif not user.is_active:
        raise InvitationError(_("The login %(email)s is deactivated.") % {"email": user.email})
    address, _created = EmailAddress.objects.get_or_create(
        user=user, email__iexact=user.email, defaults={"email": user.email}
    )
    if not (address.verified and address.primary):
        address.verified = address.primary = True
        address.save(update_fields=["verified", "primary"])
    if contact.user_id != user.pk:
        contact.user = user
        contact.save(update_fields=["user"])
    if user.has_usable_password():
        log.info("contact %s linked to existing login %s by user %s", contact.pk, user.pk, by_user_id)
        return False
    contact.notice_role = ""
    notify(InvitationNotice.PORTAL_INVITATION, contact, [contact], by=User.objects.filter(pk=by_user_id).first())
    log.info("contact %s invited as user %s by user %s", contact.pk, user.pk, by_user_id)
    return True
