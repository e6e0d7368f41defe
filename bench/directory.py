"""How the public directory and its exports scale with the number of members.

Not a test: it prints figures. Each page is timed with 10 members (the
baseline) and again with 1,000 in the same run and database, and printed as a
ratio, beside the query counts. Run it against PostgreSQL, as `make test` does:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wego .venv/bin/python bench/directory.py [--repeat 20]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wego_portal.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

PAGES = [
    ("directory", "/members/"),
    ("directory, searched", "/members/?q=city+1&region=europe"),
    ("export.json", "/members/export.json"),
    ("export.csv", "/members/export.csv"),
]


def add_members(start, count):
    from members.models import Membership, MembershipCategory, Organisation

    category, _ = MembershipCategory.objects.get_or_create(
        slug="full-member", defaults={"name": "Full Member", "has_vote": True, "kind": "local_government"}
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"Bench City {i}",
            slug=f"bench-city-{i}",
            country="DE",
            kind="local_government",
            latitude=50,
            longitude=8,
            search_text=f"bench city {i} germany",
        )
        for i in range(start, start + count)
    )
    Membership.objects.bulk_create(Membership(organisation=o, category=category) for o in organisations)


def measure(client, url, repeat):
    client.get(url)  # warm up
    timings = []
    for _ in range(repeat):
        begin = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - begin)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return statistics.median(timings), len(captured)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    arguments = parser.parse_args()

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        client = Client()
        add_members(0, 10)
        baseline = {name: measure(client, url, arguments.repeat) for name, url in PAGES}
        add_members(10, 990)
        print(f"{'page':22} {'10 members':>12} {'1,000 members':>14} {'ratio':>7} {'queries':>9}")
        for name, url in PAGES:
            (small, small_queries), (large, large_queries) = baseline[name], measure(client, url, arguments.repeat)
            print(
                f"{name:22} {small * 1000:10.1f}ms {large * 1000:12.1f}ms {large / small:6.2f}x "
                f"{small_queries:>4} → {large_queries}"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
