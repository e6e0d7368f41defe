"""Load benchmark of the public pages: gunicorn, production settings,
PostgreSQL and Redis, driven by a real load generator (autocannon, from npm).

Not a test: it prints figures. One command builds a PostgreSQL database
``wego_bench_<N>`` with the reference data and N members in all (bulk
inserts), starts gunicorn on 127.0.0.1 with the production settings (DEBUG
off, a Redis cache database of its own, WhiteNoise, gthread workers with
keep-alive), and measures each public page:

- req/s: throughput with ``--connections`` keep-alive connections for
  ``--duration`` seconds, and its ratio to a trivial view (``HttpResponse("ok")``
  behind the same middleware, bench/urls.py) measured in the same run, just
  after the page (so that a neighbour's load weighs on both alike);
- p50 / p99: latency at a fixed rate of ``--rate`` requests a second;
- KB: the page's weight (its HTML, uncompressed; the load runs ask for
  gzip, as browsers do);
- miss ms: one request that the anonymous cache cannot answer (a query
  string the page ignores), median of five: what a page costs to render;
- after a change ms: the first request after a change of the data (every
  cached page and figure forgotten), median of three;
- load: the machine's 1-minute load average after the page's runs (the
  machine may be shared).

    make bench N=10000
    .venv/bin/python bench/load.py --members 10000 [--duration 5] [--rate 50]

Needs PostgreSQL (``--database-url``, default postgres://postgres@127.0.0.1:5432),
Redis (``--redis``, default DB 3) and ``npm ci`` (autocannon). The database is
dropped afterwards unless ``--keep``; the Redis database is emptied first.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
AUTOCANNON = BASE_DIR / "node_modules" / ".bin" / "autocannon"

PAGES = [
    ("trivial view (baseline)", "/bench/ok"),
    ("/ (home)", "/"),
    ("/members/", "/members/"),
    ("/members/?q=seoul", "/members/?q=seoul"),
    ("/members/?page=200", "/members/?page=200"),
    ("a member's profile", "/members/seoul/"),
    ("/members/export.json?country=KR", "/members/export.json?country=KR"),
    ("/members/map.json", "/members/map.json"),
    ("/members/map.json?cell=25,61 (one cell)", "/members/map.json?cell=25,61"),
    ("/governance/", "/governance/"),
    ("/meetings/", "/meetings/"),
]


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=10_000, help="members in all (default 10,000)")
    parser.add_argument("--duration", type=int, default=5, help="seconds of throughput per page")
    parser.add_argument("--rate", type=int, default=50, help="the fixed rate of the latency run (req/s)")
    parser.add_argument("--rate-duration", type=int, default=8, help="seconds of the fixed-rate run per page")
    parser.add_argument("--connections", type=int, default=8, help="keep-alive connections of the throughput run")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (gthread)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/3")
    parser.add_argument("--keep", action="store_true", help="keep the database (and reuse it next time)")
    parser.add_argument("--populate", type=int, help=argparse.SUPPRESS)  # internal: run inside Django
    return parser.parse_args()


# --- The database ----------------------------------------------------------------------


def populate(total):
    """Inside Django: reference data, then bench members up to ``total``."""
    import django

    django.setup()
    from django.core.management import call_command

    from members.models import Organisation

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    call_command("load_wego_data", verbosity=0)
    missing = total - Organisation.objects.count()
    if missing > 0:
        add_members(missing)
    # Fresh statistics, as autovacuum would have them after a while: without
    # them PostgreSQL plans the bulk-loaded tables as if they were small.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def add_members(missing):
    from django_countries import countries

    from members.models import Membership, MembershipCategory, Organisation
    from members.text import search_text

    category = MembershipCategory.objects.get(slug="full-member")
    codes = [code for code, _ in countries]
    chance = random.Random(2026)
    batch = 5000
    for start in range(0, missing, batch):
        organisations = []
        for number in range(start, min(start + batch, missing)):
            code = codes[number % len(codes)]
            name = f"Bench Città {number}"
            organisations.append(
                Organisation(
                    name=name,
                    slug=f"bench-citta-{number}",
                    kind="local_government",
                    country=code,
                    latitude=round(chance.uniform(-60, 70), 5),
                    longitude=round(chance.uniform(-179, 179), 5),
                    search_text=search_text(name),
                    description="A member city generated by bench/load.py.",
                )
            )
        created = Organisation.objects.bulk_create(organisations)
        Membership.objects.bulk_create(Membership(organisation=o, category=category) for o in created)


def database_exists(server_url, name):
    import psycopg2

    with psycopg2.connect(f"{server_url}/postgres") as connection:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cursor.fetchone() is not None


def run_sql_on_server(server_url, sql):
    import psycopg2

    connection = psycopg2.connect(f"{server_url}/postgres")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()


# --- The server and the load -----------------------------------------------------------


def production_env(arguments, name, var_dir):
    """The environment gunicorn runs in for a benchmark: the production
    settings (DEBUG off) on the database ``name`` and the run's Redis DB."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "DEBUG": "0",
        "DATABASE_URL": f"{arguments.database_url}/{name}",
        "CACHE_URL": arguments.redis,
        "EMAIL_URL": "smtp://127.0.0.1:2525",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "VAR_DIR": str(var_dir),
        "PYTHONPATH": str(BASE_DIR),
    }


