"""Inviting a member's contact to the portal.

The secretariat picks contacts in the admin and invites them: each gets a
login (e-mail address verified, since the secretariat vouches for it; no
usable password) and an e-mail with a link to set a password. The link is
allauth's password-reset key, so it works once and expires like one.
"""

import logging

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib import admin, messages
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Contact, ContactRole, Membership, User

log = logging.getLogger(__name__)


class InvitationError(Exception):
    """A contact who cannot be invited; the message says why."""


def set_password_url(user):
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    return settings.SITE_URL + path


def send_invitation(user_id, contact_id):
    """The e-mail with the set-password link, in the contact's language."""
    user = User.objects.get(pk=user_id)
    contact = Contact.objects.select_related("organisation").get(pk=contact_id)
    context = {"contact": contact, "organisation": contact.organisation, "url": set_password_url(user),
               "site_url": settings.SITE_URL}
    with translation.override(contact.language):
        subject = render_to_string("emails/portal_invitation-subject.txt", context).strip()
        text = render_to_string("emails/portal_invitation-body.txt", context)
        html = render_to_string("emails/portal_invitation-body.html", context)
    message = EmailMultiAlternatives(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, text, to=[user.email])
    message.attach_alternative(html, "text/html")
    message.send()


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
    transaction.on_commit(lambda: send_invitation(user.pk, contact.pk))
    log.info("contact %s invited as user %s by user %s", contact.pk, user.pk, by_user_id)
    return True


@admin.action(description=gettext_lazy("Invite to the portal"), permissions=["change"])
def invite_to_portal(modeladmin, request, queryset):
    invited, linked = [], []
    for contact in queryset.select_related("organisation"):
        try:
            (invited if invite_contact(contact.pk, request.user.pk) else linked).append(contact.name)
        except InvitationError as error:
            modeladmin.message_user(request, _("%(contact)s was not invited: %(why)s") % {
                "contact": contact.name, "why": error}, messages.ERROR)
    if invited:
        modeladmin.message_user(request, _("Invitations sent to: %(names)s.") % {"names": ", ".join(invited)},
                                messages.SUCCESS)
    if linked:
        modeladmin.message_user(request, _("Already had a login with a password, now linked: %(names)s.") % {
            "names": ", ".join(linked)}, messages.INFO)
