"""The real things the notification tests run against, each started by the
test that needs it and stopped by it:

- an SMTP server (aiosmtpd) on a free port, recording what arrives, that can
  answer 451 or 550, or hold messages unanswered;
- a Celery worker (and beat) as subprocesses, ``celery -A wego_portal
  worker``, on the test database and broker;
- a Redis server of their own, for the tests that stop and start Redis (the
  machine's Redis is shared and is never stopped).
"""

import email
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from email import policy
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

from wego_portal.celery import app as celery_app

BASE_DIR = Path(settings.BASE_DIR)
CELERY = str(Path(sys.executable).parent / "celery")
REDIS_SERVER = "/usr/bin/redis-server"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout=30, interval=0.05, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout}s waiting for {message}")


# --- SMTP -------------------------------------------------------------------
class RecordingHandler:
    """An SMTP server's handler that keeps what it accepted.

    ``answers[address]``: replies to give, one per attempt, before accepting
    (e.g. ["451 4.3.0 Try again later"]). ``refuse[address]``: a reply to RCPT
    TO, every time (e.g. "550 5.1.1 No such user"). ``hold_after``: accept
    that many messages, then leave every later one unanswered (and unrecorded,
    as a real server would not deliver a message it never acknowledged) until
    ``release()``. ``on_accept(address, session)``: called (in the server's
    thread) for each message it is about to accept, before it answers 250.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.received = []
        self.answers = {}
        self.refuse = {}
        self.attempts = {}
        self.hold_after = None
        self.held = 0
        self.on_accept = None
        self._released = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return self.refuse[address.lower()]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        (address,) = envelope.rcpt_tos
        address = address.lower()
        with self.lock:
            if self.hold_after is not None and len(self.received) >= self.hold_after:
                self.held += 1
                hold = True
            else:
                hold = False
                self.attempts[address] = self.attempts.get(address, 0) + 1
                pending = self.answers.get(address) or []
                answer = pending.pop(0) if pending else None
                if answer is None:
                    message = email.message_from_bytes(envelope.original_content, policy=policy.default)
                    self.received.append({"to": address, "message": message, "peer": session.peer})
        if not hold and answer is None and self.on_accept is not None:
            self.on_accept(address, session)
        if hold:
            while not self._released.is_set():
                await asyncio.sleep(0.05)
            return "421 4.3.2 Shutting down"
        return answer or "250 2.0.0 Accepted"

    def release(self):
        self._released.set()

    # What arrived, as the tests ask it.
    def recipients(self):
        with self.lock:
            return [entry["to"] for entry in self.received]

    def messages_to(self, address):
        with self.lock:
            return [entry["message"] for entry in self.received if entry["to"] == address.lower()]

    def connections(self):
        with self.lock:
            return {entry["peer"] for entry in self.received}


@pytest.fixture
def smtp():
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.url = f"smtp://127.0.0.1:{controller.port}"
    handler.port = controller.port
    yield handler
    handler.release()
    controller.stop()


@pytest.fixture
def smtp_backend(settings, smtp):
    """Point the test process's own e-mail at the test SMTP server."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    return smtp


# --- Brokers ----------------------------------------------------------------
def point_celery_at(url):
    """Make this process publish to ``url`` (connections are pooled per app).

    The write URL, because CELERY_BROKER_URL in the environment (make test
    sets it) wins over ``conf.broker_url``."""
    previous = celery_app.conf.get("broker_write_url")
    celery_app.conf.broker_write_url = url
    celery_app._pool = None
    try:
        celery_app.amqp._producer_pool = None
    except AttributeError:
        pass
    return previous


