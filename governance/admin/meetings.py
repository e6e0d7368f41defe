"""The secretariat's meeting pages: a meeting with its agenda, documents,
invitations, registrations, attendance and resolutions on one page, the
quorum shown, and convene / cancel / held as actions that go through
governance/services/meetings.py."""

import zoneinfo

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import models
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .. import formats
from ..models import (
    AgendaItem,
    Attendance,
    Document,
    DocumentState,
    Invitation,
    Meeting,
    MeetingStatus,
    Registration,
    Resolution,
)
from ..services import meetings as meeting_services


def _https_by_default(model_field, **kwargs):
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"  # "meet.example.org/x" means https://
    return model_field.formfield(**kwargs)


class MeetingAdminForm(forms.ModelForm):
    """Start and end are entered and shown as wall-clock time in the
    meeting's own time zone, not the server's."""

    class Meta:
        model = Meeting
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose what is shown
        formfield_callback = _https_by_default

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("start", "end"):
                local = timezone.localtime(getattr(self.instance, name), self.instance.zone)
                self.initial[name] = local.replace(tzinfo=None)

    def clean(self):
        cleaned = super().clean()
        try:
            zone = zoneinfo.ZoneInfo(cleaned.get("time_zone") or "")
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return cleaned  # the field's own validator reports it
        for name in ("start", "end"):
            if cleaned.get(name):
                cleaned[name] = timezone.make_aware(timezone.make_naive(cleaned[name]), zone)
        return cleaned


class CancelForm(forms.Form):
    """The reason for a cancellation, which the notice to the members quotes."""

    reason = forms.CharField(
        label=_("Reason for the cancellation"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Quoted in the notice to the members of a convened meeting, and shown on the meeting's page."),
    )


def reach_summary(reach, done):
    """One sentence on how many members a notice reached (``done``) or
    would reach, at how many addresses."""
    if done:
        text = ngettext(
            "%(reached)d of %(invited)d invited member notified",
            "%(reached)d of %(invited)d invited members notified",
            len(reach.invited),
        )
    else:
        text = ngettext(
            "%(reached)d of %(invited)d invited member will be notified",
            "%(reached)d of %(invited)d invited members will be notified",
            len(reach.invited),
        )
    addresses = ngettext("(%(addresses)d e-mail address).", "(%(addresses)d e-mail addresses).", reach.addresses)
    values = {"reached": len(reach.reached), "invited": len(reach.invited), "addresses": reach.addresses}
    return f"{text % values} {addresses % values}"


def unreached_summary(reach):
    if not reach.unreached:
        return ""
    return gettext("Not notified, no contact with a notice role and an e-mail address: %(names)s.") % {
        "names": ", ".join(organisation.name for organisation in reach.unreached)
    }


class _ParentMeetingMixin:
    """Offer only the meeting's own agenda items."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agenda_item":
            object_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            kwargs["queryset"] = (
                AgendaItem.objects.filter(meeting_id=object_id) if object_id else AgendaItem.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _became_final(form):
    """Whether this form's save publishes its document (makes it final)."""
    return form.instance.state == DocumentState.FINAL and "state" in form.changed_data


class DocumentFileInput(forms.ClearableFileInput):
    """A stored document as a link to its download view (uploads are never
    served from MEDIA_URL), not its long random storage name; a document
    is required, so there is no "clear" box: replace it or delete the row."""

    template_name = "governance/widgets/document_file_input.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        document = getattr(value, "instance", None)
        if document is not None and document.pk:
            context["widget"]["download_url"] = document.get_absolute_url()
            context["widget"]["extension"] = document.extension.lstrip(".").upper()
        return context


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "title", "description"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}}


