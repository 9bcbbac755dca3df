"""The city: a network at city size for the load runs, built in minutes.

200 areas (20 districts of 9 neighborhoods, each bordering the next), 50,000 members (founders,
organizers of every role, a vouch tree a dozen and more levels deep, a newcomer in four, a few
suspended, callers without an account), 200,000 needs of which 10,000 open and the rest in every
other state with the claims, proposals, timeline events and notices their state implies (retention
has emptied the private text of those ended over a month ago), 20,000 offers and 100,000 messages.
``--scale`` shrinks or grows every count but the areas'.

    .venv/bin/python bench/city.py [--database sqlite|postgres] [--name city] [--scale 1]

SQLite: ``var/bench/NAME.sqlite3`` (WAL), made afresh. PostgreSQL: the database NAME on the server
that DATABASE_URL names (default postgres://postgres@127.0.0.1:5432/), dropped and made afresh.
The city's SECRET_KEY and field key are made once into ``var/bench/`` and kept: the load runner
serves the city with them. Every member's password is ``cityenv.PASSWORD``: one argon2 hash,
shared, as hashing 50,000 passwords would take longer than the whole build, while a log-in still
costs what it costs on a real network.

Rows are written with bulk_create, a batch per transaction (see citydata.py). Then the database
is checked (SQLite: foreign keys and integrity; both: one live claim per held need, one live
proposal per proposed need, every need found by the organizers' search) and analyzed.
"""

import argparse
import re
import shlex
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cityenv  # noqa: E402


def fresh_database(args) -> None:
    """An empty database of the city's name: the SQLite file removed, or the PostgreSQL database
    dropped and created."""
    if args.database == "sqlite":
        path = cityenv.sqlite_path(args)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", args.name):
        sys.exit(f"--name {args.name!r}: a PostgreSQL database name of lowercase letters and _")
    import psycopg

    with psycopg.connect(cityenv.postgres_url("postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{args.name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{args.name}"')


def check(connection) -> list[str]:
    """What is wrong with the built city (nothing, one hopes)."""
    from django.utils import timezone

    from mutualaid.aid.models import HELD, Claim, Message, Need, NeedStatus, Proposal, TimelineEvent
    from mutualaid.dispatch.search import Criteria, search_needs

    dated = [
        (Need, "status_changed_at"),
        (Claim, "created_at"),
        (Claim, "ended_at"),
        (Message, "created_at"),
        (TimelineEvent, "created_at"),
    ]
    problems = []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_key_check")
            problems += [f"foreign key: {row}" for row in cursor.fetchall()[:5]]
            cursor.execute("PRAGMA integrity_check")
            problems += [f"integrity: {row[0]}" for row in cursor.fetchall() if row[0] != "ok"]
            for index in ("dispatch_need_words", "dispatch_offer_words", "dispatch_member_words"):
                # Raises if the word index does not match its table.
                cursor.execute(
                    f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)"  # noqa: S608
                )
    held = Need.objects.filter(status__in=HELD).count()
    live = Claim.objects.filter(ended_at__isnull=True).count()
    if held != live:
        problems.append(f"{held} needs held but {live} live claims")
    proposed = Need.objects.filter(status=NeedStatus.PROPOSED).count()
    asked = Proposal.objects.filter(answered_at__isnull=True).count()
    if proposed != asked:
        problems.append(f"{proposed} needs proposed but {asked} live proposals")
    now = timezone.now()
    for model, field in dated:
        if model.objects.filter(**{f"{field}__gt": now}).exists():
            problems.append(f"{model.__name__}.{field} in the future")
    for word in ("groceries", "ride", "pharmacy"):
        found = search_needs(Criteria(words=word)).count()
        present = Need.objects.filter(summary__icontains=word).count()
        if found != present:
            problems.append(f"search finds {found} needs with {word!r}, {present} have it")
    return problems


def tree_depth() -> int:
    """The vouch tree's depth: the most steps from an approved member down live vouches."""
    from mutualaid.accounts.models import Member
    from mutualaid.trust.models import Vouch

    below: dict[int, list[int]] = {}
    for voucher, vouchee in Vouch.objects.filter(revoked_at__isnull=True).values_list(
        "voucher_id", "vouchee_id"
    ):
        below.setdefault(voucher, []).append(vouchee)
    level = list(Member.objects.filter(approved_at__isnull=False).values_list("pk", flat=True))
    seen, depth = set(level), 0
    while level:
        level = [m for pk in level for m in below.get(pk, []) if m not in seen]
        seen.update(level)
        depth += bool(level)
    return depth


def report(database: str, where: str, built: float, cpu: float, steps: dict) -> None:
    from django.apps import apps

    from mutualaid.accounts.models import Member
    from mutualaid.aid.models import Need

    print("\n$ " + shlex.join(["bench/city.py", *sys.argv[1:]]))
    print(
        f"city on {database} ({where}): built in {built:.0f} s ({cpu:.0f} s of this process' CPU)"
    )
    print("  steps: " + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in steps.items()))
    levels = Counter(Member.objects.values_list("level", flat=True))
    print("  members: " + ", ".join(f"{n:,} {level}" for level, n in levels.most_common()))
    print(f"  vouch tree: {tree_depth()} levels deep")
    statuses = Counter(Need.objects.values_list("status", flat=True))
    print("  needs: " + ", ".join(f"{n:,} {status}" for status, n in statuses.most_common()))
    names = [
        "areas.Area", "trust.Vouch", "accounts.RoleGrant", "aid.Offer", "aid.Claim",
        "aid.Proposal", "aid.Message", "aid.TimelineEvent", "accounts.Notice", "safety.Report",
        "accounts.Block", "safety.Feedback", "aid.NeedNote", "aid.PrivateAccess",
        "notifications.NeedAlerts", "accounts.ProxyContact", "trust.TrustEvent",
    ]  # fmt: skip
    counts = [(name.split(".")[1], apps.get_model(name).objects.count()) for name in names]
    print("  rows: " + ", ".join(f"{n:,} {name}" for name, n in counts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    cityenv.add_arguments(parser)
    parser.add_argument("--scale", type=float, default=1.0, help="every count times this")
    parser.add_argument("--seed", type=int, default=10)
    args = parser.parse_args()

    started, cpu = time.perf_counter(), time.process_time()
    fresh_database(args)
    cityenv.setup_django(args)
    import citydata
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    size = citydata.Size.at(args.scale)
    print(f"building the city on {connection.vendor}: {size}", flush=True)
    citydata.network_settings()
    city = citydata.City(size, args.seed, cityenv.PASSWORD)
    city.build()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            cursor.execute("VACUUM ANALYZE")  # what autovacuum soon does on a live server
    problems = check(connection)
    built = time.perf_counter() - started
    if args.database == "sqlite":
        path = cityenv.sqlite_path(args)
        where = f"{path}, {path.stat().st_size / 2**20:.0f} MB"
    else:
        where = f"database {args.name}"
    report(args.database, where, built, time.process_time() - cpu, city.steps)
    for problem in problems:
        print(f"  PROBLEM: {problem}")
    if problems:
        sys.exit(1)
    print(
        "  checks: the database's constraints (on SQLite also foreign_key_check and "
        "integrity_check), one live claim per held need and one live proposal per proposed need, "
        "nothing in the future, the search index: all good"
    )


if __name__ == "__main__":
    main()