class RedisServer:
    """A redis-server of the test's own, on 127.0.0.1 and a free port."""

    def __init__(self, tmp_path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = tmp_path / f"redis-{self.port}.log"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        client = redis.Redis(port=self.port)
        wait_for(lambda: self._ping(client), timeout=10, message="redis-server to start")

    @staticmethod
    def _ping(client):
        try:
            return client.ping()
        except redis.ConnectionError:
            return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None


@pytest.fixture
def own_redis(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def broker(settings):
    """The suite's broker (TEST_BROKER_URL), emptied before and after."""
    url = settings.CELERY_BROKER_URL
    if not url.startswith("redis://"):
        pytest.skip("needs CELERY_BROKER_URL pointing at Redis (make test sets it)")
    client = redis.Redis.from_url(url)
    client.flushdb()
    previous = point_celery_at(url)
    yield url
    point_celery_at(previous)
    client.flushdb()


@pytest.fixture
def use_broker():
    """Publish to another broker (the test's own Redis) for one test."""
    previous = []

    def use(url):
        previous.append(point_celery_at(url))

    yield use
    if previous:
        point_celery_at(previous[0])


# --- Celery worker and beat -------------------------------------------------
def database_url_of_tests():
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the worker tests run on PostgreSQL")
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class CeleryProcess:
    """``celery -A wego_portal worker`` (or beat), in its own process group
    so that a kill reaches the pool's children too."""

    def __init__(self, args, env, log):
        self.log = log
        self.process = subprocess.Popen(
            [CELERY, "-A", "wego_portal", *args],
            cwd=BASE_DIR,
            env=env,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self):
        return self.log.read_text(errors="replace")

    def wait_ready(self, marker, timeout=30):
        def ready():
            if self.process.poll() is not None:
                raise AssertionError(f"celery exited with {self.process.returncode}:\n{self.output()}")
            return marker in self.output()

        wait_for(ready, timeout=timeout, message=f"celery to log {marker!r}")

    def kill(self):
        """SIGKILL, no goodbye: the worker and its pool children die at once."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def celery_env(smtp):
    """The environment of a worker on the test database, broker and SMTP server."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env.update(
        DATABASE_URL=database_url_of_tests(),
        EMAIL_URL=smtp.url,
        DJANGO_SETTINGS_MODULE="tests.notifications.worker_settings",
        CONN_MAX_AGE="0",
        PYTHONPATH=str(BASE_DIR),
    )
    env.pop("SECRET_KEY", None)
    return env


@pytest.fixture
def start_worker(celery_env, tmp_path):
    started = []

    def start(broker_url, concurrency=2):
        env = {**celery_env, "CELERY_BROKER_URL": broker_url}
        name = f"notify-{uuid.uuid4().hex[:8]}@%h"
        log = tmp_path / f"worker-{len(started)}.log"
        worker = CeleryProcess(
            [
                "worker",
                "-l",
                "INFO",
                "-c",
                str(concurrency),
                "-n",
                name,
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            env,
            log,
        )
        started.append(worker)
        worker.wait_ready(" ready.")
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def start_beat(celery_env, tmp_path):
    started = []

    def start(broker_url):
        env = {**celery_env, "CELERY_BROKER_URL": broker_url}
        beat = CeleryProcess(
            [
                "beat",
                "-l",
                "INFO",
                "-s",
                str(tmp_path / f"beat-schedule-{len(started)}"),
                "--pidfile",
                str(tmp_path / f"beat-{len(started)}.pid"),
            ],
            env,
            tmp_path / f"beat-{len(started)}.log",
        )
        started.append(beat)
        beat.wait_ready("beat: Starting...")
        return beat

    yield start
    for beat in started:
        beat.stop()


# --- Recipients ---------------------------------------------------------------
@pytest.fixture
def make_recipients(make_member, make_contact):
    """``count`` member organisations, each with a focal point."""

    def make(count, **contact_fields):
        contacts = []
        for _ in range(count):
            contact = make_contact(make_member(), **contact_fields)
            contact.notice_role = "focal_point"
            contacts.append(contact)
        return contacts

    return make


# --- Meetings: the cast ---------------------------------------------------------
@pytest.fixture
def cast(make_member, make_contact, excom, term, associate_category):
    """Who may hear of which meeting.

    - Seoul: full member on EXCOM; a focal point (Korean), a GA delegate
      (French) and a technical contact (no notices);
    - Paris: full member off EXCOM; a focal point (French) and a focal point
      whose role ended;
    - Partner: a non-voting member off EXCOM; a focal point;
    - Gone: a withdrawn member; a focal point.
    """
    import datetime

    from governance.models import Office, Post, PostRole
    from members.models import ContactRole, ContactRoleType

    seat = Post.objects.get_or_create(
        slug="excom-member-city",
        defaults={"body": excom, "label": "EXCOM member city", "role": PostRole.MEMBER, "max_holders": None},
    )[0]
    seoul = make_member("Seoul", country="KR")
    Office.objects.create(post=seat, term=term, organisation=seoul, start_date=term.start_date)
    paris = make_member("Paris")
    partner = make_member("Partner Institute", category=associate_category)
    gone = make_member("Gone City", standing="withdrawn")

    people = {
        "seoul_focal": make_contact(seoul, email="focal@seoul.example", language="ko"),
        "seoul_delegate": make_contact(
            seoul, role=ContactRoleType.GA_DELEGATE, email="delegate@seoul.example", language="fr"
        ),
        "seoul_technical": make_contact(seoul, role=ContactRoleType.TECHNICAL, email="tech@seoul.example"),
        "paris_focal": make_contact(paris, email="focal@paris.example", language="fr"),
        "paris_former": make_contact(paris, email="former@paris.example"),
        "partner_focal": make_contact(partner, email="focal@partner.example", language="es"),
        "gone_focal": make_contact(gone, email="focal@gone.example"),
    }
    ContactRole.objects.filter(contact=people["paris_former"]).update(end_date=datetime.date(2021, 1, 1))
    return {"seoul": seoul, "paris": paris, "partner": partner, "gone": gone, **people}


GA_RECIPIENTS = {
    "focal@seoul.example",
    "delegate@seoul.example",
    "focal@paris.example",
    "focal@partner.example",
}
EXCOM_RECIPIENTS = {"focal@seoul.example", "delegate@seoul.example"}


@pytest.fixture
def make_meeting(term):
    """A planned meeting ``days`` from now, in Paris time."""
    import datetime

    from django.utils import timezone

    from governance.models import Meeting

    def make(body, days=40, **fields):
        start = (timezone.now() + datetime.timedelta(days=days)).replace(microsecond=0)
        fields.setdefault("end", start + datetime.timedelta(hours=6))
        fields.setdefault("venue", "Hôtel de Ville, Paris")
        fields.setdefault("time_zone", "Europe/Paris")
        return Meeting.objects.create(body=body, term=term, start=start, **fields)

    return make
