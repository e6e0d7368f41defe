from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import translation

from .mail import AUTOMATED_HEADERS, AutomatedEmail, AutomatedPlainEmail
from .models import Contact


def on_site(url):
    """``url`` moved onto SITE_URL: links in e-mails lead to the portal's
    public address, not to whatever host the request came in on."""
    parts = urlsplit(url)
    return settings.SITE_URL + parts.path + (f"?{parts.query}" if parts.query else "")


def language_of(address):
    """The language to write to ``address`` in: that of the contact whose
    login it is (the language their notices are sent in), else of a contact
    with that address, else the page's (a secretariat login, an unknown
    address)."""
    contacts = Contact.objects.order_by("pk").values_list("language", flat=True)
    return (
        contacts.filter(user__email__iexact=address).first()
        or contacts.filter(email__iexact=address).first()
        or translation.get_language()
        or settings.LANGUAGE_CODE
    )


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: accounts are made by the secretariat or by an approved
    membership application."""

    def is_open_for_signup(self, request):
        return False

    def render_mail(self, template_prefix, email, context, headers=None):
        """allauth's mails (password reset, e-mail confirmation, security
        notices) are written in the recipient's language (``language_of``),
        not the language of the page that asked for them; and automated:
        marked so, their subject encoded within RFC 2047's limits
        (members/mail.py)."""
        address = email if isinstance(email, str) else email[0]
        language = language_of(address)
        headers = {**AUTOMATED_HEADERS, "Content-Language": language, **(headers or {})}
        with translation.override(language):
            message = super().render_mail(template_prefix, email, context, headers=headers)
        # The same message, written out by the class that encodes its subject.
        message.__class__ = AutomatedEmail if isinstance(message, EmailMultiAlternatives) else AutomatedPlainEmail
        return message

    def get_login_redirect_url(self, request):
        # The secretariat works in the admin; /my/ is a member's page.
        if request.user.is_staff:
            return reverse("admin:index")
        return super().get_login_redirect_url(request)

    def get_reset_password_from_key_url(self, key):
        return on_site(super().get_reset_password_from_key_url(key))

    def get_email_confirmation_url(self, request, emailconfirmation):
        return on_site(super().get_email_confirmation_url(request, emailconfirmation))

    def get_client_ip(self, request):
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            # Fewer X-Forwarded-For entries than TRUSTED_PROXY_HOPS: the
            # request did not pass through all our proxies, so the address
            # that reached us is the client's own.
            return request.META["REMOTE_ADDR"]
