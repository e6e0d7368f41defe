"""The site's URLs and, for bench/load.py only, a trivial view: the floor a
page is measured against, behind the very same middleware."""

from django.http import HttpResponse
from django.urls import path

from wego_portal.urls import urlpatterns as site_urlpatterns


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/ok", ok), *site_urlpatterns]
