"""Dues: what each category pays a year, the invoices, their payments and
the reminders sent about them.

- A fee schedule per membership category: a yearly amount and currency,
  optionally by population band (a city's population), the membership year
  (the calendar year unless it starts in another month), the payment terms,
  a grace period and an arrears period.
- Invoices are numbered without gaps within a year (``InvoiceCounter``, a
  row per year locked while a number is taken). An invoice is never deleted
  (the database refuses it): one issued in error is voided, one that should
  not be paid is cancelled by a credit note, which takes the next number.
- Payments are recorded by the secretariat (bank transfers) and never
  deleted either; the invoice's state follows from them.
- An invoice still unpaid on its ``arrears_on`` day puts its member in
  arrears (``standing.py`` reads ``Invoice.objects.in_arrears``). That day is
  fixed when the invoice is issued, from its due date and the category's
  grace period then in force: the terms printed on an invoice do not move
  when the schedule is edited later.

The multi-row actions (issuing, paying, voiding, crediting, renewing) are
in ``governance.services.dues``; the reminders in ``governance.dues_notices``.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import MembershipCategory, Organisation

ZERO = Decimal("0.00")


def parse_offsets(text):
    """``"-14, 0, 30"`` → ``[-14, 0, 30]`` (days from the due date), sorted;
    ValueError on anything else."""
    parts = [part.strip() for part in (text or "").split(",") if part.strip()]
    return sorted({int(part) for part in parts})


def validate_offsets(text):
    try:
        offsets = parse_offsets(text)
    except ValueError:
        raise ValidationError(_("Write whole numbers of days separated by commas, e.g. “-14, 0, 14, 45”.")) from None
    if any(abs(days) > 366 for days in offsets):
        raise ValidationError(_("A reminder is at most a year before or after the due date."))


class FeeSchedule(models.Model):
    """What a membership category pays a year, and on what terms."""

    category = models.OneToOneField(
        MembershipCategory, on_delete=models.PROTECT, related_name="fee_schedule", verbose_name=_("category")
    )
    amount = models.DecimalField(
        _("yearly fee"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(ZERO)],
        help_text=_("The fee when no population band below applies."),
    )
    currency = models.CharField(
        _("currency"),
        max_length=3,
        default="USD",
        validators=[RegexValidator(r"^[A-Z]{3}$", _("An ISO 4217 code in capitals, e.g. USD, EUR, KRW."))],
    )
    year_starts_month = models.PositiveSmallIntegerField(
        _("membership year starts in month"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("1: the calendar year."),
    )
    payment_days = models.PositiveSmallIntegerField(
        _("payment terms (days)"),
        default=30,
        help_text=_("An invoice issued after its year began is due this many days after it is issued."),
    )
    grace_days = models.PositiveSmallIntegerField(
        _("grace period (days)"),
        default=90,
        help_text=_("A member whose invoice is unpaid this many days after its due date is in arrears."),
    )
    arrears_days = models.PositiveSmallIntegerField(
        _("arrears period (days)"),
        default=365,
        help_text=_(
            "A member in arrears this many days is listed to the secretariat for suspension "
            "(suspending it remains the secretariat's decision)."
        ),
    )
    reminder_days = models.CharField(
        _("reminders (days from the due date)"),
        max_length=100,
        default="-14, 0, 30, 60",
        validators=[validate_offsets],
        help_text=_("Negative: before the due date; 0: on it; positive: after it. Each is sent once per invoice."),
    )

    class Meta:
        verbose_name = _("fee schedule")
        verbose_name_plural = _("fee schedules")
        ordering = ["category__position", "category__name"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="fee_schedule_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(year_starts_month__gte=1, year_starts_month__lte=12), name="fee_schedule_month_valid"
            ),
        ]

    def __str__(self):
        return f"{self.category}: {self.amount} {self.currency}"

    def reminder_offsets(self):
        return parse_offsets(self.reminder_days)

    def year_of(self, day):
        """The membership year ``day`` falls in, named by the calendar year it starts in."""
        return day.year if day.month >= self.year_starts_month else day.year - 1

    def period(self, year):
        """The first and last day of membership year ``year``."""
        start = datetime.date(year, self.year_starts_month, 1)
        return start, datetime.date(year + 1, self.year_starts_month, 1) - datetime.timedelta(days=1)

    def fee_for(self, organisation, bands=None):
        """The yearly fee of ``organisation``: its population's band, else the schedule's amount."""
        population = organisation.population
        if population is not None:
            for band in self.bands.all() if bands is None else bands:
                if band.covers(population):
                    return band.amount
        return self.amount


class FeeBand(models.Model):
    """A fee for cities of a population range (a schedule's bands must not overlap)."""

    schedule = models.ForeignKey(
        FeeSchedule, on_delete=models.CASCADE, related_name="bands", verbose_name=_("schedule")
    )
    min_population = models.PositiveIntegerField(_("population from"), default=0)
    max_population = models.PositiveIntegerField(
        _("population up to"), null=True, blank=True, help_text=_("Empty: no upper limit.")
    )
    amount = models.DecimalField(_("yearly fee"), max_digits=12, decimal_places=2, validators=[MinValueValidator(ZERO)])

    class Meta:
        verbose_name = _("population band")
        verbose_name_plural = _("population bands")
        ordering = ["schedule", "min_population"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_population__isnull=True) | Q(max_population__gte=F("min_population")),
                name="fee_band_range_valid",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="fee_band_amount_not_negative"),
        ]

    def __str__(self):
        upper = self.max_population if self.max_population is not None else "…"
        return f"{self.min_population}–{upper}: {self.amount}"

    def covers(self, population):
        return population >= self.min_population and (self.max_population is None or population <= self.max_population)

    def clean(self):
        super().clean()
        if self.max_population is not None and self.max_population < self.min_population:
            raise ValidationError({"max_population": _("The upper limit cannot be below the lower one.")})


