"""The public side of membership applications: the form at
``/members/apply/``, its confirmation, and the applicant's private page
(the link in their acknowledgement), where they follow the application,
read their letter again and may withdraw.

The private link is the only key to an application's page: a signed id
(``Application.private_token``), so nothing about one application opens
another, and a link altered by one character opens nothing (404).
"""

import functools

from allauth.core.internal import ratelimit
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ..files import download
from ..forms import ApplicationForm, ReasonForm
from ..models import Application, ApplicationState
from ..services import applications as services

SUBMITTED_KEY = "application_submitted"


def _rate_limited(request, action, key=None):
    """True when this client (``key`` None) or this e-mail address has
    applied too often: counted in the cache as the login limits are
    (allauth's counter, which reads the client's address behind our proxies)."""
    rates = {"ip": settings.APPLICATION_RATE_LIMIT_PER_IP, "email": settings.APPLICATION_RATE_LIMIT_PER_EMAIL}
    config = {f"apply_{action}": rates[action]}
    return not ratelimit.consume(request, app="governance", action=f"apply_{action}", config=config, key=key)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def apply(request):
    form = ApplicationForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if _rate_limited(request, "ip"):
            form.add_error(None, _("Too many applications come from your network. Please try again in an hour."))
            status = 429
        elif form.is_spam():
            form.add_error(None, _("The application could not be accepted. Please try again."))
        elif form.is_valid():
            if _rate_limited(request, "email", key=form.cleaned_data["liaison_email"].lower()):
                form.add_error(
                    "liaison_email", _("Too many applications come from this address. Please try again tomorrow.")
                )
                status = 429
            else:
                application = form.save(commit=False)
                application.language = translation.get_language() or settings.LANGUAGE_CODE
                services.submit(application)
                request.session[SUBMITTED_KEY] = application.reference
                return redirect("applications:submitted")
    form.point_at_errors()
    return render(request, "applications/form.html", {"form": form}, status=status)


@never_cache
@require_safe
def submitted(request):
    reference = request.session.get(SUBMITTED_KEY)
    if not reference:
        return redirect("applications:apply")
    application = Application.objects.filter(reference=reference).select_related("category").first()
    if application is None:
        raise Http404
    return render(request, "applications/submitted.html", {"application": application})


def _private(view):
    """The application the link opens, or 404; the page is never cached or
    sent on as a referrer (the link is the key)."""

    @functools.wraps(view)
    def wrapper(request, token, *args, **kwargs):
        application = Application.objects.select_related("category").from_private_link(token)
        if application is None:
            raise Http404
        response = view(request, application, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        response["Referrer-Policy"] = "no-referrer"
        return response

    return wrapper


@require_safe
@_private
def status(request, application):
    return render(request, "applications/status.html", _status_context(application))


def _status_context(application, form=None):
    transitions = list(application.transitions.order_by("at", "pk"))
    rejection = next((t for t in reversed(transitions) if t.to_state == ApplicationState.REJECTED), None)
    return {
        "application": application,
        "transitions": transitions,
        "rejection": rejection if application.state == ApplicationState.REJECTED else None,
        "may_withdraw": "withdraw" in application.actions_for("applicant"),
        "form": form or ReasonForm(),
    }


@require_POST
@_private
def withdraw(request, application):
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return render(request, "applications/status.html", _status_context(application, form), status=400)
    try:
        services.withdraw(application.pk, reason=form.cleaned_data["reason"])
    except services.ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your application is withdrawn."))
    return redirect(application.private_path())


@require_safe
@_private
def letter(request, application):
    return download(application.letter, application.letter_filename, "application/pdf")
