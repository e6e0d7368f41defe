"""Voting benchmark: N members cast their ballots at once under gunicorn
(production settings, PostgreSQL, Redis), then the secretariat closes and
counts the poll.

Not a test: it prints figures. It builds a PostgreSQL database
``wego_bench_voting_<N>`` (the reference data, N full members each with a
login, a convened General Assembly with all of them present and one poll
opened, so the roll is frozen), starts gunicorn on 127.0.0.1 like
bench/load.py, and then each member, from ``--clients`` threads at once:

- opens its voting page (GET, as a browser would, to read the form), and
- casts its ballot (POST), and a second time to check it is refused.

It reports how long the N ballots took, the latency of a cast (p50, p99),
then the time the secretariat's "close" takes (count, snapshot, outcome,
results notice recorded for every recipient), and checks in the database
that there is exactly one ballot per member: none lost, none doubled.

    .venv/bin/python bench/voting.py --members 1000 [--clients 12] [--workers 6] [--secret]
"""

import argparse
import http.client
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE_DIR))

from bench.load import database_exists, production_env, run_sql_on_server, start_gunicorn  # noqa: E402


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=1000, help="members casting a ballot (default 1,000)")
    parser.add_argument("--clients", type=int, default=12, help="members voting at the same moment")
    parser.add_argument("--secret", action="store_true", help="a secret poll (the default is named)")
    # A process per request in flight: threads of one process wait on each
    # other's interpreter lock (measured: 2 × 4 threads 80 s, 4 × 2 70 s, 6 × 1 56 s).
    parser.add_argument("--workers", type=int, default=3 * (os.cpu_count() or 2), help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (gthread)")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--populate", help=argparse.SUPPRESS)  # internal: run inside Django
    parser.add_argument("--check", help=argparse.SUPPRESS)  # internal: count the ballots
    return parser.parse_args()


def populate(members, secret, out):
    """Inside Django: N voters with sessions, a convened GA, its poll opened."""
    import datetime

    import django

    django.setup()
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.core.management import call_command
    from django.utils import timezone
    from django.utils.module_loading import import_string

    from governance.models import AgendaItem, Attendance, Body, BodySlug, Meeting, MeetingStatus, Poll, Term
    from governance.services import voting
    from members.models import Contact, ContactRole, Membership, MembershipCategory, Organisation, User

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    call_command("load_wego_data", verbosity=0)
    category = MembershipCategory.objects.get(slug="full-member")
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Bench Vote City {n}", slug=f"bench-vote-{n}", kind="local_government", country="KR")
        for n in range(members)
    )
    Membership.objects.bulk_create(Membership(organisation=o, category=category) for o in organisations)
    users = User.objects.bulk_create(
        User(email=f"voter{n}@bench.example", password="!", name=f"Voter {n}") for n in range(members)
    )
    contacts = Contact.objects.bulk_create(
        Contact(organisation=o, user=u, name=u.name, email=u.email) for o, u in zip(organisations, users, strict=True)
    )
    ContactRole.objects.bulk_create(
        ContactRole(contact=c, role="focal_point", start_date=datetime.date(2020, 1, 1)) for c in contacts
    )
    staff = User.objects.create_user(email="secretariat@bench.example", password=secrets.token_hex(), is_staff=True)
    TOTP.activate(staff, generate_totp_secret())

    term = Term.objects.current().first()
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=1)
    meeting = Meeting.objects.create(
        body=Body.objects.get(slug=BodySlug.GENERAL_ASSEMBLY),
        term=term,
        title="Bench General Assembly",
        slug="bench-ga",
        start=start,
        end=start + datetime.timedelta(hours=4),
        venue="Bench Hall",
        status=MeetingStatus.CONVENED,
    )
    item = AgendaItem.objects.create(meeting=meeting, title="The benchmark resolution", position=1)
    present = Organisation.objects.current_members().filter(membership__category__has_vote=True)
    Attendance.objects.bulk_create(Attendance(meeting=meeting, organisation=o) for o in present)
    poll = Poll.objects.create(meeting=meeting, agenda_item=item, title="Adopt the benchmark", secret=secret)
    voting.open_poll(poll.pk, staff.pk)

    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    backend = settings.AUTHENTICATION_BACKENDS[0]

    def session_of(user):
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        return session.session_key

    voters = [{"session": session_of(u), "organisation": o.pk} for u, o in zip(users, organisations, strict=True)]
    Path(out).write_text(
        json.dumps(
            {
                "meeting": meeting.slug,
                "poll": poll.pk,
                "voters": voters,
                "staff": session_of(staff),
                "cookie": settings.SESSION_COOKIE_NAME,
                "roll": voting.roll_of(meeting).count(),
            }
        )
    )


def check(poll_id):
    """Inside Django: ballots per member, and the poll's recorded count."""
    import django

    django.setup()
    from django.db.models import Count

    from governance.models import Ballot, Poll

    poll = Poll.objects.get(pk=poll_id)
    per_member = Ballot.objects.filter(poll=poll).values("organisation").annotate(n=Count("pk"))
    print(
        json.dumps(
            {
                "ballots": Ballot.objects.filter(poll=poll).count(),
                "members": per_member.count(),
                "doubled": per_member.filter(n__gt=1).count(),
                "counted": poll.counts["voters"] if poll.counts else None,
                "result": poll.result,
            }
        )
    )


