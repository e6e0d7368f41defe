"""Error pages, favicon and /health/: what the people running the portal,
and the visitors who meet an error, get from it."""

import datetime
import json

import pytest
from django.core.cache import cache
from django.db import OperationalError
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from governance.notifications.models import Delivery, DeliveryStatus, Notification
from governance.notifications.services import SWEEP_LAST_RUN_KEY, sweep_task
from wego_portal import operations

pytestmark = pytest.mark.django_db


# --- Error pages ---------------------------------------------------------------
def test_a_missing_page_is_404_in_the_portal_layout_with_ways_back(client):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert 'class="site-header"' in html and "This page does not exist" in html
    assert f'href="{reverse("home")}"' in html
    assert f'href="{reverse("account_login")}?next=/no-such-page/"' in html


def test_a_member_who_meets_a_404_is_not_offered_the_login(client, make_user):
    client.force_login(make_user())
    html = client.get("/no-such-page/").content.decode()
    assert "This page does not exist" in html
    assert f"{reverse('account_login')}?next" not in html


@override_settings(ROOT_URLCONF="tests.portal.error_urls")
def test_400_and_403_pages_are_branded(client):
    response = client.get("/refused/")
    assert response.status_code == 403
    assert "You may not see this page" in response.content.decode()
    assert f"{reverse('account_login')}?next=/refused/" in response.content.decode()
    response = client.get("/bad/")
    assert response.status_code == 400
    assert "The request could not be understood" in response.content.decode()


@override_settings(ROOT_URLCONF="tests.portal.error_urls")
def test_a_crash_gives_the_branded_500_page():
    client = Client(raise_request_exception=False)
    response = client.get("/crash/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html and 'class="site-header"' in html


def test_the_500_page_renders_with_the_database_unreachable(monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", unreachable)
    monkeypatch.setattr(CursorWrapper, "executemany", unreachable)
    request = RequestFactory().get("/anything/")
    response = operations.server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert f'href="{reverse("home")}"' in html


def test_a_failed_csrf_check_gives_the_branded_page(make_user):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "anne@paris.fr", "password": "x"})
    assert response.status_code == 403
    assert "The form could not be accepted" in response.content.decode()
    assert 'class="site-header"' in response.content.decode()


