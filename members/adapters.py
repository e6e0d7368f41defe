from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from .mail import AUTOMATED_HEADERS, AutomatedEmail, AutomatedPlainEmail


def on_site(url):
    """``url`` moved onto SITE_URL: links in e-mails lead to the portal's
    public address, not to whatever host the request came in on."""
    parts = urlsplit(url)
    return settings.SITE_URL + parts.path + (f"?{parts.query}" if parts.query else "")


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: accounts are made by the secretariat or by an approved
    membership application."""

    def is_open_for_signup(self, request):
        return False

    def render_mail(self, template_prefix, email, context, headers=None):
        """allauth's mails (password reset, e-mail confirmation, security
        notices) are automated: marked so, their subject encoded within
        RFC 2047's limits (members/mail.py)."""
        message = super().render_mail(template_prefix, email, context, headers={**AUTOMATED_HEADERS, **(headers or {})})
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
