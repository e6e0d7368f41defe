from django.shortcuts import render

from members.models import Organisation


def home(request):
    """What WeGO is and does, with a few live figures from the directory."""
    members = Organisation.objects.in_directory()
    context = {
        "member_count": members.count(),
        "country_count": members.values("country").distinct().count(),
    }
    return render(request, "home.html", context)
