"""The secretariat's dues pages: fee schedules (with population bands),
invoices and credit notes, payments, reminders sent.

Nothing here writes an invoice or a payment itself: issuing, recording a
payment, voiding and crediting go through ``governance.services.dues``,
which numbers, locks and checks. Invoices and payments are never deleted
(the database refuses it too); the pages offer no delete.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import Organisation

from .. import formats
from ..models import FeeBand, FeeSchedule, Invoice, InvoiceKind, InvoiceReminder, Payment
from ..services import dues as dues_services


class AmountsInTheReadersFormat:
    """Money columns and read-only fields written as the reader's language
    writes amounts, thousands grouped ("1,234.50", "1 234,50"): Django's
    admin would show "1234.50". The currency keeps its own column."""

    @admin.display(description=gettext_lazy("amount"), ordering="amount")
    def amount_display(self, obj):
        return formats.amount(obj.amount)


class FeeBandInline(admin.TabularInline):
    model = FeeBand
    extra = 0


@admin.register(FeeSchedule)
class FeeScheduleAdmin(AmountsInTheReadersFormat, admin.ModelAdmin):
    list_display = ["category", "amount_display", "currency", "year_starts_month", "grace_days", "reminder_days"]
    list_select_related = ["category"]
    inlines = [FeeBandInline]


class ArrearsFilter(admin.SimpleListFilter):
    title = gettext_lazy("arrears")
    parameter_name = "arrears"

    def lookups(self, request, model_admin):
        return [
            ("yes", gettext_lazy("Unpaid past the grace period")),
            ("long", gettext_lazy("In arrears past the arrears period (consider suspending)")),
            ("no", gettext_lazy("Not in arrears")),
        ]

    def queryset(self, request, queryset):
        in_arrears = Invoice.objects.in_arrears().values("pk")
        if self.value() == "long":
            return queryset.filter(pk__in=Invoice.objects.past_arrears_period().values("pk"))
        if self.value() == "yes":
            return queryset.filter(pk__in=in_arrears)
        if self.value() == "no":
            return queryset.exclude(pk__in=in_arrears)
        return queryset


class PaymentInline(AmountsInTheReadersFormat, admin.TabularInline):
    model = Payment
    fields = ["received_on", "amount_display", "reference", "note", "recorded_by", "recorded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # recorded through "Record a payment", which checks the amount


class ReminderInline(admin.TabularInline):
    model = InvoiceReminder
    fields = ["offset_days", "notification", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class IssueForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Member"),
        queryset=Organisation.objects.filter(membership__isnull=False).order_by("name"),
    )
    membership_year = forms.IntegerField(
        label=gettext_lazy("Membership year"),
        min_value=2000,
        max_value=2100,
        required=False,
        help_text=gettext_lazy("Empty: the membership year under way."),
    )


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=gettext_lazy("Amount"), max_digits=12, decimal_places=2, min_value=0.01)
    received_on = forms.DateField(label=gettext_lazy("Received on"), initial=timezone.localdate)
    reference = forms.CharField(label=gettext_lazy("Bank reference"), max_length=200, required=False)
    note = forms.CharField(label=gettext_lazy("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Kept with the record."),
    )


def _form_page(modeladmin, request, title, form, *, obj=None, action=None, queryset=None, intro=""):
    """A small admin page around ``form``: the issue and payment forms, and
    the confirmation that asks for a reason before an action."""
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "opts": modeladmin.model._meta,
        "form": form,
        "original": obj,
        "intro": intro,
        "action": action,
        "queryset": queryset,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return TemplateResponse(request, "admin/governance/dues_form.html", context, status=status)


def _run_each(modeladmin, request, queryset, service, done, **options):
    for obj in queryset:
        try:
            result = service(obj.pk, by_user_id=request.user.pk, **options)
        except dues_services.DuesError as error:
            modeladmin.message_user(request, f"{obj}: {error}", messages.ERROR)
        else:
            modeladmin.message_user(request, done(obj, result), messages.SUCCESS)


def ask_reason(modeladmin, request, queryset, title, intro=""):
    """The reason asked on a confirmation page, or None while it is asked."""
    form = ReasonForm(request.POST if request.POST.get("confirmed") == "yes" else None)
    if form.is_bound and form.is_valid():
        return form.cleaned_data["reason"], None
    page = _form_page(
        modeladmin,
        request,
        title,
        form,
        action=request.POST.get("action"),
        queryset=queryset,
        intro=intro,
    )
    return None, page


@admin.register(Invoice)
class InvoiceAdmin(AmountsInTheReadersFormat, admin.ModelAdmin):
    list_display = [
        "reference_display",
        "kind",
        "organisation",
        "period_start",
        "amount_display",
        "currency",
        "paid_display",
        "state",
        "due_on",
        "arrears_display",
    ]
    list_filter = ["state", "kind", ArrearsFilter, "year"]
    list_select_related = ["organisation"]
    search_fields = ["organisation__name", "organisation__search_text", "=number"]
    date_hierarchy = "issued_on"
    readonly_fields = [
        "reference_display",
        "kind",
        "organisation",
        "category_name",
        "period_start",
        "period_end",
        "amount_display",
        "currency",
        "issued_on",
        "due_on",
        "arrears_on",
        "state",
        "credits",
        "reason",
        "created_by",
        "created_at",
        "pdf_link",
    ]
    fields = readonly_fields
    inlines = [PaymentInline, ReminderInline]
    actions = ["void", "credit"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_paid()

    def has_add_permission(self, request):
        return False  # issued through "Issue an invoice", which numbers it

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("issue/", wrap(self.issue_view), name="governance_invoice_issue"),
            path("<int:pk>/pay/", wrap(self.payment_view), name="governance_invoice_pay"),
            *super().get_urls(),
        ]

    @admin.display(description=gettext_lazy("number"), ordering="number")
    def reference_display(self, obj):
        return obj.reference

    @admin.display(description=gettext_lazy("paid"))
    def paid_display(self, obj):
        return formats.amount(obj.paid) if obj.kind == InvoiceKind.INVOICE else "—"

    @admin.display(description=gettext_lazy("in arrears"), boolean=True)
    def arrears_display(self, obj):
        return obj.in_arrears()

    @admin.display(description=gettext_lazy("PDF"))
    def pdf_link(self, obj):
        if obj.pk is None:
            return "—"
        links = format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("Download the PDF"))
        if obj.is_open:
            links += format_html(
                ' · <a href="{}">{}</a>', reverse("admin:governance_invoice_pay", args=[obj.pk]), _("Record a payment")
            )
        return links

    def issue_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = IssueForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                invoice = dues_services.issue_invoice(
                    form.cleaned_data["organisation"].pk,
                    form.cleaned_data["membership_year"],
                    by_user_id=request.user.pk,
                )
            except dues_services.DuesError as error:
                form.add_error(error.field if error.field in ("membership_year",) else None, str(error))
            else:
                self.message_user(
                    request, _("Invoice %(number)s is issued.") % {"number": invoice.reference}, messages.SUCCESS
                )
                return redirect("admin:governance_invoice_change", invoice.pk)
        return _form_page(self, request, _("Issue an invoice"), form)

    def payment_view(self, request, pk):
        if not self.has_change_permission(request):
            raise PermissionDenied
        invoice = get_object_or_404(Invoice.objects.select_related("organisation").with_paid(), pk=pk)
        form = PaymentForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                dues_services.record_payment(
                    invoice.pk,
                    data["amount"],
                    data["received_on"],
                    data["reference"],
                    data["note"],
                    by_user_id=request.user.pk,
                )
            except dues_services.DuesError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
            else:
                self.message_user(
                    request,
                    _("The payment of %(amount)s %(currency)s on invoice %(number)s is recorded.")
                    % {
                        "amount": formats.amount(data["amount"]),
                        "currency": invoice.currency,
                        "number": invoice.reference,
                    },
                    messages.SUCCESS,
                )
                return redirect("admin:governance_invoice_change", invoice.pk)
        intro = _("%(member)s: %(outstanding)s %(currency)s outstanding of %(amount)s.") % {
            "member": invoice.organisation,
            "outstanding": formats.amount(invoice.outstanding),
            "currency": invoice.currency,
            "amount": formats.amount(invoice.amount),
        }
        return _form_page(
            self, request, _("Record a payment of %(invoice)s") % {"invoice": invoice}, form, obj=invoice, intro=intro
        )

    @admin.action(description=gettext_lazy("Void (issued in error)…"), permissions=["change"])
    def void(self, request, queryset):
        reason, page = ask_reason(
            self,
            request,
            queryset,
            _("Void these invoices?"),
            _("A voided invoice keeps its number and no longer counts. Only an invoice with no payment can be voided."),
        )
        if page is not None:
            return page
        _run_each(
            self,
            request,
            queryset,
            dues_services.void_invoice,
            lambda invoice, result: _("%(invoice)s is void.") % {"invoice": invoice},
            reason=reason,
        )
        return None

    @admin.action(description=gettext_lazy("Cancel with a credit note…"), permissions=["change"])
    def credit(self, request, queryset):
        reason, page = ask_reason(
            self,
            request,
            queryset,
            _("Issue credit notes for these invoices?"),
            _("A credit note cancels what is outstanding; what was paid stays paid."),
        )
        if page is not None:
            return page
        _run_each(
            self,
            request,
            queryset,
            dues_services.credit_invoice,
            lambda invoice, note: _("%(invoice)s is credited by %(note)s.") % {"invoice": invoice, "note": note},
            reason=reason,
        )
        return None


@admin.register(Payment)
class PaymentAdmin(AmountsInTheReadersFormat, admin.ModelAdmin):
    list_display = ["received_on", "invoice", "organisation", "amount_display", "reference", "recorded_by"]
    list_select_related = ["invoice__organisation", "recorded_by"]
    search_fields = ["invoice__organisation__name", "reference"]
    date_hierarchy = "received_on"
    readonly_fields = ["invoice", "amount_display", "received_on", "reference", "note", "recorded_by", "recorded_at"]
    fields = readonly_fields

    @admin.display(description=gettext_lazy("member"), ordering="invoice__organisation__name")
    def organisation(self, obj):
        return obj.invoice.organisation

    def has_add_permission(self, request):
        return False  # recorded on the invoice, through the service

    def has_delete_permission(self, request, obj=None):
        return False
