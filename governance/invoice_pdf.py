"""An invoice or credit note as a PDF (fpdf2, pure Python): what the member
downloads from /my/ and what the reminders attach.

Rendered when asked for, from the invoice as it stands (its payments and
state included), in the active language. The PDF's built-in fonts cover
Latin-1 only: a letter outside it (rare in the names the invoice carries)
is printed as "?" rather than failing.
"""

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _
from fpdf import FPDF

from .models import InvoiceKind


def _latin1(text):
    return str(text).encode("latin-1", "replace").decode("latin-1")


def _money(amount, currency):
    return f"{formats.number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)} {currency}"


def _date(day):
    return formats.date_format(day, "DATE_FORMAT")


class _Document(FPDF):
    def line_pair(self, label, value, bold=False):
        self.set_font("helvetica", "B" if bold else "", 11)
        self.cell(70, 7, _latin1(label))
        self.cell(0, 7, _latin1(value), new_x="LMARGIN", new_y="NEXT")


def render(invoice, payments=None):
    """The PDF of ``invoice`` as bytes; ``payments`` if already loaded."""
    payments = list(invoice.payments.order_by("received_on", "pk")) if payments is None else payments
    credit_note = invoice.kind == InvoiceKind.CREDIT_NOTE
    title = _("Credit note %(number)s") if credit_note else _("Invoice %(number)s")
    title = title % {"number": invoice.reference}

    pdf = _Document(format="A4")
    pdf.set_title(_latin1(title))
    pdf.set_author(_latin1(settings.DUES_ISSUER))
    pdf.set_creation_date(invoice.created_at)
    pdf.add_page()
    pdf.set_font("helvetica", "B", 16)
    pdf.cell(0, 10, _latin1(settings.DUES_ISSUER), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "B", 14)
    pdf.cell(0, 10, _latin1(title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    organisation = invoice.organisation
    pdf.line_pair(_("Member"), organisation.name, bold=True)
    pdf.line_pair(_("Country"), organisation.country.name)
    pdf.line_pair(_("Category"), invoice.category_name)
    pdf.line_pair(_("Membership year"), f"{_date(invoice.period_start)} - {_date(invoice.period_end)}")
    pdf.line_pair(_("Issued on"), _date(invoice.issued_on))
    if credit_note:
        pdf.line_pair(_("Cancels invoice"), invoice.credits.reference if invoice.credits_id else "")
        pdf.line_pair(_("Reason"), invoice.reason)
    else:
        pdf.line_pair(_("Due on"), _date(invoice.due_on))
    pdf.ln(4)
    pdf.line_pair(_("Credited") if credit_note else _("Yearly dues"), _money(invoice.amount, invoice.currency), True)

    if not credit_note:
        for payment in payments:
            pdf.line_pair(
                _("Paid on %(date)s") % {"date": _date(payment.received_on)},
                _money(payment.amount, invoice.currency),
            )
        pdf.line_pair(_("Outstanding"), _money(invoice.outstanding, invoice.currency), True)
        pdf.line_pair(_("Status"), invoice.get_state_display())
        if invoice.is_open:
            pdf.ln(6)
            pdf.set_font("helvetica", "", 10)
            instructions = _("Please pay by bank transfer, quoting %(number)s. %(details)s") % {
                "number": invoice.reference,
                "details": settings.DUES_PAYMENT_DETAILS,
            }
            pdf.multi_cell(0, 6, _latin1(instructions))
    return bytes(pdf.output())


def filename(invoice):
    prefix = "credit-note" if invoice.kind == InvoiceKind.CREDIT_NOTE else "invoice"
    return f"wego-{prefix}-{invoice.reference}.pdf"
