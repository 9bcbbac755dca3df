"""The organizers' queue pages at 10,000 waiting needs: the dispatch queue, the Organize home and
search, timed.

Builds a fresh database migrated with the project's migrations (a temporary SQLite file, or a
database of its own on the PostgreSQL server that DATABASE_URL names), fills it with bulk writes
(10,000 waiting needs over 100 areas, a fifth of them proposed, 2,000 held with live claims, 5,000
ended, 3,000 members and 2,000 offers), then fetches each page with the test client logged in as
a dispatcher (without the test environment's template instrumentation, which a server does not
have) and prints the median time, the number of queries and the ratio to a trivial
logged-in page's median in the same run. The database is dropped at the end.

    DEBUG=1 .venv/bin/python bench/bench_queues.py [--needs 10000] [--samples 40]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres DEBUG=1 \\
        .venv/bin/python bench/bench_queues.py
"""

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutualaid.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from harness import scratch_database, server_settings, warm_and_cold  # noqa: E402

from mutualaid.accounts.models import Level, Member, Role, RoleGrant  # noqa: E402
from mutualaid.aid.models import (  # noqa: E402
    Category,
    Claim,
    Need,
    NeedStatus,
    Offer,
    Priority,
    Proposal,
    Urgency,
    Visibility,
    queue_at,
)
from mutualaid.areas.models import Area  # noqa: E402

WORDS = [
    "groceries",
    "ride",
    "clinic",
    "pharmacy",
    "school",
    "pickup",
    "coats",
    "blankets",
    "rent",
    "heater",
    "meals",
    "soup",
    "bread",
    "baby",
    "formula",
    "diapers",
    "laptop",
    "wheelchair",
    "stairs",
    "moving",
    "boxes",
    "dog",
    "walk",
    "garden",
    "repair",
    "tonight",
]


def build(needs: int, seed: int = 9) -> Member:
    """The network, with bulk inserts (a benchmark's data, not a story). Returns the dispatcher."""
    rng = random.Random(seed)
    now = timezone.now()
    categories = list(Category.objects.all())
    with transaction.atomic():
        Area.objects.bulk_create(Area(name=f"Area {i:03d}") for i in range(100))
        areas = list(Area.objects.values_list("pk", flat=True))
        Member.objects.bulk_create(
            Member(
                handle=f"{rng.choice(WORDS)}{i}",
                password=make_password(None),  # unusable: they never log in
                level=Level.VOUCHED if i % 5 else Level.NEWCOMER,
                home_area_id=rng.choice(areas),
                date_joined=now - timedelta(days=rng.randint(0, 700)),
            )
            for i in range(3000)
        )
        members = list(Member.objects.filter(level=Level.VOUCHED).values_list("pk", flat=True))
        dispatcher = Member.objects.create_user("dispatch1", "bench password", level=Level.VOUCHED)
        RoleGrant.objects.create(member=dispatcher, role=Role.DISPATCHER)

        def need(status, **fields):
            created = now - timedelta(minutes=rng.randint(0, 60 * 24 * 20))
            urgency = rng.choice(Urgency.values)
            priority = rng.choices(Priority.values, weights=[90, 8, 2])[0]
            return Need(
                requester_id=rng.choice(members),
                category=rng.choice(categories),
                area_id=rng.choice(areas),
                summary=" ".join(rng.sample(WORDS, 4)),
                details="private",
                urgency=urgency,
                priority=priority,
                visibility=Visibility.ORGANIZERS if rng.random() < 0.1 else Visibility.MEMBERS,
                status=status,
                created_at=created,
                status_changed_at=created,
                queue_at=queue_at(created, urgency, priority),
                **fields,
            )

        waiting = [
            need(NeedStatus.PROPOSED if i % 5 == 0 else NeedStatus.OPEN) for i in range(needs)
        ]
        held = [need(NeedStatus.CLAIMED, claimant_id=rng.choice(members)) for _ in range(2000)]
        ended = [need(rng.choice([NeedStatus.CLOSED, NeedStatus.CANCELLED])) for _ in range(5000)]
        Need.objects.bulk_create(waiting + held + ended, batch_size=2000)
        proposed = Need.objects.filter(status=NeedStatus.PROPOSED).values_list("pk", flat=True)
        Proposal.objects.bulk_create(
            (
                Proposal(
                    need_id=pk,
                    volunteer_id=rng.choice(members),
                    deadline=now + timedelta(hours=rng.randint(1, 24)),
                )
                for pk in proposed
            ),
            batch_size=2000,
        )
        Claim.objects.bulk_create(
            (
                Claim(
                    need_id=pk,
                    volunteer_id=claimant,
                    progress_at=now - timedelta(hours=rng.randint(0, 200)),
                )
                for pk, claimant in Need.objects.filter(status=NeedStatus.CLAIMED).values_list(
                    "pk", "claimant_id"
                )
            ),
            batch_size=2000,
        )
        Offer.objects.bulk_create(
            (
                Offer(offerer_id=rng.choice(members), summary=" ".join(rng.sample(WORDS, 4)))
                for _ in range(2000)
            ),
            batch_size=2000,
        )
    with connection.cursor() as cursor:
        # As the server's autovacuum would have it: statistics, and on PostgreSQL a visibility
        # map, so that index-only scans need not visit the table.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return dispatcher


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--needs", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--queries", action="store_true", help="print each page's slowest queries")
    parser.add_argument("--profile", help="profile this page (a URL) and print the hot spots")
    parser.add_argument("--sort", default="cumulative", help="the profile's order (pstats)")
    parser.add_argument("--rows", type=int, default=40, help="the profile's rows")
    args = parser.parse_args()

    server_settings()
    with scratch_database():
        started = time.perf_counter()
        dispatcher = build(args.needs)
        built = time.perf_counter() - started
        client = Client()
        client.force_login(dispatcher)
        queue = reverse("dispatch:queue")
        search = reverse("dispatch:search")
        pages = [
            ("trivial page (My vouches)", reverse("trust:my_vouches")),
            ("dispatch queue", queue),
            ("dispatch queue, page 100", f"{queue}?page=100"),
            ("dispatch queue, stale only", f"{queue}?stale=on"),
            ("dispatch queue, filtered", f"{queue}?urgency=today&visibility=organizers"),
            ("claims with no progress", reverse("dispatch:stalled")),
            ("organize home", reverse("dispatch:organize")),
            ("search 'blankets tonight'", f"{search}?q=blankets+tonight"),
            ("search 'clinic', filtered", f"{search}?q=clinic&status=open&urgency=today"),
            ("search offers 'soup'", f"{search}?q=soup&kind=offers"),
            ("search members 'bread'", f"{search}?q=bread&kind=members"),
        ]
        if args.profile:
            import cProfile
            import pstats

            client.get(args.profile)
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(10):
                client.get(args.profile)
            profiler.disable()
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.rows)
            return
        waiting = Need.objects.filter(status__in=[NeedStatus.OPEN, NeedStatus.PROPOSED]).count()
        print(
            f"queue pages on {connection.vendor}: {waiting:,} waiting needs, "
            f"{Need.objects.count():,} needs in all, built in {built:.0f} s; "
            f"{args.samples} samples a page"
        )

        def slowest_queries(url):
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            for query in sorted(captured, key=lambda q: -float(q["time"]))[:3]:
                print(f"    {float(query['time']) * 1000:7.1f} ms  {query['sql'][:300]}")

        warm_and_cold(client, pages, args.samples, after=slowest_queries if args.queries else None)


if __name__ == "__main__":
    main()