def start_gunicorn(arguments, env):
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "wego_portal.wsgi:application",
        f"--bind=127.0.0.1:{arguments.port}",
        f"--workers={arguments.workers}",
        "--worker-class=gthread",
        f"--threads={arguments.threads}",
        "--keep-alive=5",
        "--log-level=warning",
    ]
    server = subprocess.Popen(command, cwd=BASE_DIR, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{arguments.port}/bench/ok", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 30 s")


def fetch(url):
    begin = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        body = response.read()
        if response.status != 200:
            raise SystemExit(f"{url}: HTTP {response.status}")
    return body, time.perf_counter() - begin


def autocannon(url, *options):
    # As a browser asks: a large cached page is sent gzipped.
    command = [str(AUTOCANNON), "--json", "--timeout", "20", "-H", "Accept-Encoding=gzip, deflate", *options, url]
    result = subprocess.run(command, capture_output=True, text=True, check=True, timeout=300)
    report = json.loads(result.stdout)
    if report.get("non2xx") or report.get("errors") or report.get("timeouts"):
        print(f"  warning: {url}: {report.get('non2xx')} non-2xx, {report.get('errors')} errors", file=sys.stderr)
    return report


def forget_everything(redis_url):
    """What any save does to the anonymous cache (members/caching.py): a new
    version of the public data, so that nothing cached before is used."""
    import redis

    redis.Redis.from_url(redis_url).delete(":1:public-pages:version")


def measure(arguments, base, path):
    url = base + path
    try:
        body, _ = fetch(url)  # fills the anonymous cache
    except urllib.error.HTTPError as error:
        print(f"  {path}: HTTP {error.code}, not measured", file=sys.stderr)
        return None
    separator = "&" if "?" in path else "?"
    misses = sorted(fetch(f"{url}{separator}_bench_miss={time.time_ns()}")[1] for _ in range(5))
    # The first request after a change of the data: the version key gone,
    # every page and figure is built afresh (the census, a search's count).
    changes = []
    for _ in range(3):
        forget_everything(arguments.redis)
        changes.append(fetch(url)[1])
    throughput = autocannon(url, "-c", str(arguments.connections), "-d", str(arguments.duration))
    # The trivial view is measured again right after each page: on a shared
    # machine the load of others changes from minute to minute.
    trivial = throughput
    if path != PAGES[0][1]:
        trivial = autocannon(base + PAGES[0][1], "-c", str(arguments.connections), "-d", str(arguments.duration))
    steady = autocannon(url, "-c", "10", "-d", str(arguments.rate_duration), "--overallRate", str(arguments.rate))
    return {
        "trivial_rps": trivial["requests"]["average"],
        "rps": throughput["requests"]["average"],
        "p50": steady["latency"]["p50"],
        "p99": steady["latency"]["p99"],
        "kb": len(body) / 1024,
        "miss_ms": misses[2] * 1000,
        "change_ms": sorted(changes)[1] * 1000,
        # What the neighbours were doing meanwhile (1-minute load average).
        "load": os.getloadavg()[0],
    }