class Voter:
    """One member's browser: its session cookie and a CSRF token of its own."""

    def __init__(self, port, cookie_name, session):
        self.port = port
        self.csrf = secrets.token_hex(16)  # an unmasked 32-character secret, as Django accepts
        self.cookie = f"{cookie_name}={session}; csrftoken={self.csrf}"

    def request(self, method, path, body=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": self.cookie, "X-CSRFToken": self.csrf}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            return response.status, response.getheader("Location") or ""
        finally:
            connection.close()


def vote_all(arguments, plan):
    """Every member opens its page and casts its ballot, ``--clients`` at a time."""
    slug, poll = plan["meeting"], plan["poll"]
    queue = list(enumerate(plan["voters"]))
    lock = threading.Lock()
    latencies, failures, seconds_refused = [], [], []

    def work():
        while True:
            with lock:
                if not queue:
                    return
                number, voter = queue.pop()
            browser = Voter(arguments.port, plan["cookie"], voter["session"])
            status, _ = browser.request("GET", f"/meetings/{slug}/votes/")
            if status != 200:
                failures.append(("page", number, status))
                continue
            path = f"/meetings/{slug}/votes/polls/{poll}/members/{voter['organisation']}/"
            choice = ("yes", "no", "abstain")[number % 3]
            begin = time.perf_counter()
            status, location = browser.request("POST", path, f"choice={choice}")
            elapsed = time.perf_counter() - begin
            # A named ballot is answered by a redirect; a secret one by the page
            # with the receipt code, shown there once.
            if status != (200 if arguments.secret else 302) or "login" in location:
                failures.append(("cast", number, status))
                continue
            with lock:
                latencies.append(elapsed)
            if number % 10 == 0:  # a tenth try again: the second must change nothing
                seconds_refused.append(browser.request("POST", path, "choice=no")[0])

    began = time.perf_counter()
    threads = [threading.Thread(target=work) for _ in range(arguments.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began, latencies, failures, seconds_refused


def main():
    arguments = parse_arguments()
    if arguments.populate:
        populate(arguments.members, arguments.secret, arguments.populate)
        return
    if arguments.check:
        check(int(arguments.check))
        return

    name = f"wego_bench_voting_{arguments.members}"
    var_dir = Path(tempfile.mkdtemp(prefix="wego-bench-voting-"))
    plan_file = var_dir / "plan.json"
    env = production_env(arguments, name, var_dir)
    # The results notice is recorded in the outbox when the poll closes; with
    # no broker it would be sent in-process, so none is named: its deliveries
    # stay queued, as they would for a worker to send.
    env["CELERY_BROKER_URL"] = "redis://127.0.0.1:1/0"
    if database_exists(arguments.database_url, name):
        run_sql_on_server(arguments.database_url, f'DROP DATABASE "{name}"')
    run_sql_on_server(arguments.database_url, f'CREATE DATABASE "{name}"')
    import redis

    redis.Redis.from_url(arguments.redis).flushdb()
    began = time.monotonic()
    command = [sys.executable, __file__, "--members", str(arguments.members), "--populate", str(plan_file)]
    subprocess.run([*command, *(["--secret"] if arguments.secret else [])], cwd=BASE_DIR, env=env, check=True)
    plan = json.loads(plan_file.read_text())
    print(f"database {name}: {arguments.members:,} voters, poll open, in {time.monotonic() - began:.0f} s")

    server = start_gunicorn(arguments, env)
    try:
        seconds, latencies, failures, refused = vote_all(arguments, plan)
        staff = Voter(arguments.port, plan["cookie"], plan["staff"])
        begin = time.perf_counter()
        status, _ = staff.request("POST", f"/meetings/{plan['meeting']}/votes/live/polls/{plan['poll']}/close/")
        close_seconds = time.perf_counter() - begin
        checked = subprocess.run(
            [sys.executable, __file__, "--check", str(plan["poll"])],
            cwd=BASE_DIR,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        counts = json.loads(checked.stdout.strip().splitlines()[-1])
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(var_dir, ignore_errors=True)
        if not arguments.keep:
            run_sql_on_server(arguments.database_url, f'DROP DATABASE IF EXISTS "{name}"')

    cast = len(latencies)
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0] * 99
    kind = "secret" if arguments.secret else "named"
    print(
        f"\n{arguments.members:,} members, a {kind} poll; gunicorn {arguments.workers} workers × "
        f"{arguments.threads} threads; {arguments.clients} members voting at once\n"
    )
    print(f"ballots cast: {cast:,} of {arguments.members:,} in {seconds:.1f} s ({cast / seconds:.0f} a second)")
    print(f"a cast (POST): p50 {quantiles[49] * 1000:.0f} ms, p99 {quantiles[98] * 1000:.0f} ms")
    print(f"failed requests: {len(failures)}{' ' + str(failures[:5]) if failures else ''}")
    print(f"second ballots refused: {sum(1 for s in refused if s == 302)} of {len(refused)} tried (none stored)")
    print(f"close and count (HTTP {status}): {close_seconds * 1000:.0f} ms")
    print(
        f"in the database: {counts['ballots']:,} ballots for {counts['members']:,} members, "
        f"{counts['doubled']} doubled; counted {counts['counted']:,}; result {counts['result']}"
    )
    ok = counts["ballots"] == cast == arguments.members and counts["doubled"] == 0 and counts["counted"] == cast
    print("no ballot lost or doubled" if ok else "MISMATCH: ballots lost or doubled")
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
