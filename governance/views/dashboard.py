"""The secretariat's dashboard: the figures of ``governance.figures`` as
tables with a chart beside each (Chart.js from npm, served as static files;
the numbers reach the script through json_script, never inline code).

Staff only: anyone else logged in gets a 404, an anonymous visitor the
login page. The page is a list of sections (``SECTIONS``): adding one is
adding its function here.
"""

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from .. import access, figures

# Each returns a figures.Section; the page shows them in this order.
SECTIONS = [
    figures.members_by_status,
    figures.members_by_category,
    figures.members_by_region,
    figures.applications_by_state,
    figures.dues_by_year,
    figures.arrears_by_region,
    figures.retention,
]


@login_required
@require_http_methods(["GET", "HEAD"])
def dashboard(request):
    if not access.is_secretariat(request.user):
        raise Http404
    sections = [section() for section in SECTIONS]
    context = {
        **admin.site.each_context(request),
        "title": _("Dashboard"),
        "sections": sections,
        "charts": {section.slug: section.chart_data() for section in sections},
        "invoices": figures.outstanding_invoices_count(),
    }
    return render(request, "admin/dashboard.html", context)
