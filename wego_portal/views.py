from django.shortcuts import render
from django.views.decorators.http import require_safe

from members import figures
from members.caching import public_page


@require_safe
@public_page
def home(request):
    """What WeGO is and does, with a few live figures from the directory
    (counted once per change of the members, not per visit)."""
    return render(request, "home.html", figures.home_figures())
