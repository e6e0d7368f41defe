"""The secretariat's queue of membership applications: by state, with
filters (state, category, country, possible duplicate, age), the letter one
click away, and each move (start review, recommend, admit, reject, reopen)
an action that asks first, on a page, for the reason and, for a
recommendation or an admission, the meeting's agenda item that decided. The
moves go through ``governance.services.applications``; the application's
own page shows them read-only."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from ..files import download
from ..models import AgendaItem, Application, BodySlug, Resolution
from ..services import applications as services


class AgeFilter(admin.SimpleListFilter):
    """How long ago the application was submitted."""

    title = _("age")
    parameter_name = "age"
    BANDS = {"week": (None, 7), "month": (7, 30), "quarter": (30, 90), "older": (90, None)}

    def lookups(self, request, model_admin):
        return [
            ("week", _("Under a week")),
            ("month", _("1 week to 1 month")),
            ("quarter", _("1 to 3 months")),
            ("older", _("Over 3 months")),
        ]

    def queryset(self, request, queryset):
        band = self.BANDS.get(self.value())
        if band is None:
            return queryset
        newest, oldest = band
        now = timezone.now()
        if newest is not None:
            queryset = queryset.filter(submitted_at__lte=now - datetime.timedelta(days=newest))
        if oldest is not None:
            queryset = queryset.filter(submitted_at__gt=now - datetime.timedelta(days=oldest))
        return queryset


class CountryFilter(admin.SimpleListFilter):
    """The countries applications come from (one query, not the world's list)."""

    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = Application.objects.order_by().values_list("country", flat=True).distinct()
        return sorted(((code, countries.name(code)) for code in codes), key=lambda pair: pair[1])

    def queryset(self, request, queryset):
        return queryset.filter(country=self.value()) if self.value() else queryset


class AgendaItemChoice(forms.ModelChoiceField):
    def label_from_instance(self, item):
        meeting = item.meeting
        day = date_format(meeting.local_start, "DATE_FORMAT")  # the meeting's own day, as the reader writes days
        return f"{meeting.body.abbreviation} · {meeting} ({day}) — {item.position}. {item.title}"


class DecisionForm(forms.Form):
    """What a move asks for: the reason, and for a recommendation or an
    admission the agenda item (and resolution) of the meeting that decided."""

    reason = forms.CharField(label=_("Reason"), max_length=4000, required=False, widget=forms.Textarea({"rows": 4}))
    agenda_item = AgendaItemChoice(label=_("Agenda item of the meeting that decided"), queryset=AgendaItem.objects)
    resolution = forms.ModelChoiceField(
        label=_("Resolution (if one was adopted)"), queryset=Resolution.objects, required=False
    )
    start_date = forms.DateField(
        label=_("Membership starts on"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )

    FIELDS = {
        "start_review": ["reason"],
        "recommend": ["agenda_item", "resolution", "reason"],
        "admit": ["agenda_item", "resolution", "start_date", "reason"],
        "reject": ["reason"],
        "reopen": ["reason"],
    }
    REASON_REQUIRED = {"reject", "reopen"}

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in self.FIELDS[action]:
                del self.fields[name]
        if action in self.REASON_REQUIRED:
            self.fields["reason"].required = True
            self.fields["reason"].help_text = (
                _("The applicant is told this reason.") if action == "reject" else _("Kept with the application.")
            )
        if "agenda_item" in self.fields:
            bodies = (
                [BodySlug.EXECUTIVE_COMMITTEE]
                if action == "recommend"
                else [BodySlug.EXECUTIVE_COMMITTEE, BodySlug.GENERAL_ASSEMBLY]
            )
            self.fields["agenda_item"].queryset = (
                AgendaItem.objects.filter(meeting__body__slug__in=bodies)
                .select_related("meeting__body")
                .order_by("-meeting__start", "position")
            )
            self.fields["resolution"].queryset = Resolution.objects.filter(
                meeting__body__slug__in=bodies
            ).select_related("meeting")


def transitions_table(application):
    """The application's moves, read-only: from, to, who, when, why, decided where."""
    if application.pk is None:
        return "—"
    rows = format_html_join(
        "\n",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                date_format(timezone.localtime(t.at), "DATETIME_FORMAT"),
                t.get_from_state_display() or "—",
                t.get_to_state_display(),
                t.who,
                t.reason or "—",
                format_html('<a href="{}">{}</a>', t.agenda_item.get_absolute_url(), t.agenda_item)
                if t.agenda_item
                else "—",
            )
            for t in application.transitions.select_related("by", "agenda_item__meeting").order_by("at", "pk")
        ),
    )
    return format_html(
        '<table><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th>'
        '<th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
        _("when"),
        pgettext_lazy("an application's state before a move", "from"),
        pgettext_lazy("an application's state after a move", "to"),
        _("by"),
        _("reason"),
        _("decided at"),
        rows,
    )


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["reference", "name", "country", "category", "state", "age", "possible_duplicate", "letter_link"]
    list_display_links = ["reference", "name"]
    list_filter = ["state", "category", CountryFilter, "possible_duplicate", AgeFilter]
    list_select_related = ["category"]
    search_fields = ["reference", "name", "liaison_email", "political_email"]
    ordering = ["submitted_at", "pk"]  # the queue: oldest first
    raw_id_fields = ["organisation"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = [
        "reference",
        "state",
        "submitted_at",
        "letter_link",
        "possible_duplicate",
        "duplicate_note",
        "transitions",
    ]
    fieldsets = [
        (None, {"fields": ["reference", "state", "submitted_at", "possible_duplicate", "duplicate_note"]}),
        (
            _("The organisation"),
            {
                "fields": [
                    "name",
                    "country",
                    "kind",
                    "category",
                    "website",
                    "population",
                    "head_of_government",
                    "head_term_ends",
                    "organisation",
                ]
            },
        ),
        (
            _("Contacts"),
            {
                "fields": [
                    "political_name",
                    "political_title",
                    "political_email",
                    "liaison_name",
                    "liaison_title",
                    "liaison_email",
                    "language",
                ]
            },
        ),
        (_("Letter of intent"), {"fields": ["letter_link"]}),
        (_("What has happened"), {"fields": ["transitions"]}),
    ]
    actions = ["start_review", "recommend", "admit", "reject", "reopen"]

    def has_add_permission(self, request):
        return False  # applications come from the public form

    def has_delete_permission(self, request, obj=None):
        return False  # every application and its moves are kept

    def get_urls(self):
        letter = path(
            "<int:pk>/letter/",
            self.admin_site.admin_view(self.letter_view),
            name="governance_application_letter",
        )
        return [letter, *super().get_urls()]

    def letter_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        application = get_object_or_404(Application, pk=pk)
        return download(application.letter, application.letter_filename, "application/pdf")

    @admin.display(description=_("age (days)"), ordering="submitted_at")
    def age(self, obj):
        return obj.age_days()

    @admin.display(description=_("letter of intent"))
    def letter_link(self, obj):
        if not obj.letter:
            return "—"
        url = reverse("admin:governance_application_letter", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Letter (PDF)"))

    @admin.display(description=_("moves"))
    def transitions(self, obj):
        return transitions_table(obj)

    # --- The moves, as actions that ask first ------------------------------
    TITLES = {
        "start_review": _("Start the review of these applications?"),
        "recommend": _("Record the Executive Committee's recommendation?"),
        "admit": _("Admit these applicants as members?"),
        "reject": _("Reject these applications?"),
        "reopen": _("Reopen these applications?"),
    }

    def _decide(self, request, queryset, action):
        form = DecisionForm(request.POST if request.POST.get("confirmed") == "yes" else None, action=action)
        if not form.is_bound or not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "title": self.TITLES[action],
                "opts": self.model._meta,
                "action": action,
                "queryset": queryset.select_related("category"),
                "form": form,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/governance/application/confirm_action.html", context)
        data = form.cleaned_data
        for application in queryset.order_by("submitted_at", "pk"):
            try:
                said = self._run(action, application, request.user.pk, data)
            except services.ApplicationError as error:
                self.message_user(request, f"{application.reference}: {error}", messages.ERROR)
            else:
                self.message_user(request, said, messages.SUCCESS)
        return None

    def _run(self, action, application, user_id, data):
        reason = data.get("reason", "")
        item = data.get("agenda_item")
        resolution = data.get("resolution")
        ids = {"agenda_item_id": item.pk if item else None, "resolution_id": resolution.pk if resolution else None}
        name = {"application": application.reference}
        if action == "start_review":
            services.start_review(application.pk, user_id, reason)
            return gettext("%(application)s is under review.") % name
        if action == "recommend":
            services.recommend(application.pk, user_id, reason=reason, **ids)
            return gettext("%(application)s is recommended.") % name
        if action == "reject":
            services.reject(application.pk, user_id, reason)
            return gettext("%(application)s is rejected; the applicant is told the reason.") % name
        if action == "reopen":
            services.reopen(application.pk, user_id, reason)
            return gettext("%(application)s is reopened and under review.") % name
        admission = services.admit(application.pk, user_id, start_date=data["start_date"], reason=reason, **ids)
        said = gettext("%(application)s is admitted: %(member)s is a member from %(date)s.") % {
            **name,
            "member": admission.organisation,
            "date": date_format(admission.membership.start_date, "DATE_FORMAT"),
        }
        if admission.invited:
            said += " " + gettext("Invited to the portal: %(names)s.") % {
                "names": ", ".join(c.name for c in admission.invited)
            }
        if admission.not_invited:
            said += " " + gettext("Not invited now (a login with a password already, or a later start): %(names)s.") % {
                "names": ", ".join(c.name for c in admission.not_invited)
            }
        return said

    @admin.action(description=_("Start the review…"), permissions=["change"])
    def start_review(self, request, queryset):
        return self._decide(request, queryset, "start_review")

    @admin.action(description=_("Record the Executive Committee's recommendation…"), permissions=["change"])
    def recommend(self, request, queryset):
        return self._decide(request, queryset, "recommend")

    @admin.action(description=_("Admit (approve)…"), permissions=["change"])
    def admit(self, request, queryset):
        return self._decide(request, queryset, "admit")

    @admin.action(description=_("Reject…"), permissions=["change"])
    def reject(self, request, queryset):
        return self._decide(request, queryset, "reject")

    @admin.action(description=_("Reopen…"), permissions=["change"])
    def reopen(self, request, queryset):
        return self._decide(request, queryset, "reopen")
