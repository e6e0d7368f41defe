from allauth.account.adapter import DefaultAccountAdapter
from django.core.mail import EmailMultiAlternatives

from .mail import AUTOMATED_HEADERS, AutomatedEmail, AutomatedPlainEmail


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
