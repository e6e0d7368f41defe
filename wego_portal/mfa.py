"""Two-factor authentication is required of staff.

Every user may turn on TOTP (allauth.mfa); staff must. A staff user without
an authenticator app who reaches the Django admin is sent to set one up
first. Logging in with it is then asked for by allauth's own login flow, so
the admin is never reached on a password alone.
"""

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


class StaffMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        admin_root = reverse("admin:index")
        user = request.user
        if (
            request.path.startswith(admin_root)
            and request.path != reverse("admin:logout")
            and user.is_authenticated
            and user.is_staff
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
        return self.get_response(request)
