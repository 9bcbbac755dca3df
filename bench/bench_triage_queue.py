"""The triage queue at 10,000 needs waiting for triage, timed.

Builds a fresh database migrated with the project's migrations (a temporary SQLite file, or a
database of its own on the PostgreSQL server that DATABASE_URL names), fills it with bulk writes
(10,000 needs waiting for triage over 100 areas from 3,000 requesters, so that many rows have
likely duplicates, and 10,000 more open or ended), then fetches the queue's first and a later page
with the test client logged in as a triager (without the test environment's template
instrumentation) and prints the median time, the number of queries and the ratio to a trivial
logged-in page's median in the same run, served again (warm) and with the cache emptied before
each request (cold, as after a write). The database is dropped at the end.

    DEBUG=1 .venv/bin/python bench/bench_triage_queue.py [--needs 10000] [--samples 40]
"""

import argparse
import os
import random
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutualaid.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from harness import scratch_database, server_settings, warm_and_cold  # noqa: E402

from mutualaid.accounts.models import Level, Member, Role, RoleGrant  # noqa: E402
from mutualaid.aid.models import Category, Need, NeedStatus, Priority, Urgency, queue_at  # noqa: E402
from mutualaid.areas.models import Area  # noqa: E402

WORDS = ["groceries", "ride", "clinic", "pharmacy", "school", "coats", "rent", "heater", "soup"]


def build(needs: int, seed: int = 11) -> Member:
    """Bulk inserts (a benchmark's data, not a story). Returns the triager."""
    rng = random.Random(seed)
    now = timezone.now()
    categories = list(Category.objects.values_list("pk", flat=True))
    with transaction.atomic():
        Area.objects.bulk_create(Area(name=f"Area {i:03d}") for i in range(100))
        areas = list(Area.objects.values_list("pk", flat=True))
        unusable = make_password(None)  # they never log in
        Member.objects.bulk_create(
            Member(handle=f"n{i}", password=unusable, level=Level.VOUCHED) for i in range(3000)
        )
        members = list(Member.objects.values_list("pk", flat=True))
        triager = Member.objects.create_user("triage1", "bench password", level=Level.VOUCHED)
        RoleGrant.objects.create(member=triager, role=Role.TRIAGER)

        def need(status):
            created = now - timedelta(minutes=rng.randint(0, 60 * 24 * 20))
            urgency = rng.choice(Urgency.values)
            return Need(
                requester_id=rng.choice(members),
                category_id=rng.choice(categories),
                area_id=rng.choice(areas),
                summary=" ".join(rng.sample(WORDS, 4)),
                urgency=urgency,
                status=status,
                created_at=created,
                status_changed_at=created,
                queue_at=queue_at(created, urgency, Priority.NORMAL),
            )

        rows = [need(NeedStatus.TRIAGE) for _ in range(needs)]
        rows += [need(rng.choice([NeedStatus.OPEN, NeedStatus.CLOSED])) for _ in range(needs)]
        Need.objects.bulk_create(rows, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return triager


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--needs", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=40)
    args = parser.parse_args()

    server_settings()
    with scratch_database():
        triager = build(args.needs)
        client = Client()
        client.force_login(triager)
        queue = reverse("dispatch:triage")
        pages = [
            ("trivial page (My vouches)", reverse("trust:my_vouches")),
            ("triage queue", queue),
            ("triage queue, page 100", f"{queue}?page=100"),
        ]
        waiting = Need.objects.filter(status=NeedStatus.TRIAGE).count()
        print(
            f"triage queue on {connection.vendor}: {waiting:,} needs waiting for triage, "
            f"{Need.objects.count():,} needs in all; {args.samples} samples a page"
        )
        warm_and_cold(client, pages, args.samples)


if __name__ == "__main__":
    main()
