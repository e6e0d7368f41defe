"""The member's invoices as PDF: downloaded from /my/ by whoever acts for
the member billed, and by the secretariat; a 404 for anyone else (an
invoice's existence is not told to others). Who may is asked of
governance/access.py."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_http_methods

from .. import access, invoice_pdf


def _invoice_for_user(user, pk):
    invoice = access.invoices_visible_to(user).select_related("organisation", "credits").filter(pk=pk).first()
    if invoice is None:
        raise Http404
    return invoice


@login_required
@require_http_methods(["GET", "HEAD"])
def invoice_pdf_download(request, pk):
    invoice = _invoice_for_user(request.user, pk)
    response = HttpResponse(invoice_pdf.render(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{invoice_pdf.filename(invoice)}"'
    # Personal data of a member: never kept by a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response
