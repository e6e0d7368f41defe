"""A member's own pages after login: their organisations and whether each
votes (and why not), its upcoming meetings and registrations, its invoices
and payments, their private calendar feed, and the public profile they may
edit. What they may see is asked of governance/access.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from members.forms import OrganisationProfileForm

from .. import access
from ..models import Application, ApplicationState, CalendarFeed, Invoice, Payment, Registration, vote_of
from ..services import voting as voting_services

UPCOMING_SHOWN = 20
INVOICES_SHOWN = 20


def _dues_context(organisations):
    """The organisations' standing (for full members: whether they vote
    today, and why not) and their latest invoices and payments."""
    ids = [organisation.pk for organisation in organisations]
    return {
        "standings": [
            (organisation, vote_of(organisation))
            for organisation in organisations
            if organisation.membership.category.has_vote
        ],
        "invoices": list(
            Invoice.objects.filter(organisation__in=ids)
            .with_paid()
            .select_related("organisation")
            .order_by("-issued_on", "-year", "-number")[:INVOICES_SHOWN]
        ),
        "payments": list(
            Payment.objects.filter(invoice__organisation__in=ids)
            .select_related("invoice__organisation")
            .order_by("-received_on", "-pk")[:INVOICES_SHOWN]
        ),
    }


def _home_context(request):
    user = request.user
    admitted = Application.objects.filter(state=ApplicationState.ADMITTED).order_by("-submitted_at")
    organisations = list(
        access.organisations_of(user)
        .select_related("membership__category")
        .prefetch_related(Prefetch("applications", queryset=admitted, to_attr="admitted_applications"))
        .order_by("name")
    )
    upcoming = list(access.meetings_visible_to(user).upcoming().select_related("body")[:UPCOMING_SHOWN])
    registrations = (
        Registration.objects.filter(
            organisation__in=[o.pk for o in organisations], meeting__in=[m.pk for m in upcoming]
        )
        .select_related("meeting", "organisation")
        .order_by("meeting__start", "organisation__name", "name")
    )
    return {
        "organisations": organisations,
        "upcoming": upcoming,
        "registrations": registrations,
        "has_feed": CalendarFeed.objects.filter(user=user).exists(),
        "is_secretariat": access.is_secretariat(user),
        **_dues_context(organisations),
        "open_polls": voting_services.open_polls_for(user),  # governance/services/voting.py
    }


@login_required
@require_http_methods(["GET", "HEAD"])
def index(request):
    return render(request, "member_home/index.html", _home_context(request))


@login_required
@require_POST
def calendar_feed(request):
    """Make a new private feed address (the old one stops working) or turn
    the feed off. The address is shown once: only its hash is kept."""
    if request.POST.get("action") == "revoke":
        CalendarFeed.objects.filter(user=request.user).delete()
        messages.success(request, _("Your calendar feed is turned off; its address no longer works."))
        return redirect("member_home:index")
    token = CalendarFeed.reset_for(request.user)
    context = _home_context(request)
    context["new_feed_url"] = request.build_absolute_uri(reverse("calendar_feed", args=[token]))
    return render(request, "member_home/index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edit_profile(request, slug):
    organisation = access.organisations_of(request.user).filter(slug=slug).first()
    if organisation is None:
        raise Http404
    form = OrganisationProfileForm(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        # django-simple-history's middleware records request.user as the
        # history_user of this change.
        organisation._change_reason = _("Public profile edited by a member's representative")
        form.save()
        messages.success(request, _("The public profile of %(member)s is saved.") % {"member": organisation})
        return redirect("member_home:index")
    status = 400 if request.method == "POST" else 200
    return render(request, "member_home/profile_form.html", {"form": form, "organisation": organisation}, status=status)
