"""The match engine at city size: suggestions for one need, and the backlog proposal.

Builds a network in a temporary SQLite database with bulk writes (20,000 vouched volunteers,
5,000 waiting needs over 200 areas, offers, held needs, last week's proposals, past help, blocks),
then prints:
- the median time of ``matching.suggest()`` for one need (many needs, each timed once);
- the backlog proposal end to end (load + solve) in seconds, its load and solve apart, and the
  peak memory of the process; and the review page's whole computation (propose(): the same, plus
  each row's need and reasons);
- the needs matched and their weight by the optimal proposal and by plain greedy, and the ratio.

    cd /work/main && .venv/bin/python bench/bench_matching.py [--volunteers N] [--needs N]
"""

import argparse
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(path: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutualaid.settings")
    os.environ["SQLITE_PATH"] = path
    os.environ.setdefault("DEBUG", "1")
    if not (os.environ.get("MUTUALAID_FIELD_KEYS") or os.environ.get("MUTUALAID_FIELD_KEYS_FILE")):
        from mutualaid.lib.crypto import new_key_entry

        os.environ["MUTUALAID_FIELD_KEYS"] = new_key_entry()  # a throwaway key for a throwaway DB
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(*, volunteers: int, needs: int, areas: int = 200, seed: int = 7) -> None:
    """The city, written with bulk inserts (no services: a benchmark's data, not a story)."""
    from django.db import transaction
    from django.utils import timezone

    from mutualaid.accounts.models import Block, Level, Member
    from mutualaid.aid.models import (
        Category,
        Claim,
        ClaimEnd,
        Need,
        NeedStatus,
        Offer,
        OfferKind,
        Priority,
        Proposal,
        ProposalAnswer,
        Urgency,
        Visibility,
        queue_at,
    )
    from mutualaid.areas.models import Area

    rng = random.Random(seed)
    now = timezone.now()
    categories = list(Category.objects.all())
    with transaction.atomic():
        # Areas on a ring of 20 columns: each borders its east and south neighbors.
        Area.objects.bulk_create(Area(name=f"Area {i:03d}") for i in range(areas))
        area_ids = list(Area.objects.order_by("name").values_list("pk", flat=True))
        through = Area.neighbors.through
        edges = set()
        for i, area in enumerate(area_ids):
            for j in (i + 1, i + 20):
                if j < len(area_ids) and (j % 20 or j == i + 20):
                    edges.add((area, area_ids[j]))
        through.objects.bulk_create(
            [through(from_area_id=a, to_area_id=b) for a, b in edges]
            + [through(from_area_id=b, to_area_id=a) for a, b in edges]
        )
        langs = ["en", "es", "zh", "vi", "fr"]
        people = volunteers + needs // 2
        Member.objects.bulk_create(
            (
                Member(
                    handle=f"m{i:06d}",
                    password="!",  # noqa: S106 (an unusable password)
                    level=Level.VOUCHED if i < volunteers else Level.NEWCOMER,
                    home_area_id=rng.choice(area_ids),
                    max_active_claims=rng.choice([None, 1, 2, 3, 5]),
                    available_days=rng.choice([[], [], [5, 6], [0, 1, 2, 3, 4], [2, 5]]),
                    languages=rng.sample(langs, rng.choice([0, 1, 1, 2])),
                )
                for i in range(people)
            ),
            batch_size=2000,
        )
        member_ids = list(Member.objects.order_by("pk").values_list("pk", flat=True))
        volunteer_ids, requester_ids = member_ids[:volunteers], member_ids[volunteers:]

        def need(i, status, **extra):
            created = now - timedelta(hours=rng.randrange(0, 24 * 10))
            urgency = rng.choice(Urgency.values)
            priority = rng.choices(Priority.values, weights=[8, 2, 1])[0]
            return Need(
                requester_id=rng.choice(requester_ids),
                category=rng.choice(categories),
                area_id=rng.choice(area_ids),
                summary=f"Need {i}",
                urgency=urgency,
                priority=priority,
                visibility=rng.choices(Visibility.values, weights=[9, 1])[0],
                status=status,
                created_at=created,
                status_changed_at=created,
                queue_at=queue_at(created, urgency, priority),
                **extra,
            )

        Need.objects.bulk_create((need(i, NeedStatus.OPEN) for i in range(needs)), batch_size=2000)
        # Needs held now (load), and closed ones (past help, last week's asks).
        held = [
            need(i, NeedStatus.CLAIMED, claimant_id=rng.choice(volunteer_ids))
            for i in range(volunteers // 5)
        ]
        Need.objects.bulk_create(held, batch_size=2000)
        closed = Need.objects.bulk_create(
            (need(i, NeedStatus.CLOSED) for i in range(volunteers // 4)), batch_size=2000
        )
        Claim.objects.bulk_create(
            (
                Claim(
                    need=n,
                    volunteer_id=rng.choice(volunteer_ids),
                    ended_at=now,
                    end_reason=ClaimEnd.COMPLETED,
                )
                for n in closed
            ),
            batch_size=2000,
        )
        Proposal.objects.bulk_create(
            (
                Proposal(
                    need=n,
                    volunteer_id=rng.choice(volunteer_ids),
                    created_at=now - timedelta(days=rng.randrange(0, 10)),
                    deadline=now,
                    answered_at=now,
                    answer=ProposalAnswer.ACCEPTED,
                )
                for n in closed
            ),
            batch_size=2000,
        )
        offerers = rng.sample(volunteer_ids, volunteers // 7)
        offers = Offer.objects.bulk_create(
            (
                Offer(
                    offerer_id=o,
                    summary="I can help",
                    kind=rng.choice(OfferKind.values),
                    available_days=rng.choice([[], [5, 6]]),
                )
                for o in offerers
            ),
            batch_size=2000,
        )
        Offer.categories.through.objects.bulk_create(
            (
                Offer.categories.through(offer_id=o.pk, category_id=c.pk)
                for o in offers
                for c in rng.sample(categories, 2)
            ),
            batch_size=2000,
        )
        Offer.areas.through.objects.bulk_create(
            (
                Offer.areas.through(offer_id=o.pk, area_id=a)
                for o in offers
                for a in rng.sample(area_ids, 2)
            ),
            batch_size=2000,
        )
        pairs = {(rng.choice(requester_ids), rng.choice(volunteer_ids)) for _ in range(500)}
        Block.objects.bulk_create(Block(blocker_id=a, blocked_id=b) for a, b in pairs)
    from mutualaid.aid.tasks import database_analyze

    database_analyze.call()  # the planner's statistics, as housekeeping keeps them


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--volunteers", type=int, default=20_000)
    parser.add_argument("--needs", type=int, default=5_000)
    parser.add_argument("--samples", type=int, default=60)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        setup_django(str(Path(tmp) / "bench.sqlite3"))
        started = time.perf_counter()
        build(volunteers=args.volunteers, needs=args.needs)
        print(
            f"built {args.volunteers} volunteers, {args.needs} waiting needs, 200 areas "
            f"in {time.perf_counter() - started:.1f} s"
        )
        run(args)


def run(args) -> None:
    from django.db import reset_queries

    from mutualaid.aid.models import Need, NeedStatus
    from mutualaid.dispatch import backlog, matching

    # Suggestions: one need at a time, each a different need (so no cache helps).
    needs = list(
        Need.objects.filter(status=NeedStatus.OPEN)
        .select_related("area", "category", "requester")
        .order_by("?")[: args.samples]
    )
    matching.suggest(needs[0])  # warm up: imports, the connection
    times, cpu, shown = [], [], 0
    for need in needs:
        reset_queries()
        started, started_cpu = time.perf_counter(), time.process_time()
        rows = matching.suggest(need, limit=10)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        shown += len(rows)
    # Wall time, and this process's CPU time (SQLite runs in it): on a shared machine the
    # second is what the code costs, the first what a busy machine made of it.
    print(
        f"suggest(): median {statistics.median(times):.1f} ms wall "
        f"({statistics.median(cpu):.1f} ms CPU), p90 "
        f"{statistics.quantiles(times, n=10)[-1]:.1f} ms over {len(times)} needs "
        f"({shown / len(times):.1f} rows each)"
    )

    # The backlog: load, solve, and the whole of it, with the peak memory of the process.
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started, started_cpu = time.perf_counter(), time.process_time()
    problem = backlog.load_problem()
    loaded = time.perf_counter()
    plan = backlog.solve(problem)
    solved, solved_cpu = time.perf_counter(), time.process_time()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"backlog: end to end {solved - started:.2f} s (load {loaded - started:.2f} s, "
        f"solve {solved - loaded:.2f} s; {solved_cpu - started_cpu:.2f} s CPU) "
        f"for {len(problem.needs)} needs, "
        f"{len(problem.capacity)} volunteers with room, {problem.edge_count()} candidate pairs"
    )
    print(
        f"backlog: peak memory (max RSS) {rss_after / 1024:.0f} MB "
        f"(before the backlog {rss_before / 1024:.0f} MB)"
    )
    started = time.perf_counter()
    rows = backlog.propose()
    print(
        f"backlog page: propose() with each row's need and reasons, {len(rows)} rows, "
        f"{time.perf_counter() - started:.2f} s"
    )
    greedy = backlog.solve_greedy(problem)
    weight, greedy_weight = problem.weight_of(plan), problem.weight_of(greedy)
    print(
        f"optimal: {len(plan)} needs matched, weight {weight}; greedy: {len(greedy)} needs, "
        f"weight {greedy_weight}; optimal / greedy: {len(plan) / max(len(greedy), 1):.3f} "
        f"needs, {weight / max(greedy_weight, 1):.3f} weight"
    )
    # A harder surge on the same graph: room for one need each, for a third of the volunteers.
    kept = set(sorted(problem.capacity)[: len(problem.capacity) // 3])
    surge = problem._replace(capacity={pk: int(pk in kept) for pk in problem.capacity})
    plan, greedy = backlog.solve(surge), backlog.solve_greedy(surge)
    weight, greedy_weight = surge.weight_of(plan), surge.weight_of(greedy)
    print(
        f"surge ({len(kept)} volunteers with room for one): optimal {len(plan)} needs, weight "
        f"{weight}; greedy {len(greedy)} needs, weight {greedy_weight}; optimal / greedy: "
        f"{len(plan) / max(len(greedy), 1):.3f} needs, {weight / max(greedy_weight, 1):.3f} weight"
    )


if __name__ == "__main__":
    main()