# --- Favicon -------------------------------------------------------------------
def test_the_favicon_answers_and_is_linked_from_every_page(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
    assert '<link rel="icon" href="/static/favicon.ico"' in client.get(reverse("home")).content.decode()


# --- /health/ ------------------------------------------------------------------
@pytest.fixture
def unreachable_database(monkeypatch):
    def fail(self, sql, params=None):
        raise OperationalError("could not connect to server")

    from django.db.backends.utils import CursorWrapper

    monkeypatch.setattr(CursorWrapper, "execute", fail)


def test_health_is_200_when_the_database_answers(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_health_is_503_when_the_database_does_not(client, unreachable_database):
    response = client.get("/health/")
    assert response.status_code == 503


def test_health_answers_a_load_balancer_by_ip_over_plain_http(settings):
    settings.ALLOWED_HOSTS = ["portal.we-gov.org"]
    settings.SECURE_SSL_REDIRECT = True
    response = Client(HTTP_HOST="10.0.0.7").get("/health/")
    assert response.status_code == 200
    # Anything else on that host is refused, and redirected to HTTPS on the right one.
    assert Client(HTTP_HOST="10.0.0.7").get("/").status_code == 400
    assert Client(HTTP_HOST="portal.we-gov.org").get("/").status_code == 301


def test_health_keeps_its_details_from_anonymous_visitors_and_members(client, make_user, settings):
    settings.HEALTH_TOKEN = "s3cret-token-of-the-monitoring"
    assert client.get("/health/").content == b"ok\n"
    assert client.get("/health/?token=wrong").content == b"ok\n"
    assert client.get("/health/", HTTP_AUTHORIZATION="Bearer wrong").content == b"ok\n"
    client.force_login(make_user())
    assert client.get("/health/").content == b"ok\n"


def test_without_a_token_set_no_token_opens_the_details(client, settings):
    settings.HEALTH_TOKEN = ""
    assert client.get("/health/?token=").content == b"ok\n"
    assert client.get("/health/", HTTP_AUTHORIZATION="Bearer ").content == b"ok\n"


def test_health_shows_its_details_to_the_token_and_to_staff(client, settings, staff_user):
    settings.HEALTH_TOKEN = "s3cret-token-of-the-monitoring"
    by_header = client.get("/health/", HTTP_AUTHORIZATION="Bearer s3cret-token-of-the-monitoring")
    by_query = client.get("/health/?token=s3cret-token-of-the-monitoring")
    for response in (by_header, by_query):
        assert response.status_code == 200
        assert response.json()["database"] == {"ok": True}
    client.force_login(staff_user)
    assert client.get("/health/").json()["status"] == "ok"


def test_health_details_report_a_database_down_with_503(client, settings, unreachable_database):
    settings.HEALTH_TOKEN = "t0ken-t0ken-t0ken"
    response = client.get("/health/?token=t0ken-t0ken-t0ken")
    assert response.status_code == 503
    report = response.json()
    assert report["status"] == "unavailable"
    assert report["database"]["ok"] is False
    assert "outbox" not in report


def _details(client, settings):
    settings.HEALTH_TOKEN = "t0ken-t0ken-t0ken"
    return client.get("/health/?token=t0ken-t0ken-t0ken").json()


def test_health_reports_the_cache_and_the_broker(client, settings):
    report = _details(client, settings)
    assert report["cache"] == {"ok": True}
    assert report["broker"] == {"ok": True, "mode": "redis"}  # the suite's Redis broker
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    assert _details(client, settings)["broker"]["ok"] is False
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert _details(client, settings)["broker"] == {"ok": True, "mode": "eager"}


def test_health_reports_a_cache_that_fails(client, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    report = _details(client, settings)
    assert report["cache"]["ok"] is False
    assert report["beat"]["last_run_at"] is None and "error" in report["beat"]


def test_health_reports_the_outbox_backlog_and_its_oldest_pending_delivery(client, settings):
    now = timezone.now()
    notification = Notification.objects.create(kind="meeting_convened")
    for status, minutes in [
        (DeliveryStatus.QUEUED, 30),
        (DeliveryStatus.SENDING, 5),
        (DeliveryStatus.SENT, 120),
        (DeliveryStatus.FAILED, 90),
    ]:
        Delivery.objects.create(
            notification=notification,
            email=f"{status}@example.org",
            status=status,
            created_at=now - datetime.timedelta(minutes=minutes),
        )
    outbox = _details(client, settings)["outbox"]
    assert outbox["backlog"] == 2
    assert 30 * 60 <= outbox["oldest_pending_age_seconds"] < 31 * 60
    assert outbox["oldest_pending_at"] == (now - datetime.timedelta(minutes=30)).isoformat()


def test_health_reports_an_empty_outbox(client, settings):
    outbox = _details(client, settings)["outbox"]
    assert outbox == {"backlog": 0, "oldest_pending_at": None, "oldest_pending_age_seconds": None}


def test_health_reports_how_long_ago_beat_last_ran_the_sweep(client, settings):
    cache.delete(SWEEP_LAST_RUN_KEY)
    assert _details(client, settings)["beat"] == {"last_run_at": None, "age_seconds": None}
    sweep_task()
    beat = _details(client, settings)["beat"]
    assert 0 <= beat["age_seconds"] < 5
    cache.set(SWEEP_LAST_RUN_KEY, (timezone.now() - datetime.timedelta(minutes=10)).isoformat())
    assert 600 <= _details(client, settings)["beat"]["age_seconds"] < 605
    cache.delete(SWEEP_LAST_RUN_KEY)


def test_health_json_is_one_parseable_document(client, settings):
    settings.HEALTH_TOKEN = "t0ken-t0ken-t0ken"
    response = client.get("/health/", HTTP_AUTHORIZATION="Bearer t0ken-t0ken-t0ken")
    assert response["Content-Type"] == "application/json"
    assert set(json.loads(response.content)) == {"status", "time", "database", "cache", "broker", "outbox", "beat"}


@pytest.mark.parametrize(
    "language, heading",
    [("fr", "Cette page n’existe pas"), ("es", "Esta página no existe"), ("ko", "이 페이지는 존재하지 않습니다")],
)
def test_the_error_pages_speak_the_visitors_language(client, language, heading):
    html = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert heading in html
