"""Two-factor authentication is required of staff.

Every user may turn on TOTP (allauth.mfa); staff must. A staff login without
an authenticator app reaches nothing but the set-up: every other page, the
admin and the member pages alike (a draft document is open to staff), sends
it there first. Logging in with the app is then asked for by allauth's own
login flow, so no staff page is ever reached on a password alone.
"""

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

# What a staff login without a second factor may still open: the set-up, the
# re-authentication it may ask for, logging out and choosing the language.
# Static files are served before any view (WhiteNoise, runserver).
OPEN_BEFORE_SETUP = {
    "mfa_activate_totp",
    "account_reauthenticate",
    "mfa_reauthenticate",
    "account_logout",
    "admin:logout",
    "set_language",
}


class StaffMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if (
            user.is_authenticated
            and user.is_staff
            and request.resolver_match.view_name not in OPEN_BEFORE_SETUP
            and not is_mfa_enabled(user, [Authenticator.Type.TOTP])
        ):
            messages.warning(
                request,
                _(
                    "Staff sign in with two factors: set up an authenticator app"
                    " before you use the secretariat's pages."
                ),
            )
            return redirect("mfa_activate_totp")
        return None
