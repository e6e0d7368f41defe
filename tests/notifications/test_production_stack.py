"""A smoke test of the production stack together: gunicorn, a Celery worker
and beat on PostgreSQL and Redis, with the production settings (SECRET_KEY
set, DEBUG off, ALLOWED_HOSTS, EMAIL_URL at a real SMTP server). A staff
member convenes a meeting through the admin action, over HTTP; each
recipient receives the invitation exactly once."""

import http.client
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from governance.models import MeetingStatus
from governance.notifications.models import Delivery, DeliveryStatus
from tests.notifications.conftest import BASE_DIR, GA_RECIPIENTS, free_port, wait_for

# "smoke": runs in make test like the rest (about 20 s); `-m smoke` runs it alone.
pytestmark = [pytest.mark.smoke, pytest.mark.django_db(transaction=True)]

GUNICORN = str(Path(sys.executable).parent / "gunicorn")
SECRET = "smoke-test-production-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"


@pytest.fixture
def port():
    return free_port()


@pytest.fixture
def celery_env(celery_env, settings, port):
    """The production settings, not the tests' worker settings."""
    return {
        **celery_env,
        "DJANGO_SETTINGS_MODULE": "wego_portal.settings",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"https://127.0.0.1:{port}",
        "CACHE_URL": settings.CACHES["default"]["LOCATION"],
        "PLAIN_STATIC": "1",  # no collectstatic run for a smoke test
        "LOG_LEVEL": "WARNING",
    }


@pytest.fixture
def gunicorn(celery_env, broker, port, tmp_path):
    env = {**celery_env, "CELERY_BROKER_URL": broker}
    log = tmp_path / "gunicorn.log"
    process = subprocess.Popen(
        [GUNICORN, "wego_portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=BASE_DIR,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )

    def healthy():
        assert process.poll() is None, log.read_text()
        try:
            return request(port, "GET", "/health/")[0] == 200
        except OSError:
            return False

    wait_for(healthy, timeout=20, message="gunicorn to answer /health/")
    yield process
    process.terminate()
    process.wait(10)


def request(port, method, path, cookies=None, body=None):
    """One HTTP request as a TLS-terminating proxy would pass it on."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    origin = f"https://127.0.0.1:{port}"
    headers = {"Host": f"127.0.0.1:{port}", "X-Forwarded-Proto": "https", "Origin": origin, "Referer": origin + path}
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    content = response.read()
    set_cookies = {
        value.split("=", 1)[0]: value.split("=", 1)[1].split(";", 1)[0]
        for name, value in response.getheaders()
        if name.lower() == "set-cookie"
    }
    connection.close()
    return response.status, content.decode(), set_cookies, dict(response.getheaders())


def staff_session(settings, user):
    """A logged-in session as the production processes sign it."""
    settings.SECRET_KEY = SECRET
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def test_a_meeting_convened_in_the_admin_reaches_each_recipient_once(
    cast, ga, make_meeting, staff_user, settings, smtp, broker, start_worker, start_beat, gunicorn, port
):
    started = time.monotonic()
    start_worker(broker)
    start_beat(broker)
    meeting = make_meeting(ga, title="Smoke-test General Assembly")

    # Production settings: DEBUG off (the branded 404), HTTPS required.
    status, html, _, _ = request(port, "GET", "/no-such-page/")
    assert status == 404 and "This page does not exist" in html
    plain = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    plain.request("GET", "/members/", headers={"Host": f"127.0.0.1:{port}"})
    assert plain.getresponse().status == 301  # redirected to HTTPS
    plain.close()

    cookies = {"sessionid": staff_session(settings, staff_user)}
    changelist = "/admin/governance/meeting/"
    status, html, set_cookies, _ = request(port, "GET", changelist, cookies)
    assert status == 200, html[:500]
    cookies.update(set_cookies)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    form = {"action": "convene", "_selected_action": meeting.pk, "index": 0, "csrfmiddlewaretoken": token}
    status, html, _, _ = request(port, "POST", changelist, cookies, urlencode(form))
    assert status == 200 and "Convene these meetings?" in html, html[:500]  # it asks first
    assert meeting.status == MeetingStatus.PLANNED
    form["confirmed"] = "yes"
    status, html, _, headers = request(port, "POST", changelist, cookies, urlencode(form))
    assert status == 302 and headers["Location"].endswith(changelist), html[:500]
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CONVENED

    wait_for(lambda: len(smtp.recipients()) >= len(GA_RECIPIENTS), timeout=20, message="the invitations")
    wait_for(lambda: not Delivery.objects.exclude(status=DeliveryStatus.SENT).exists(), timeout=10, message="all sent")
    time.sleep(1.5)  # room for a duplicate to arrive, if the stack sent one
    assert sorted(smtp.recipients()) == sorted(GA_RECIPIENTS)
    for address in GA_RECIPIENTS:
        (message,) = smtp.messages_to(address)
        assert "Smoke-test General Assembly" in message["Subject"]
        assert message["Auto-Submitted"] == "auto-generated"
        (calendar,) = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
        assert f"mailto:{address}" in calendar.get_content().replace("\r\n ", "")
    assert time.monotonic() - started < 30
