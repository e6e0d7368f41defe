"""The secretariat's voting pages: polls (with their candidates) are set up
here; while a draft they may be changed, once opened they are a record. The
acts in session (freeze the roll, open, close, decide proxies) are on the
meeting's live view (``governance.views.voting``), through the services.
Rolls, proxies and ballots are shown read-only: they change only by those acts."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import Candidate, Poll, PollStatus, Proxy, RollChange, RollEntry, VotingRoll


class CandidateInline(admin.TabularInline):
    model = Candidate
    extra = 2
    autocomplete_fields = ["organisation"]

    def has_change_permission(self, request, obj=None):
        return obj is None or obj.status == PollStatus.DRAFT

    has_add_permission = has_delete_permission = has_change_permission


@admin.register(Poll)
class PollAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "method", "secret", "majority", "status", "result"]
    list_filter = ["status", "method", "secret", "meeting__body"]
    list_select_related = ["meeting__body"]
    search_fields = ["title", "meeting__title"]
    inlines = [CandidateInline]
    autocomplete_fields = ["meeting"]
    readonly_fields = ["status", "result", "opened_at", "closed_at", "live_view"]
    fieldsets = [
        (None, {"fields": ["meeting", "agenda_item", "resolution", "title", "position", "live_view"]}),
        (_("How it is voted"), {"fields": ["method", "post", "min_choices", "max_choices", "allow_none", "secret"]}),
        (_("Majority"), {"fields": ["majority", "abstentions_count"]}),
        (_("Remote vote between meetings"), {"fields": ["opens_at", "closes_at"]}),
        (_("Record"), {"fields": ["status", "result", "opened_at", "closed_at"]}),
    ]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if request.GET.get("meeting", "").isdigit():
            initial["meeting"] = request.GET["meeting"]
        return initial

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.status == PollStatus.DRAFT)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.status == PollStatus.DRAFT)

    @admin.display(description=_("Live view"))
    def live_view(self, poll):
        if not poll.pk:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("voting:live", args=[poll.meeting.slug]), _("Open and close"))


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RollEntryInline(ReadOnlyMixin, admin.TabularInline):
    model = RollEntry
    fields = ["organisation", "entitled", "reason"]
    readonly_fields = fields


class RollChangeInline(ReadOnlyMixin, admin.TabularInline):
    model = RollChange
    fields = ["changed_at", "organisation", "entitled", "reason", "changed_by"]
    readonly_fields = fields


@admin.register(VotingRoll)
class VotingRollAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["meeting", "frozen_at", "frozen_by"]
    list_select_related = ["meeting__body", "frozen_by"]
    inlines = [RollEntryInline, RollChangeInline]

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff


@admin.register(Proxy)
class ProxyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["grantor", "holder", "meeting", "status", "submitted_at", "decided_at"]
    list_filter = ["status", "meeting__body"]
    list_select_related = ["grantor", "holder", "meeting__body"]
    search_fields = ["grantor__name", "holder__name"]
    fields = [
        "meeting",
        "grantor",
        "holder",
        "signed_form",
        "status",
        "note",
        "submitted_at",
        "decided_at",
        "revoked_at",
    ]
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    @admin.display(description=_("signed proxy form"))
    def signed_form(self, proxy):
        url = reverse("voting:proxy_form", args=[proxy.meeting.slug, proxy.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download the signed form (PDF)"))
