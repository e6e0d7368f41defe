"""The secretariat's view of the outbox: what was sent to whom, what failed
and why, and an action to try failed deliveries again.

Records are read-only: they are the history of what the portal sent.
"""

from django.contrib import admin, messages
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from . import services
from .models import Delivery, DeliveryStatus, Notification


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields] + list(self.readonly_fields)


class HasFailuresFilter(admin.SimpleListFilter):
    title = _("deliveries")
    parameter_name = "deliveries"

    def lookups(self, request, model_admin):
        return [("failed", _("Some failed")), ("unsent", _("Some not sent yet"))]

    def queryset(self, request, queryset):
        statuses = {
            "failed": [DeliveryStatus.FAILED],
            "unsent": [DeliveryStatus.QUEUED, DeliveryStatus.SENDING],
        }.get(self.value())
        if statuses is None:
            return queryset
        return queryset.filter(Exists(Delivery.objects.filter(notification=OuterRef("pk"), status__in=statuses)))


class FailedDeliveryInline(admin.TabularInline):
    """The deliveries that need the secretariat's attention; all of them are
    one click away in the deliveries list (a fan-out may have thousands)."""

    model = Delivery
    verbose_name_plural = _("failed deliveries")
    fields = ["email", "name", "attempts", "last_error"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=DeliveryStatus.FAILED)

    def has_add_permission(self, request, obj=None):
        return False


def _count_of(*statuses):
    deliveries = (
        Delivery.objects.filter(notification=OuterRef("pk"), status__in=statuses)
        .order_by()
        .values("notification")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(deliveries, output_field=IntegerField()), 0)


def _deliveries_url(**filters):
    query = "&".join(f"{key}={value}" for key, value in filters.items())
    return reverse("admin:notifications_delivery_changelist") + (f"?{query}" if query else "")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "subject_label", "sent_count", "queued_count", "failed_count"]
    list_filter = ["kind", HasFailuresFilter, "created_at"]
    search_fields = ["subject_label"]
    readonly_fields = ["delivery_summary"]
    fieldsets = [
        (None, {"fields": ["kind", "subject_label", "created_at", "created_by", "delivery_summary"]}),
        (_("Content"), {"fields": ["payload", "attachment_name", "attachment"], "classes": ["collapse"]}),
    ]
    inlines = [FailedDeliveryInline]
    actions = ["retry_failed"]
    list_select_related = ["created_by"]

    def get_queryset(self, request):
        # Subqueries, not a join with GROUP BY: the changelist's COUNT(*)
        # then skips them and each row's counts come from the
        # (notification, status) index.
        return (
            super()
            .get_queryset(request)
            .annotate(
                sent_count=_count_of(DeliveryStatus.SENT),
                queued_count=_count_of(DeliveryStatus.QUEUED, DeliveryStatus.SENDING),
                failed_count=_count_of(DeliveryStatus.FAILED),
            )
        )

    @admin.display(description=pgettext_lazy("how many deliveries were sent", "sent"), ordering="sent_count")
    def sent_count(self, obj):
        return obj.sent_count

    @admin.display(description=_("not sent yet"), ordering="queued_count")
    def queued_count(self, obj):
        return obj.queued_count

    @admin.display(description=_("failed"), ordering="failed_count")
    def failed_count(self, obj):
        if not obj.failed_count:
            return 0
        url = _deliveries_url(notification__id__exact=obj.pk, status__exact=DeliveryStatus.FAILED)
        return format_html('<a href="{}">{}</a>', url, obj.failed_count)

    @admin.display(description=_("deliveries"))
    def delivery_summary(self, obj):
        counts = dict(obj.deliveries.values_list("status").annotate(n=Count("pk")).order_by())
        rows = [
            (_deliveries_url(notification__id__exact=obj.pk, status__exact=status), label, counts.get(status, 0))
            for status, label in DeliveryStatus.choices
        ]
        return format_html(
            '<a href="{}">{}</a>: {}',
            _deliveries_url(notification__id__exact=obj.pk),
            _("all"),
            format_html_join(", ", '<a href="{}">{}</a> {}', rows),
        )

    @admin.action(description=_("Try the failed deliveries of the selected notifications again"))
    def retry_failed(self, request, queryset):
        count = services.retry_failed(Delivery.objects.filter(notification__in=queryset))
        _report_retry(self, request, count)


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["email", "notification_link", "status", "attempts", "short_error", "sent_at", "language"]
    list_filter = ["status", "notification__kind", "sent_at"]
    search_fields = ["email", "name", "notification__subject_label"]
    list_select_related = ["notification"]
    # A large fan-out makes this table long: one COUNT(*) per page, not two.
    show_full_result_count = False
    actions = ["retry_failed"]
    fields = [
        "notification",
        "contact",
        "email",
        "name",
        "language",
        "role",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "dispatched_at",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
    ]

    @admin.display(description=_("notification"), ordering="notification__created_at")
    def notification_link(self, obj):
        url = reverse("admin:notifications_notification_change", args=[obj.notification_id])
        return format_html('<a href="{}">{}</a>', url, obj.notification)

    @admin.display(description=_("last error"))
    def short_error(self, obj):
        return obj.last_error if len(obj.last_error) <= 80 else obj.last_error[:79] + "…"

    @admin.action(description=_("Try the selected failed deliveries again"))
    def retry_failed(self, request, queryset):
        count = services.retry_failed(queryset)
        _report_retry(self, request, count)


def _report_retry(model_admin, request, count):
    if count:
        model_admin.message_user(
            request,
            ngettext("%(count)d failed delivery queued again.", "%(count)d failed deliveries queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )
    else:
        model_admin.message_user(request, _("None of the selected deliveries had failed."), messages.WARNING)