def worker_peak_kb(server):
    """The highest peak resident memory (VmHWM) among gunicorn's workers."""
    peaks = []
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    for pid in children.read_text().split() if children.exists() else ():
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        peaks += [int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")]
    return max(peaks, default=0)


def measure_full_exports(base, server):
    """Each full export once (fetched twice over, so both workers serve
    one): its size, and how much the workers' peak memory grew."""
    before = worker_peak_kb(server)
    sizes = {}
    for path in ("/members/export.csv", "/members/export.json"):
        for _ in range(2):
            body, seconds = fetch(f"{base}{path}?_bench_full={time.time_ns()}")
        sizes[path] = (len(body) / 1024 / 1024, seconds)
    return sizes, before, worker_peak_kb(server)


def main():
    arguments = parse_arguments()
    if arguments.populate is not None:
        populate(arguments.populate)
        return
    if not AUTOCANNON.exists():
        raise SystemExit("autocannon is missing: run `npm ci --no-audit --no-fund` first")

    name = f"wego_bench_{arguments.members}"
    var_dir = Path(tempfile.mkdtemp(prefix="wego-bench-"))
    env = production_env(arguments, name, var_dir)
    # Production settings require a broker; no task runs on a GET.
    env["CELERY_BROKER_URL"] = arguments.redis
    reuse = arguments.keep and database_exists(arguments.database_url, name)
    began = time.monotonic()
    if not reuse:
        run_sql_on_server(arguments.database_url, f'DROP DATABASE IF EXISTS "{name}"')
        run_sql_on_server(arguments.database_url, f'CREATE DATABASE "{name}"')
    subprocess.run([sys.executable, __file__, "--populate", str(arguments.members)], cwd=BASE_DIR, env=env, check=True)
    print(f"database {name}: {arguments.members:,} members, ready in {time.monotonic() - began:.0f} s")

    import redis

    redis.Redis.from_url(arguments.redis).flushdb()  # its own database: no page of another run
    server = start_gunicorn(arguments, env)
    try:
        base = f"http://127.0.0.1:{arguments.port}"
        results = {}
        for label, path in PAGES:
            results[label] = measure(arguments, base, path)
            print(f"  measured {label}", file=sys.stderr)
        exports, peak_before, peak_after = measure_full_exports(base, server)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(var_dir, ignore_errors=True)
        if not arguments.keep:
            run_sql_on_server(arguments.database_url, f'DROP DATABASE IF EXISTS "{name}"')

    print(
        f"\n{arguments.members:,} members; gunicorn {arguments.workers} workers × {arguments.threads} threads "
        f"(gthread); {arguments.connections} connections for {arguments.duration} s; "
        f"latency at {arguments.rate} req/s\n"
    )
    print("| page | req/s | ratio to trivial | p50 ms | p99 ms | KB | miss ms | after a change ms | load |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, _ in PAGES:
        row = results[label]
        if row is None:
            print(f"| `{label}` | — | — | — | — | — | — | — | — |")
            continue
        print(
            f"| `{label}` | {row['rps']:,.0f} | {row['rps'] / row['trivial_rps']:.2f}× "
            f"| {row['p50']:.1f} | {row['p99']:.1f} "
            f"| {row['kb']:.1f} | {row['miss_ms']:.0f} | {row['change_ms']:.0f} | {row['load']:.1f} |"
        )
    print()
    for path, (megabytes, seconds) in exports.items():
        print(f"full {path}: {megabytes:.1f} MB in {seconds:.2f} s (streamed)")
    before, after = peak_before / 1024, peak_after / 1024
    print(f"gunicorn workers' peak memory: {before:.0f} MB before the full exports, {after:.0f} MB after")


if __name__ == "__main__":
    main()
