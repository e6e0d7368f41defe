from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.forms import UserChangeForm as BaseUserChangeForm
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter
from import_export.admin import ImportExportMixin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from . import m49
from .languages import field_name
from .models import (
    Contact,
    ContactRole,
    Membership,
    MembershipCategory,
    MembershipStatus,
    Organisation,
    User,
)
from .resources import OrganisationResource


class ReadableHistoryHelper(HistoricalRecordContextHelper):
    """A history page's changes in words: a choice by its label, an empty
    value as the field means it (see EMPTY_MEANS), not "None"."""

    EMPTY_MEANS = {
        "start_date": _("since before the portal's records"),
        "end_date": _("open-ended"),
        "standing": _("none (status from the dates)"),
    }

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        field = self.model._meta.get_field(change.field)
        if value in (None, ""):
            return self.EMPTY_MEANS.get(change.field, "—")
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        return value


class ReadableHistoryAdmin(SimpleHistoryAdmin):
    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistoryHelper(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        for record in historical_records:
            # The history list prints the reason as is: "None" when none was given.
            record.history_change_reason = record.history_change_reason or "—"


class MembershipStatusFilter(admin.SimpleListFilter):
    """Filter on the status derived from dates and overrides, computed in SQL."""

    title = _("membership status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*MembershipStatus.choices, ("none", _("No membership"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "none":
            return queryset.filter(membership__isnull=True)
        if value in MembershipStatus.values:
            ids = Membership.objects.with_status_value(value).values("pk")
            if queryset.model is Membership:
                return queryset.filter(pk__in=ids)
            return queryset.filter(membership__in=ids)
        return queryset


class RegionFilter(admin.SimpleListFilter):
    title = _("region")
    parameter_name = "region"

    def lookups(self, request, model_admin):
        return m49.REGION_CHOICES

    def queryset(self, request, queryset):
        if self.value():
            if queryset.model is Organisation:
                return queryset.in_region(self.value())
            return queryset.filter(organisation__country__in=m49.countries_in_region(self.value()))
        return queryset


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False
    extra = 0
    min_num = 0
    fields = [("category", "joined_on"), ("start_date", "end_date"), ("standing", "standing_reason"), "notes"]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["name", "title", "email", "language", "user"]
    raw_id_fields = ["user"]
    show_change_link = True


class TranslatedAdmin(TranslationAdmin):
    """An admin for data kept in every language (members.languages).

    Each translated field gets its own fieldset, first, with a field per
    language in the portal's order: English first and required, the others
    optional (an empty one shows English to its readers). Each field is
    marked with its language and direction, so Arabic is typed right to
    left and read aloud in Arabic.
    """

    def get_fieldsets(self, request, obj=None):
        fields = list(self.get_fields(request, obj))
        grouped, columns = [], set()
        for field in self.trans_opts.fields:
            languages = [field_name(field, code) for code, _name in settings.LANGUAGES]
            columns.update(languages)
            shown = [column for column in languages if column in fields]
            if shown:
                grouped.append((capfirst(self.opts.get_field(field).verbose_name), {"fields": shown}))
        rest = [field for field in fields if field not in columns]
        return grouped + ([(None, {"fields": rest})] if rest else [])

    def patch_translation_field(self, db_field, field, request, **kwargs):
        super().patch_translation_field(db_field, field, request, **kwargs)
        language = getattr(db_field, "language", None)
        if language:
            field.widget.attrs.update(lang=language, dir="rtl" if get_language_info(language)["bidi"] else "ltr")


@admin.register(MembershipCategory)
class MembershipCategoryAdmin(TranslatedAdmin):
    list_display = ["name", "slug", "has_vote", "kind", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(ImportExportMixin, ReadableHistoryAdmin):
    # "example.org" typed in the website field means https://example.org.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    resource_classes = [OrganisationResource]
    list_display = [
        "name",
        "kind",
        "country",
        "region_display",
        "category_display",
        "status_display",
        "is_founding_member",
    ]
    list_filter = [
        MembershipStatusFilter,
        "membership__category",
        "kind",
        RegionFilter,
        ("country", CountryFilter),
        "is_founding_member",
    ]
    list_select_related = ["membership__category"]
    search_fields = ["name", "slug", "search_text"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["membership_history"]
    fieldsets = [
        (None, {"fields": ["name", "other_names", "slug", "kind", ("country", "is_founding_member"), "population"]}),
        (_("Public profile"), {"fields": ["website", "description", "logo", ("latitude", "longitude")]}),
        (_("Membership history"), {"fields": ["membership_history"], "classes": ["collapse"]}),
    ]
    inlines = [MembershipInline, ContactInline]
    list_per_page = 50

    @admin.display(description=_("region"))
    def region_display(self, obj):
        return obj.region_name

    @admin.display(description=_("category"), ordering="membership__category__name")
    def category_display(self, obj):
        membership = _membership_or_none(obj)
        return membership.category if membership else "—"

    @admin.display(description=_("status"))
    def status_display(self, obj):
        membership = _membership_or_none(obj)
        return membership.status.label if membership else _("No membership")

    @admin.display(description=_("changes of membership"))
    def membership_history(self, obj):
        membership = _membership_or_none(obj)
        if membership is None:
            return "—"
        rows = list(membership.history.select_related("category", "history_user").order_by("history_date", "pk"))
        lines = []
        previous = None
        for row in rows:
            if previous is None:
                changes = [(field, None, _membership_value(row, field)) for field in MEMBERSHIP_HISTORY_FIELDS]
            else:
                changes = [
                    (field, _membership_value(previous, field), _membership_value(row, field))
                    for field in MEMBERSHIP_HISTORY_FIELDS
                    if _membership_value(previous, field) != _membership_value(row, field)
                ]
            lines.append((row, changes))
            previous = row
        return format_html_join(
            "\n",
            '<div class="membership-change"><strong>{} · {} · {}</strong>{}{}</div>',
            (
                (
                    date_format(timezone.localtime(row.history_date), "DATETIME_FORMAT"),
                    row.get_history_type_display(),
                    row.history_user or _("the portal"),
                    format_html(" — {}", row.history_change_reason) if row.history_change_reason else "",
                    format_html(
                        "<ul>{}</ul>",
                        format_html_join(
                            "",
                            "<li>{}: {}</li>",
                            (
                                (
                                    Membership._meta.get_field(field).verbose_name,
                                    new if old is None else format_html("{} → {}", old, new),
                                )
                                for field, old, new in changes
                            ),
                        ),
                    )
                    if changes
                    else format_html(" — {}", _("no change to the terms")),
                )
                for row, changes in reversed(lines)
            ),
        )


# What the membership history shows, in words rather than raw values.
MEMBERSHIP_HISTORY_FIELDS = ["category", "joined_on", "start_date", "end_date", "standing", "standing_reason"]


def _membership_value(row, field):
    value = getattr(row, field)
    if field == "start_date" and value is None:
        return str(_("since before the portal's records"))
    if field == "end_date" and value is None:
        return str(_("open-ended"))
    if field == "joined_on" and value is None:
        return str(_("not recorded"))
    if field == "standing":
        return str(row.get_standing_display() or _("none (status from the dates)"))
    if field == "standing_reason":
        return value or "—"
    return str(value)


def _membership_or_none(organisation):
    try:
        return organisation.membership
    except Membership.DoesNotExist:
        return None


@admin.register(Membership)
class MembershipAdmin(ReadableHistoryAdmin):
    list_display = ["organisation", "category", "status_display", "joined_on", "start_date", "end_date"]
    list_filter = [MembershipStatusFilter, "category", RegionFilter]
    list_select_related = ["organisation", "category"]
    search_fields = ["organisation__name", "organisation__search_text"]
    raw_id_fields = ["organisation"]
    date_hierarchy = "joined_on"

    @admin.display(description=_("status"))
    def status_display(self, obj):
        return obj.status.label


class ContactRoleInline(admin.TabularInline):
    model = ContactRole
    extra = 1


@admin.register(Contact)
class ContactAdmin(ReadableHistoryAdmin):
    list_display = ["name", "organisation", "email", "roles_display", "language", "user"]
    list_filter = ["roles__role", "language"]
    list_select_related = ["organisation", "user"]
    search_fields = ["name", "email", "organisation__name"]
    raw_id_fields = ["organisation", "user"]
    inlines = [ContactRoleInline]

    def get_queryset(self, request):
        today = timezone.localdate()
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("roles", queryset=ContactRole.objects.active(today), to_attr="active_roles"))
        )

    @admin.display(description=_("current roles"))
    def roles_display(self, obj):
        return ", ".join(str(role.get_role_display()) for role in obj.active_roles) or "—"


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "name"]


class UserChangeForm(BaseUserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = UserCreationForm
    form = UserChangeForm
    ordering = ["email"]
    list_display = ["email", "name", "is_staff", "is_active", "last_login"]
    search_fields = ["email", "name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["name"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "name", "usable_password", "password1", "password2"]})
    ]

    # Rights are granted by superusers only. A secretariat user who may change
    # users edits names, addresses and whether a login is active; the fields
    # that grant rights and the password are not in their form, so a forged
    # POST carrying them changes nothing. Staff and superuser accounts other
    # than their own are out of their reach: a changed address followed by a
    # password reset would hand them the account.
    RIGHTS = {"is_staff", "is_superuser", "groups", "user_permissions", "password"}

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        return [
            (name, {**options, "fields": [field for field in options["fields"] if field not in self.RIGHTS]})
            for name, options in fieldsets
        ]

    def _guards_a_privileged_account(self, request, obj):
        return (
            obj is not None
            and not request.user.is_superuser
            and (obj.is_staff or obj.is_superuser)
            and obj.pk != request.user.pk
        )

    def has_change_permission(self, request, obj=None):
        if self._guards_a_privileged_account(request, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self._guards_a_privileged_account(request, obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            # The bulk delete checks the model permission only, not each row.
            actions.pop("delete_selected", None)
        return actions

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)
