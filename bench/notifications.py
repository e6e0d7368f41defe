"""How fast the outbox delivers a large fan-out, against a plain smtplib loop.

Not a test: it prints figures. In one run and one database it records one
notice to ``--count`` recipients (10,000 by default), then sends the very
same messages twice to a local SMTP sink (aiosmtpd on 127.0.0.1):

1. a plain loop: pre-rendered messages over one smtplib connection, nothing
   else (the floor: what SMTP alone costs here);
2. the outbox: a real ``celery -A wego_portal worker`` (one process per core)
   rendering each message, claiming each batch and marking what was sent in
   PostgreSQL, batches over shared SMTP connections;
3. the plain loop again (the machine's load may have changed meanwhile);

and prints messages per second for each and the ratio of the outbox to the
mean of the two plain loops, with the load average around them. Run it against
PostgreSQL and a Redis database of its own, with the variables `make test`
sets (the database is a fresh ``bench_notifications_*`` one, dropped after):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wego \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/6 \\
    .venv/bin/python bench/notifications.py [--count 10000] [--concurrency 2]
"""

import argparse
import logging
import os
import signal
import smtplib
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from unittest import mock

BASE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wego_portal.settings")

import django  # noqa: E402

django.setup()

from aiosmtpd.controller import Controller  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


class Sink:
    """An SMTP server that accepts and counts (and keeps nothing)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.count = 0
        self.peers = set()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            self.peers.add(session.peer)
        return "250 2.0.0 Accepted"

    def reset(self):
        with self.lock:
            self.count = 0
            self.peers = set()


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_recipients(count):
    from members.models import Contact, Membership, MembershipCategory, Organisation

    category, _ = MembershipCategory.objects.get_or_create(
        slug="full-member", defaults={"name": "Full Member", "has_vote": True, "kind": "local_government"}
    )
    per_organisation = 50
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Bench City {i}", slug=f"bench-city-{i}", country="DE", kind="local_government")
        for i in range((count + per_organisation - 1) // per_organisation)
    )
    Membership.objects.bulk_create(Membership(organisation=o, category=category) for o in organisations)
    contacts = Contact.objects.bulk_create(
        Contact(
            organisation=organisations[i // per_organisation],
            name=f"Delegate {i}",
            email=f"delegate{i}@bench.example",
            language=("en", "fr", "es", "ko")[i % 4],
        )
        for i in range(count)
    )
    for contact in contacts:
        contact.notice_role = "focal_point"
    return contacts


def record(contacts):
    """The request's side: one notice and a delivery per recipient, in one
    transaction. Dispatch is held back so both loops start from the same rows."""
    from governance.notifications import services
    from governance.notifications.models import NotificationKind

    text = "The Secretariat informs the members of WeGO.\n" * 20
    with mock.patch.object(services, "enqueue"), transaction.atomic():
        begin = time.perf_counter()
        notification = services.notify(
            NotificationKind.ANNOUNCEMENT,
            contacts[0].organisation,
            contacts,
            payload={"title": "Benchmark notice", "text": text},
        )
        elapsed = time.perf_counter() - begin
    return notification, elapsed


def plain_loop(notification, port):
    """The same messages, rendered beforehand, over one smtplib connection."""
    from governance.notifications.emails import build_message

    deliveries = list(notification.deliveries.select_related("notification", "contact__organisation").order_by("pk"))
    subject = notification.subject
    messages = []
    for delivery in deliveries:
        message = build_message(delivery, subject)
        messages.append((message.from_email, [delivery.email], message.message().as_bytes(linesep="\r\n")))
    begin = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for from_email, to, data in messages:
            smtp.sendmail(from_email, to, data)
    return time.perf_counter() - begin


def start_worker(port, concurrency, log):
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "DJANGO_SETTINGS_MODULE": "wego_portal.settings",
        "CONN_MAX_AGE": "600",
        # As in production: with DEBUG on, Django keeps every query in memory.
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-not-a-secret",
        "DEBUG": "0",
        "CACHE_URL": os.environ.get("CACHE_URL") or os.environ["CELERY_BROKER_URL"],
    }
    worker = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "wego_portal",
            "worker",
            "-l",
            "WARNING",
            "-c",
            str(concurrency),
            "-n",
            f"bench-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return worker


def database_url():
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_until_ready(worker, log_path, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise SystemExit(f"the worker exited:\n{Path(log_path).read_text()}")
        # -l WARNING hides "ready.": ping it instead.
        from wego_portal.celery import app

        if app.control.ping(timeout=0.5):
            return
    raise SystemExit("the worker did not start")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 2)
    arguments = parser.parse_args()
    if connection.vendor != "postgresql" or not os.environ.get("CELERY_BROKER_URL", "").startswith("redis"):
        raise SystemExit("Set DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis), as `make test` does.")

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd: a line per SMTP command
    setup_test_environment()
    connection.settings_dict["TEST"]["NAME"] = f"bench_notifications_{connection.settings_dict['NAME']}"
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    worker = None
    try:
        contacts = make_recipients(arguments.count)
        notification, recording = record(contacts)
        connection.close()  # the worker gets the database to itself below

        load_before = os.getloadavg()[0]
        plain_before = plain_loop(notification, controller.port)
        assert sink.count == arguments.count, (sink.count, arguments.count)
        sink.reset()

        with tempfile.NamedTemporaryFile("w+", suffix=".log") as log:
            worker = start_worker(controller.port, arguments.concurrency, log)
            wait_until_ready(worker, log.name)
            from governance.notifications import services
            from governance.notifications.models import DeliveryStatus

            begin = time.perf_counter()
            services.enqueue(services.dispatch_notification_task, notification.pk)
            while sink.count < arguments.count:
                time.sleep(0.05)
                if worker.poll() is not None:
                    raise SystemExit(f"the worker died:\n{Path(log.name).read_text()}")
            outbox = time.perf_counter() - begin
            time.sleep(0.5)  # the last marks
            sent = notification.deliveries.filter(status=DeliveryStatus.SENT).count()
            at_the_sink, worker_connections = sink.count, len(sink.peers)
        connection.close()
        # The plain loop again, after: on a shared machine the neighbours'
        # load changes from minute to minute; the ratio is to the mean of both.
        sink.reset()
        plain_after = plain_loop(notification, controller.port)
        plain = (plain_before + plain_after) / 2
        load_after = os.getloadavg()[0]

        print(
            f"{arguments.count:,} deliveries, worker concurrency {arguments.concurrency}, "
            f"batches of {services.conf.get('NOTIFICATIONS_BATCH_SIZE')}"
        )
        print(f"recording the notice and its deliveries (one transaction): {recording:.2f}s")
        print(f"{'':28} {'seconds':>8} {'messages/s':>11}")
        print(f"{'plain smtplib loop, before':28} {plain_before:8.2f} {arguments.count / plain_before:11.0f}")
        print(f"{'plain smtplib loop, after':28} {plain_after:8.2f} {arguments.count / plain_after:11.0f}")
        print(f"{'outbox through the worker':28} {outbox:8.2f} {arguments.count / outbox:11.0f}")
        print(f"ratio (outbox / mean of the plain loops): {plain / outbox:.2f}")
        print(f"load average (1 min): {load_before:.1f} before, {load_after:.1f} after")
        print(
            f"SMTP connections used by the worker: {worker_connections}; "
            f"messages at the sink: {at_the_sink:,}; marked sent: {sent:,}"
        )
        if at_the_sink != arguments.count or sent != arguments.count:
            raise SystemExit("not every delivery was sent exactly once")
    finally:
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(30)
        controller.stop()
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
