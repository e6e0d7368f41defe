from django.shortcuts import render
from django.views.decorators.http import require_safe

from members.caching import public_page, remember
from members.models import Organisation


def _directory_figures():
    members = Organisation.objects.in_directory().order_by()
    return {
        "member_count": members.count(),
        "country_count": members.values("country").distinct().count(),
    }


@require_safe
@public_page
def home(request):
    """What WeGO is and does, with a few live figures from the directory
    (counted once per change of the members, not per visit)."""
    return render(request, "home.html", remember("home-figures", _directory_figures))
