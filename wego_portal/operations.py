"""What the people who run the portal need from it: error pages that keep
the portal's look, a favicon, and ``/health/`` for the load balancer and the
monitoring.

``/health/`` answers two audiences. A load balancer asks, without any
credential and often by IP address (so with a Host header ALLOWED_HOSTS does
not list, and over plain HTTP): it gets 200 when the database answers and 503
when it does not, from ``HealthCheckMiddleware`` before host validation and
the HTTPS redirect. Monitoring, with the ``HEALTH_TOKEN`` (a bearer token or
``?token=``) or a staff session, gets JSON with the state of every part the
portal depends on.
"""

import hmac
import logging
from functools import cache

import redis
from django.conf import settings
from django.core.cache import cache as django_cache
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache

from governance.notifications.services import last_sweep_at, outbox_backlog

logger = logging.getLogger(__name__)

HEALTH_PATH = "/health/"
# A health check must answer fast even when a dependency hangs.
PROBE_TIMEOUT = 2


# --- Error pages -------------------------------------------------------------
def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    """Rendered without the request, so without context processors: nothing
    on this page may touch the database, which may be what failed."""
    return HttpResponseServerError(render_to_string("500.html"))


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: most often a form left open past its session, or
    cookies refused."""
    return render(request, "403_csrf.html", {"reason": reason}, status=403)


# --- Favicon -----------------------------------------------------------------
@cache
def _favicon():
    return (settings.BASE_DIR / "static" / "favicon.ico").read_bytes()


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links to."""
    response = HttpResponse(_favicon(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


# --- Health --------------------------------------------------------------------
def _database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.error("Health: the database does not answer: %s", error)
        return {"ok": False, "error": str(error).strip()[:200]}
    return {"ok": True}


def _cache():
    try:
        django_cache.set("health:probe", "1", timeout=10)
        ok = django_cache.get("health:probe") == "1"
    except Exception as error:  # any backend's failure is a failed probe
        return {"ok": False, "error": str(error)[:200]}
    return {"ok": ok}


def _broker():
    if settings.CELERY_TASK_ALWAYS_EAGER or not settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        return {"ok": True, "mode": "eager"}
    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL, socket_timeout=PROBE_TIMEOUT, socket_connect_timeout=PROBE_TIMEOUT
    )
    try:
        client.ping()
    except redis.RedisError as error:
        return {"ok": False, "mode": "redis", "error": str(error)[:200]}
    finally:
        client.close()
    return {"ok": True, "mode": "redis"}


def _age(moment, now):
    return None if moment is None else round((now - moment).total_seconds(), 1)


def _outbox(now):
    backlog, oldest = outbox_backlog()
    return {
        "backlog": backlog,
        "oldest_pending_at": oldest and oldest.isoformat(),
        "oldest_pending_age_seconds": _age(oldest, now),
    }


def _beat(now):
    try:
        last = last_sweep_at()
    except Exception as error:  # the cache is down: say so, do not fail the check
        return {"last_run_at": None, "age_seconds": None, "error": str(error)[:200]}
    return {"last_run_at": last and last.isoformat(), "age_seconds": _age(last, now)}


def _may_see_details(request):
    token = settings.HEALTH_TOKEN
    if token:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        offered = header[len("Bearer ") :] if header.startswith("Bearer ") else request.GET.get("token", "")
        if offered and hmac.compare_digest(offered.encode(), token.encode()):
            return True
    user = getattr(request, "user", None)
    return bool(user and user.is_active and user.is_staff)


@never_cache
def health(request):
    """200 when the database answers, 503 when it does not; the details for
    the token's holder or staff."""
    database = _database()
    status = 200 if database["ok"] else 503
    if not _may_see_details(request):
        return HttpResponse(
            "ok\n" if status == 200 else "database unavailable\n", status=status, content_type="text/plain"
        )
    now = timezone.now()
    report = {"status": "ok" if status == 200 else "unavailable", "time": now.isoformat(), "database": database}
    report["cache"] = _cache()
    report["broker"] = _broker()
    if database["ok"]:
        report["outbox"] = _outbox(now)
    report["beat"] = _beat(now)
    return JsonResponse(report, status=status)


class HealthCheckMiddleware:
    """Answers ``/health/`` ahead of the other middleware for callers without
    a session (load balancers): no host check, no HTTPS redirect, no session
    read. A browser with a session goes through the usual chain, so that
    staff are recognised."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTH_PATH and settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return health(request)
        return self.get_response(request)
