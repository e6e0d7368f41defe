"""URLs that fail on purpose, for the error pages' tests; the portal's own
URLs and error handlers beside them."""

from django.core.exceptions import BadRequest, PermissionDenied
from django.urls import path

from wego_portal.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def refused(request):
    raise PermissionDenied


def bad(request):
    raise BadRequest


def crash(request):
    raise RuntimeError("a bug")


urlpatterns = [path("refused/", refused), path("bad/", bad), path("crash/", crash), *urlpatterns]
