"""The secretariat's governance admin: bodies and their posts, terms and
their offices. The statutes' rules are reported on the forms by
Office.clean(); a term's rows are checked together, so two rows of one form
cannot between them breach what each alone would not."""

from django.contrib import admin, messages
from django.db import IntegrityError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.admin import TranslatedAdmin

from ..models import Body, Office, Post, Term


class RulesHeldByDatabaseMixin:
    """Turn a breach caught by the database's trigger into a message.

    The forms check the rules first; the trigger is the backstop for what a
    form cannot see (rows saved one after another, a concurrent change). The
    admin's save runs in one transaction, so nothing of it is kept.
    """

    def changeform_view(self, request, *args, **kwargs):
        try:
            return super().changeform_view(request, *args, **kwargs)
        except IntegrityError as error:
            cause = str(getattr(error, "__cause__", None) or error).splitlines()[0]
            messages.error(
                request,
                _(
                    "Nothing was saved: the change breaks a rule of the statutes (%(rule)s). "
                    "Save the rows one at a time, in an order that keeps to the rules."
                )
                % {"rule": cause},
            )
            return HttpResponseRedirect(request.get_full_path())


class PostInline(admin.TabularInline):
    """A body's posts by their English label; each post's page holds its
    label and description in every language."""

    model = Post
    extra = 0
    fields = ["label_en", "slug", "role", "is_officer", "max_holders", "position"]
    prepopulated_fields = {"slug": ["label_en"]}
    show_change_link = True


@admin.register(Body)
class BodyAdmin(RulesHeldByDatabaseMixin, TranslatedAdmin):
    list_display = ["name", "abbreviation", "cadence_months", "max_seats", "position"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PostInline]


@admin.register(Post)
class PostAdmin(RulesHeldByDatabaseMixin, TranslatedAdmin):
    list_display = ["label", "body", "role", "is_officer", "max_holders", "position"]
    list_filter = ["body", "is_officer"]
    list_select_related = ["body"]
    prepopulated_fields = {"slug": ["label"]}


class OfficeInlineFormSet(BaseInlineFormSet):
    """A term's offices, checked together against the rules.

    Each row alone is checked against the stored offices by Office.clean();
    here the rows are checked as they will stand together, so that (say) two
    new President City rows are refused on the form, and a row ending an
    office early lets another row take the post after it.
    """

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # The term may not be saved yet (the add page): give the row the term
        # being edited so its dates are checked against the term's.
        form.instance.term = self.instance
        form.instance.rules_checked_by_formset = True
        return form

    def clean(self):
        super().clean()
        deleted = [form.instance.pk for form in self.deleted_forms if form.instance.pk]
        rows = [
            form
            for form in self.forms
            if form.has_changed()
            and not form.errors
            and not self._should_delete_form(form)
            and form.instance._is_complete()  # else the term's or the row's own errors are shown
        ]
        for form in rows:
            alongside = [other.instance for other in rows if other is not form]
            for error in form.instance.rule_errors(alongside=alongside, excluding=deleted):
                form.add_error(None, error)


class OfficeInline(admin.TabularInline):
    model = Office
    formset = OfficeInlineFormSet
    extra = 0
    fields = ["post", "organisation", "start_date", "end_date", "how_chosen", "chosen_note", "end_reason", "end_note"]
    autocomplete_fields = ["organisation"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation", "post__body", "term")


@admin.register(Term)
class TermAdmin(RulesHeldByDatabaseMixin, admin.ModelAdmin):
    list_display = ["name", "start_date", "end_date", "current_display", "office_count"]
    date_hierarchy = "start_date"
    search_fields = ["name"]
    inlines = [OfficeInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(office_count=Count("offices"))

    @admin.display(description=_("current"), boolean=True)
    def current_display(self, obj):
        return obj.is_current

    @admin.display(description=_("offices"), ordering="office_count")
    def office_count(self, obj):
        return obj.office_count


class CurrentOfficeFilter(admin.SimpleListFilter):
    # "held" also names how a meeting is held (in person, online): a context apiece.
    title = pgettext_lazy("admin filter: whether an office is held today", "held")
    parameter_name = "held"

    def lookups(self, request, model_admin):
        return [("now", _("Today")), ("ended", _("No longer"))]

    def queryset(self, request, queryset):
        current = Office.objects.current().values("pk")
        if self.value() == "now":
            return queryset.filter(pk__in=current)
        if self.value() == "ended":
            return queryset.exclude(pk__in=current)
        return queryset


@admin.register(Office)
class OfficeAdmin(RulesHeldByDatabaseMixin, admin.ModelAdmin):
    """Offices one by one: appoint, or end one early (give "until" and why)."""

    list_display = [
        "organisation",
        "post",
        "body_display",
        "term",
        "start_date",
        "until_display",
        "how_chosen",
        "end_reason",
    ]
    list_filter = [CurrentOfficeFilter, "term", "post__body", "post", "how_chosen", "end_reason"]
    list_select_related = ["organisation", "post__body", "term"]
    search_fields = ["organisation__name", "organisation__search_text", "post__label", "term__name"]
    autocomplete_fields = ["organisation"]
    date_hierarchy = "start_date"
    fieldsets = [
        (None, {"fields": ["term", "post", "organisation", "start_date"]}),
        (_("How it was chosen"), {"fields": ["how_chosen", "chosen_note"]}),
        (
            _("End"),
            {
                "fields": ["end_date", "end_reason", "end_note"],
                "description": _(
                    "To end an office early, give its last day and why it ended. "
                    "Offices are never deleted: they are the record of who held what."
                ),
            },
        ),
    ]

    @admin.display(description=_("body"), ordering="post__body__position")
    def body_display(self, obj):
        return obj.post.body.abbreviation

    @admin.display(description=_("until"), ordering="end_date")
    def until_display(self, obj):
        if obj.end_date:
            return obj.end_date
        return _("%(date)s (end of term)") % {"date": date_format(obj.term.end_date, "DATE_FORMAT")}

    def has_delete_permission(self, request, obj=None):
        # History is kept: an office is ended, not deleted (a mistaken entry
        # can still be removed by a superuser).
        return request.user.is_superuser and super().has_delete_permission(request, obj)
