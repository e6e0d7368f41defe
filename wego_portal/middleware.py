"""Headers every response carries."""

from django.conf import settings


class CrossOriginResourcePolicyMiddleware:
    """Cross-Origin-Resource-Policy: other sites may not embed or read the
    portal's pages, images or files (same-origin), except the open-data
    exports named in ``CROSS_ORIGIN_VIEWS``, which anyone may fetch."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        policy = "cross-origin" if match and match.view_name in settings.CROSS_ORIGIN_VIEWS else "same-origin"
        response.headers.setdefault("Cross-Origin-Resource-Policy", policy)
        return response