class DocumentInline(_ParentMeetingMixin, admin.TabularInline):
    model = Document
    extra = 0
    fields = ["title", "kind", "file", "state", "visibility", "agenda_item", "position"]
    formfield_overrides = {models.FileField: {"widget": DocumentFileInput}}


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    fields = ["organisation", "invited_at"]
    readonly_fields = ["organisation", "invited_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # made by convening the meeting


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    fields = ["organisation", "name", "email", "is_voting_delegate", "status", "registered_by"]
    readonly_fields = ["registered_by"]
    raw_id_fields = ["organisation"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    fields = ["organisation", "representative"]
    raw_id_fields = ["organisation"]


class ResolutionInline(_ParentMeetingMixin, admin.StackedInline):
    model = Resolution
    extra = 0
    fields = [
        ("agenda_item", "kind", "number"),
        "text",
        ("candidate", "outcome"),
        ("votes_for", "votes_against", "abstaining"),
    ]
    raw_id_fields = ["candidate"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    form = MeetingAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    list_display = ["__str__", "body", "start_display", "venue", "status", "host", "registration_count"]
    list_filter = ["status", "body", "kind", "term"]
    list_select_related = ["body", "host"]
    search_fields = ["title", "venue", "slug"]
    date_hierarchy = "start"
    raw_id_fields = ["host"]
    readonly_fields = ["status", "notice_reach_display", "quorum_display", "sequence", "convened_at", "uid"]
    fieldsets = [
        (None, {"fields": ["body", "term", "kind", "title", "slug"]}),
        (
            _("When and where"),
            {
                "fields": [
                    ("start", "end"),
                    "time_zone",
                    "attendance_mode",
                    "venue",
                    "address",
                    ("latitude", "longitude"),
                    "host",
                ]
            },
        ),
        (_("Online"), {"fields": ["online_url", "online_link_opens_minutes"]}),
        (_("Description and registrations"), {"fields": ["description", ("capacity", "capacity_per_member")]}),
        (_("Status"), {"fields": ["status", "status_note", "convened_at", "notice_reach_display"]}),
        (_("Quorum"), {"fields": ["quorum_display"]}),
        (_("Calendar"), {"fields": ["uid", "sequence"], "classes": ["collapse"]}),
    ]
    inlines = [
        AgendaItemInline,
        DocumentInline,
        InvitationInline,
        RegistrationInline,
        AttendanceInline,
        ResolutionInline,
    ]
    actions = ["convene", "cancel", "mark_held"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(registrations_total=Count("registrations"))

    @admin.display(description=_("starts (local time)"), ordering="start")
    def start_display(self, obj):
        return formats.meeting_moment(obj.start, obj)

    @admin.display(description=_("delegates"), ordering="registrations_total")
    def registration_count(self, obj):
        return obj.registrations_total

    @admin.display(description=_("members notified"))
    def notice_reach_display(self, obj):
        """After convening: whom the convening notice reached, as recorded;
        before: whom it would reach now."""
        if not obj.pk:
            return "—"
        reach = meeting_services.convening_reach(obj)
        done = reach is not None
        if not done:
            if obj.status != MeetingStatus.PLANNED:
                return "—"
            reach = meeting_services.notice_reach(obj)
        summary = reach_summary(reach, done)
        if not reach.unreached:
            return summary
        return format_html(
            "{}<br>{}<ul>{}</ul>",
            summary,
            _("Not notified (no contact with a notice role and an e-mail address):"),
            format_html_join("", "<li>{}</li>", ((organisation.name,) for organisation in reach.unreached)),
        )

    @admin.display(description=_("quorum"))
    def quorum_display(self, obj):
        if not obj.pk:
            return "—"
        quorum = obj.quorum()
        return _(
            "%(voters)d members with a vote; quorum %(required)d. Registered with a voting delegate: %(registered)d"
            " (%(by_registration)s). Present: %(present)d (%(by_attendance)s)."
        ) % {
            "voters": quorum.voters,
            "required": quorum.required,
            "registered": quorum.registered,
            "by_registration": _("quorate") if quorum.quorate_by_registrations else _("not quorate"),
            "present": quorum.present,
            "by_attendance": _("quorate") if quorum.quorate_by_attendance else _("not quorate"),
        }

    def save_formset(self, request, form, formset, change):
        published = [f for f in formset.forms if formset.model is Document and f.has_changed() and _became_final(f)]
        super().save_formset(request, form, formset, change)
        meeting_services.documents_published(
            form.instance.pk,
            [f.instance.pk for f in published if f.instance.pk and f not in formset.deleted_forms],
            request.user.pk,
        )

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        # A change goes through the same service as everything else: its
        # lock, the model's rules and the notice to a convened meeting's
        # members. (The form has already shown the rules' errors.)
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name in Meeting.EDITABLE_FIELDS}
        if changes:
            try:
                meeting_services.change_meeting(obj.pk, request.user.pk, **changes)
            except meeting_services.MeetingError as error:  # changed by someone else meanwhile
                self.message_user(request, str(error), messages.ERROR)

    def _run(self, request, queryset, service, done, **options):
        """Run ``service`` on each meeting; ``done(meeting)`` gives what to
        say after a success, and a warning (or "")."""
        for meeting in queryset:
            try:
                service(meeting.pk, request.user.pk, **options)
            except meeting_services.MeetingError as error:
                self.message_user(request, f"{meeting}: {error}", messages.ERROR)
            else:
                said, warning = done(meeting)
                self.message_user(request, said, messages.SUCCESS)
                if warning:
                    # Said apart, as a warning: someone must reach them another way.
                    self.message_user(request, f"{meeting}: {warning}", messages.WARNING)

    def _confirm(self, request, queryset, action, title, form=None):
        """The page that asks before convening or cancelling: who will be
        told, who cannot be, and (cancelling) the reason for the notice."""
        rows = []
        for meeting in queryset.select_related("body", "term"):
            tells = (
                meeting.status == MeetingStatus.PLANNED
                if action == "convene"
                else meeting.status == MeetingStatus.CONVENED
            )
            rows.append({"meeting": meeting, "tells": tells, "reach": meeting_services.notice_reach(meeting)})
        for row in rows:
            row["summary"] = reach_summary(row["reach"], done=False) if row["tells"] else ""
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "action": action,
            "rows": rows,
            "form": form,
            "queryset": queryset,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/governance/meeting/confirm_action.html", context)

    @admin.action(description=_("Convene (invite the members who may attend)…"), permissions=["change"])
    def convene(self, request, queryset):
        if request.POST.get("confirmed") != "yes":
            return self._confirm(request, queryset, "convene", _("Convene these meetings?"))

        def done(meeting):
            reach = meeting_services.convening_reach(Meeting.objects.get(pk=meeting.pk))
            said = " ".join([_("%(meeting)s is convened.") % {"meeting": meeting}, reach_summary(reach, True)])
            return said, unreached_summary(reach)

        self._run(request, queryset, meeting_services.convene_meeting, done)
        return None

    @admin.action(description=_("Cancel…"), permissions=["change"])
    def cancel(self, request, queryset):
        form = CancelForm(request.POST if request.POST.get("confirmed") == "yes" else None)
        if not form.is_bound or not form.is_valid():
            return self._confirm(request, queryset, "cancel", _("Cancel these meetings?"), form)
        told = {meeting.pk: meeting.status == MeetingStatus.CONVENED for meeting in queryset}

        def done(meeting):
            message = _("%(meeting)s is cancelled.") % {"meeting": meeting}
            if not told[meeting.pk]:
                return " ".join([message, gettext("No notice is sent: it had not been convened.")]), ""
            reach = meeting_services.notice_reach(Meeting.objects.select_related("body").get(pk=meeting.pk))
            return " ".join([message, reach_summary(reach, True)]), unreached_summary(reach)

        self._run(request, queryset, meeting_services.cancel_meeting, done, reason=form.cleaned_data["reason"])
        return None

    @admin.action(description=_("Mark as held"), permissions=["change"])
    def mark_held(self, request, queryset):
        self._run(
            request,
            queryset,
            meeting_services.mark_meeting_held,
            lambda meeting: (_("%(meeting)s is marked as held.") % {"meeting": meeting}, ""),
        )


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "kind", "state", "visibility", "uploaded_at"]
    list_filter = ["state", "visibility", "kind", "meeting__body"]
    list_select_related = ["meeting__body"]
    search_fields = ["title", "meeting__title"]
    raw_id_fields = ["meeting", "agenda_item"]

    def save_model(self, request, obj, form, change):
        published = _became_final(form)
        super().save_model(request, obj, form, change)
        if published:
            meeting_services.documents_published(obj.meeting_id, [obj.pk], request.user.pk)
