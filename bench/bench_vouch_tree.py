"""The vouch tree at 50,000 members: its top page, a deep branch and a search, timed.

Builds a fresh database migrated with the project's migrations (a temporary SQLite file, or a
database of its own on the PostgreSQL server that DATABASE_URL names), fills it with a vouch
forest shaped like a grown network, then fetches each page with the test client logged in as an
admin and prints the median time, the HTML size and the ratio to a trivial logged-in page's
median in the same run. The database is dropped at the end.

    DEBUG=1 .venv/bin/python bench/bench_vouch_tree.py [--members 50000] [--samples 25]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres DEBUG=1 \\
        .venv/bin/python bench/bench_vouch_tree.py

The forest: a few dozen founders approved at the start; then members join one by one over three
years. About one in a hundred is approved by an organizer, one in ten never gets a vouch, the rest
are vouched by an earlier vouched member (so the tree is about a dozen levels deep), one in eight
of those by a second one too; a few vouches are revoked, a few vouchers have left, a few members
are suspended or held for review, some vouch back for their own voucher (circles on the tree), and
a few newcomers vouch for each other in circles that no approved member reaches.
"""

import argparse
import os
import random
import sys
import time
import warnings
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutualaid.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from harness import scratch_database, server_settings, timed_from_cold  # noqa: E402

from mutualaid.accounts.models import Level, Member, Role, RoleGrant  # noqa: E402
from mutualaid.trust.models import Vouch  # noqa: E402

NAMES = (
    "ana",
    "amir",
    "bea",
    "bo",
    "cam",
    "chen",
    "dara",
    "dev",
    "eli",
    "emma",
    "femi",
    "fern",
    "gus",
    "hana",
    "ines",
    "ivo",
    "jade",
    "jon",
    "kai",
    "kim",
    "lea",
    "leo",
    "mara",
    "mo",
    "nia",
    "noor",
    "omar",
    "ola",
    "pia",
    "pat",
    "quin",
    "raj",
    "rosa",
    "sam",
    "sol",
    "tam",
    "teo",
    "uma",
    "val",
    "vic",
    "wen",
    "yara",
    "zoe",
)


def build_forest(size: int, seed: int = 9):
    """``size`` members and their vouches, bulk-inserted; returns (admin, deep member, query)."""
    rng = random.Random(seed)
    start = timezone.now() - timedelta(days=3 * 365)
    step = timedelta(days=3 * 365) / size
    members, vouched = [], []  # vouched: indexes of members others may pick as voucher
    kinds = []
    for i in range(size):
        joined = start + step * i
        member = Member(
            handle=f"{NAMES[i % len(NAMES)]}{i}",
            password="!",  # noqa: S106 (no password: nobody logs in as them)
            date_joined=joined,
        )
        if i < 40 or rng.random() < 0.01:
            kind = "approved"
            member.level, member.approved_at, member.vouched_since = Level.VOUCHED, joined, joined
        elif rng.random() < 0.1:
            kind = "newcomer"
        else:
            kind = "vouched"
            member.level, member.vouched_since = Level.VOUCHED, joined
        if kind != "newcomer" and rng.random() < 0.005:
            member.level, member.suspended_at = Level.SUSPENDED, joined + step
        elif kind == "vouched" and rng.random() < 0.003:
            member.level, member.review_hold_at = Level.NEWCOMER, joined + step
        members.append(member)
        kinds.append(kind)
    Member.objects.bulk_create(members, batch_size=2000)
    members = list(Member.objects.order_by("pk"))

    vouches = []

    def vouch(voucher, vouchee, at, revoked=False):
        vouches.append(
            Vouch(
                voucher=voucher,
                vouchee=vouchee,
                note="Neighbors on the same street",
                created_at=at,
                revoked_at=at + step if revoked else None,
            )
        )

    for i, member in enumerate(members):
        if kinds[i] == "vouched" and vouched:
            voucher = members[rng.choice(vouched)]
            left = rng.random() < 0.01  # the voucher has since deleted their account
            vouch(None if left else voucher, member, member.date_joined, rng.random() < 0.02)
            if rng.random() < 0.12:
                second = members[rng.choice(vouched)]
                if second.pk != voucher.pk:
                    vouch(second, member, member.date_joined + step / 2)
            if rng.random() < 0.0005:  # vouches back for their voucher: a circle on the tree
                vouch(member, voucher, member.date_joined + step / 2)
        if kinds[i] != "newcomer":
            vouched.append(i)
    newcomers = [m for i, m in enumerate(members) if kinds[i] == "newcomer"]
    for n in range(10):  # newcomers vouching for each other, reached by nobody else
        a, b, c = newcomers[3 * n : 3 * n + 3]
        vouch(a, b, b.date_joined)
        vouch(b, c, c.date_joined)
        vouch(c, a, c.date_joined + step)
    Vouch.objects.bulk_create(vouches, batch_size=2000)

    admin = Member.objects.create_user(
        "bench-admin", level=Level.VOUCHED, approved_at=timezone.now()
    )
    RoleGrant.objects.create(member=admin, role=Role.ADMIN)
    return admin, members, vouches


