"""An invoice or credit note as a PDF (fpdf2, pure Python): what the member
downloads from /my/ and what the reminders attach.

Rendered when asked for, from the invoice as it stands (its payments and
state included). The PDF's built-in fonts cover Windows-1252 only (Latin-1
with typographic dashes and quotes), so it is in the reader's language when
that is written with them (English, French, Spanish) and in English
otherwise, its dates and amounts with it: Korean, Arabic, Russian or Chinese
would come out as a page of "?". A letter outside them in a name (rare in
what the invoice carries) is printed as "?" rather than failing.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from fpdf import FPDF

from . import formats
from .models import InvoiceKind

# The portal's languages the PDF's fonts can print; the others get English.
PRINTABLE_LANGUAGES = ("en", "fr", "es")
ENCODING = "windows-1252"


def _printable(text):
    return str(text).encode(ENCODING, "replace").decode(ENCODING)


def language():
    """The language the PDF is printed in: the active one if its fonts can."""
    active = translation.get_language() or settings.LANGUAGE_CODE
    return active if active in PRINTABLE_LANGUAGES else settings.LANGUAGE_CODE


class _Document(FPDF):
    def line_pair(self, label, value, bold=False):
        self.set_font("helvetica", "B" if bold else "", 11)
        self.cell(70, 7, _printable(label))
        self.cell(0, 7, _printable(value), new_x="LMARGIN", new_y="NEXT")


def render(invoice, payments=None):
    """The PDF of ``invoice`` as bytes; ``payments`` if already loaded."""
    with translation.override(language()):
        return _render(invoice, payments)


def _render(invoice, payments):
    payments = list(invoice.payments.order_by("received_on", "pk")) if payments is None else payments
    credit_note = invoice.kind == InvoiceKind.CREDIT_NOTE
    title = _("Credit note %(number)s") if credit_note else _("Invoice %(number)s")
    title = title % {"number": invoice.reference}

    pdf = _Document(format="A4")
    pdf.core_fonts_encoding = ENCODING
    pdf.set_title(_printable(title))
    pdf.set_author(_printable(settings.DUES_ISSUER))
    pdf.set_creation_date(invoice.created_at)
    pdf.add_page()
    pdf.set_font("helvetica", "B", 16)
    pdf.cell(0, 10, _printable(settings.DUES_ISSUER), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "B", 14)
    pdf.cell(0, 10, _printable(title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    organisation = invoice.organisation
    pdf.line_pair(_("Member"), organisation.name, bold=True)
    pdf.line_pair(_("Country"), organisation.country.name)
    pdf.line_pair(_("Category"), invoice.category_name)
    pdf.line_pair(_("Membership year"), formats.date_span(invoice.period_start, invoice.period_end))
    pdf.line_pair(_("Issued on"), formats.day(invoice.issued_on))
    if credit_note:
        pdf.line_pair(_("Cancels invoice"), invoice.credits.reference if invoice.credits_id else "")
        pdf.line_pair(_("Reason"), invoice.reason)
    else:
        pdf.line_pair(_("Due on"), formats.day(invoice.due_on))
    pdf.ln(4)
    # "Credited" is also an invoice's state: here, the credit note's amount.
    label = pgettext("amount", "Credited") if credit_note else _("Yearly dues")
    pdf.line_pair(label, formats.money(invoice.amount, invoice.currency), True)

    if not credit_note:
        for payment in payments:
            pdf.line_pair(
                _("Paid on %(date)s") % {"date": formats.day(payment.received_on)},
                formats.money(payment.amount, invoice.currency),
            )
        pdf.line_pair(_("Outstanding"), formats.money(invoice.outstanding, invoice.currency), True)
        pdf.line_pair(_("Status"), invoice.get_state_display())
        if invoice.is_open:
            pdf.ln(6)
            pdf.set_font("helvetica", "", 10)
            instructions = _("Please pay by bank transfer, quoting %(number)s. %(details)s") % {
                "number": invoice.reference,
                "details": settings.DUES_PAYMENT_DETAILS,
            }
            pdf.multi_cell(0, 6, _printable(instructions))
    return bytes(pdf.output())


def filename(invoice):
    prefix = "credit-note" if invoice.kind == InvoiceKind.CREDIT_NOTE else "invoice"
    return f"wego-{prefix}-{invoice.reference}.pdf"