class InvoiceCounter(models.Model):
    """The last number taken in a year. Issuing locks this row, so two
    invoices issued at once take consecutive numbers and none is skipped: a
    transaction rolled back gives its number back with it."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("invoice counter")
        verbose_name_plural = _("invoice counters")

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")


class InvoiceState(models.TextChoices):
    ISSUED = "issued", _("Issued")
    PARTLY_PAID = "partly_paid", _("Partly paid")
    PAID = "paid", _("Paid")
    VOID = "void", _("Void")
    CREDITED = "credited", _("Credited")


# What is still to be paid: the invoices that count towards arrears.
OPEN_STATES = [InvoiceState.ISSUED, InvoiceState.PARTLY_PAID]


class InvoiceQuerySet(models.QuerySet):
    def invoices(self):
        """Invoices proper, without the credit notes."""
        return self.filter(kind=InvoiceKind.INVOICE)

    def open(self):
        return self.invoices().filter(state__in=OPEN_STATES)

    def in_arrears(self, on=None):
        """Open invoices unpaid on ``on`` (default today) past their grace period."""
        return self.open().filter(arrears_on__lte=on or timezone.localdate())

    def past_arrears_period(self, on=None):
        """Invoices in arrears for longer than their category's arrears
        period: their members are listed to the secretariat, which decides
        whether to suspend them."""
        on = on or timezone.localdate()
        past = Q(pk__in=[])
        for category_id, days in FeeSchedule.objects.values_list("category_id", "arrears_days"):
            past |= Q(
                organisation__membership__category_id=category_id,
                arrears_on__lte=on - datetime.timedelta(days=days),
            )
        return self.in_arrears(on).filter(past)

    def with_paid(self):
        """Annotate ``paid_total``, the sum of the payments (one query for a list)."""
        return self.annotate(paid_total=Coalesce(Sum("payments__amount"), ZERO))


class Invoice(models.Model):
    """A member's yearly dues (or a credit note cancelling an invoice).

    Numbered ``YYYY-NNNN`` without gaps within ``year``, the year it was
    issued in; ``period_start``..``period_end`` is the membership year it
    bills. Never deleted.
    """

    kind = models.CharField(_("kind"), max_length=12, choices=InvoiceKind.choices, default=InvoiceKind.INVOICE)
    year = models.PositiveSmallIntegerField(_("numbering year"))
    number = models.PositiveIntegerField(_("number"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("member")
    )
    category_name = models.CharField(_("category"), max_length=100)
    period_start = models.DateField(_("membership year from"))
    period_end = models.DateField(_("membership year to"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    issued_on = models.DateField(_("issued on"))
    due_on = models.DateField(_("due on"))
    arrears_on = models.DateField(
        _("in arrears from"), help_text=_("If still unpaid on this day: the due date and the grace period.")
    )
    state = models.CharField(_("state"), max_length=12, choices=InvoiceState.choices, default=InvoiceState.ISSUED)
    credits = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_note",
        verbose_name=_("cancels invoice"),
    )
    reason = models.TextField(_("reason"), blank=True, help_text=_("Why it was voided or credited."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="invoice_number_unique_per_year"),
            # One live invoice per member and membership year: a replacement
            # is issued only once the first is voided or credited.
            models.UniqueConstraint(
                fields=["organisation", "period_start"],
                condition=Q(kind=InvoiceKind.INVOICE) & ~Q(state__in=[InvoiceState.VOID, InvoiceState.CREDITED]),
                name="invoice_one_live_per_member_and_year",
            ),
            models.CheckConstraint(condition=Q(state__in=InvoiceState.values), name="invoice_state_valid"),
            models.CheckConstraint(condition=Q(kind__in=InvoiceKind.values), name="invoice_kind_valid"),
            models.CheckConstraint(condition=Q(number__gte=1), name="invoice_number_positive"),
            models.CheckConstraint(
                condition=(Q(kind=InvoiceKind.INVOICE) & Q(amount__gte=0) & Q(credits__isnull=True))
                | (Q(kind=InvoiceKind.CREDIT_NOTE) & Q(amount__lte=0) & Q(credits__isnull=False)),
                name="invoice_credit_note_cancels_an_invoice",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")) & Q(arrears_on__gte=F("due_on")),
                name="invoice_dates_in_order",
            ),
        ]
        indexes = [models.Index(fields=["state", "arrears_on"], name="invoice_open_by_arrears")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.reference}"

    def get_absolute_url(self):
        return reverse("dues:invoice_pdf", args=[self.pk])

    @property
    def reference(self):
        return f"{self.year}-{self.number:04d}"

    @property
    def is_open(self):
        return self.kind == InvoiceKind.INVOICE and self.state in OPEN_STATES

    @property
    def paid(self):
        """What was paid: the ``paid_total`` annotation where a list loaded it, else a query."""
        total = getattr(self, "paid_total", None)
        if total is None:
            total = self.payments.aggregate(total=Sum("amount"))["total"] or ZERO
        return total.quantize(ZERO)  # in cents, as the amounts are (SQLite's sums come without places)

    @property
    def outstanding(self):
        return self.amount - self.paid if self.is_open else ZERO

    def in_arrears(self, on=None):
        return self.is_open and self.arrears_on <= (on or timezone.localdate())

    @staticmethod
    def state_for(amount, paid):
        """The state an open invoice of ``amount`` takes once ``paid`` was received."""
        if paid >= amount:
            return InvoiceState.PAID
        return InvoiceState.PARTLY_PAID if paid > 0 else InvoiceState.ISSUED


class Payment(models.Model):
    """A payment of an invoice (a bank transfer), as the secretariat recorded it. Never deleted."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments", verbose_name=_("invoice"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    received_on = models.DateField(_("received on"))
    reference = models.CharField(_("bank reference"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-received_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")]

    def __str__(self):
        return f"{self.amount} {self.invoice.currency} ({self.received_on})"

    def get_absolute_url(self):
        return reverse("admin:governance_invoice_change", args=[self.invoice_id])


class InvoiceReminder(models.Model):
    """A reminder sent about an invoice: one row per invoice and offset,
    written in the transaction that records its notice, so the database
    itself keeps a reminder from being sent twice."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="reminders", verbose_name=_("invoice"))
    offset_days = models.SmallIntegerField(_("days from the due date"))
    notification = models.ForeignKey(
        "notifications.Notification",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("notice"),
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("invoice reminder")
        verbose_name_plural = _("invoice reminders")
        ordering = ["invoice", "offset_days"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "offset_days"], name="invoice_reminder_once_per_offset"),
        ]

    def __str__(self):
        return f"{self.invoice.reference} ({self.offset_days:+d})"