def deepest_with_branch(members, vouches):
    """The member farthest below the roots (by the fewest steps) who vouched for someone."""
    given: dict[int, list[int]] = {}
    for vouch in vouches:
        if vouch.voucher_id and vouch.vouchee_id:
            given.setdefault(vouch.voucher_id, []).append(vouch.vouchee_id)
    depth = {m.pk: 0 for m in members if m.approved_at is not None}
    level = list(depth)
    while level:
        below = []
        for pk in level:
            for child in given.get(pk, []):
                if child not in depth:
                    depth[child] = depth[pk] + 1
                    below.append(child)
        level = below
    pk = max((pk for pk in depth if given.get(pk)), key=lambda pk: (depth[pk], pk))
    return next(m for m in members if m.pk == pk), depth[pk]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--samples", type=int, default=25)
    args = parser.parse_args()

    server_settings()
    warnings.filterwarnings("ignore", message="No directory at")  # static files from the source
    with scratch_database():
        started = time.perf_counter()
        admin, members, vouches = build_forest(args.members)
        built = time.perf_counter() - started
        if connection.vendor == "postgresql":  # what autovacuum soon does on a live server
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        deep, depth = deepest_with_branch(members, vouches)
        founder = members[0]
        client = Client()
        client.force_login(admin)
        pages = [
            ("trivial page (My vouches)", reverse("trust:my_vouches")),
            ("tree: top page (roots)", reverse("trust:tree")),
            ("tree: a deep branch", reverse("trust:tree_branch", args=[deep.code])),
            ("tree: search 'rosa4'", reverse("trust:tree") + "?q=rosa4"),
            ("tree: unconnected heads", reverse("trust:tree") + "?show=unconnected"),
            ("tree: a founder's branch", reverse("trust:tree_branch", args=[founder.code])),
        ]
        print(
            f"vouch tree on {connection.vendor}: {len(members):,} members, {len(vouches):,} "
            f"vouches, built in {built:.0f} s; deep branch: {deep.handle} at depth {depth}; "
            f"{args.samples} samples a page"
        )
        print(
            f"{'page':<28}{'first ms':>10}{'median ms':>11}{'kB':>8}{'x trivial':>11}{'queries':>9}"
        )
        trivial = None
        for name, url in pages:
            first, median, queries, size = timed_from_cold(client, url, args.samples)
            trivial = trivial or median
            print(
                f"{name:<28}{first:>10.1f}{median:>11.1f}{size:>8.1f}{median / trivial:>11.1f}"
                f"{queries:>9}"
            )
        print("first: the first request after the tree changed (nothing kept in the cache)")


if __name__ == "__main__":
    main()
