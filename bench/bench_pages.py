"""Every other page at city size, one request at a time: the first request's time (nothing cached
yet), the median of more, the number of queries and the HTML's size; pages over 200 ms (median)
or 100 kB are flagged.

    .venv/bin/python bench/city.py [--database sqlite|postgres]        # the city first
    .venv/bin/python bench/bench_pages.py [--database sqlite|postgres] [--samples 5]

It reads the city that city.py built (same --database, --name, --dir), in this process through
the test client with a server's settings (DEBUG off, no template instrumentation: see
harness.server_settings) and a per-process memory cache. The pages are found in the URLconf:
every GET page without a parameter, and those whose parameter is a need, an offer, an area, a
member, a caller, a caller's need or a report, filled with one of the city's. Each is asked as
the first persona it answers 200 for, in this order: a member (city-member), a triager, a
dispatcher, a safety officer, an admin; the member's own pages again as the members with the
most needs, claims and offers; a need's page again as a dispatcher (who reads its private text).
Pages that answer no persona with a 200 (a form that only takes a POST, a link from an email)
are listed at the end.
"""

import argparse
import logging
import shlex
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cityenv  # noqa: E402

SLOW_MS = 200
LARGE_KB = 100
# URL names whose only parameter is a code this crawl knows how to fill.
FILLS = {
    "aid:need": "need",
    "aid:offer": "offer",
    "areas:area": "area",
    "trust:tree_branch": "founder",
    "trust:member": "member",
    "dispatch:member": "member",
    "dispatch:suggestions": "need",
    "dispatch:relay_caller": "caller",
    "dispatch:relay_need": "caller_need",
    "safety:report_detail": "report",
    "safety:report_need": "need",
}
# Left out on purpose: log-out (it ends the session), the need page's poll (timed by the load run's
# need page instead) and /healthz (503 here, with no task worker beating).
SKIP = {"accounts:logout", "aid:need_changed", "healthz"}


def pages() -> list[tuple[str, str]]:
    """(name, pattern) of every URL in the URLconf, namespaced."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found = []

    def walk(patterns, prefix, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern) and entry.name:
                found.append((namespace + entry.name, prefix + str(entry.pattern)))

    walk(get_resolver().url_patterns, "", "")
    return found


def codes() -> dict[str, str]:
    """One of the city's objects for each kind of parameter (FILLS), by its code."""
    from mutualaid.accounts.models import Member, ProxyContact
    from mutualaid.aid.models import Need, NeedStatus, Offer, OfferStatus, Visibility
    from mutualaid.areas.models import Area
    from mutualaid.safety.models import Report, ReportStatus

    caller = ProxyContact.objects.select_related("member").first().member
    return {
        "need": Need.objects.filter(status=NeedStatus.OPEN, visibility=Visibility.MEMBERS)
        .exclude(requester__handle=cityenv.MEMBER)
        .values_list("code", flat=True)
        .first(),
        "offer": Offer.objects.filter(status=OfferStatus.OPEN).values_list("code", flat=True)[0],
        "area": Area.objects.filter(parent__isnull=True).values_list("code", flat=True)[0],
        "founder": Member.objects.order_by("pk").values_list("code", flat=True)[0],
        "member": Member.objects.get(handle=cityenv.MEMBER).code,
        "caller": caller.code,
        "caller_need": Need.objects.filter(requester=caller).values_list("code", flat=True)[0],
        "report": (
            Report.objects.filter(status=ReportStatus.OPEN).values_list("code", flat=True).first()
            or Report.objects.values_list("code", flat=True).first()
        ),
    }


def url_of(name: str, pattern: str, known: dict) -> str | None:
    """The page's address, or None when its parameters are not ones this crawl fills."""
    from django.urls import reverse

    if "<" not in pattern:
        return reverse(name)
    if name in FILLS and pattern.count("<") == 1:
        return reverse(name, args=[known[FILLS[name]]])
    return None


def clients() -> list[tuple[str, object]]:
    """A logged-in test client per persona, in the order pages are tried."""
    from django.test import Client

    from mutualaid.accounts.models import Member

    logged = []
    for handle in (
        cityenv.MEMBER,
        cityenv.TRIAGER,
        cityenv.DISPATCHER,
        cityenv.SAFETY,
        cityenv.ADMIN,
    ):
        client = Client()
        client.force_login(Member.objects.get(handle=handle))
        logged.append((handle, client))
    return logged


def busiest() -> list[tuple[str, str, str]]:
    """(page, URL name, handle): the member's own pages as the members who have the most."""
    from django.db.models import Count

    from mutualaid.accounts.models import Member

    def most(relation):
        return (
            Member.objects.annotate(n=Count(relation))
            .order_by("-n")
            .values_list("handle", flat=True)
            .first()
        )

    return [
        ("my needs, most needs", "aid:my_needs", most("needs")),
        ("my claims, most claims", "aid:my_claims", most("claims")),
        ("my offers, most offers", "aid:my_offers", most("offers")),
    ]


def timed(client, url: str, samples: int) -> tuple[float, float, int, float]:
    """(first ms, median ms of ``samples`` more, queries, kB), the cache emptied first."""
    from harness import timed_from_cold  # after Django's set-up: it imports the project

    return timed_from_cold(client, url, samples)


def row(name: str, who: str, measured) -> str:
    first, median, queries, size = measured
    flags = " ".join(
        flag for flag, over in (("SLOW", median > SLOW_MS), ("LARGE", size > LARGE_KB)) if over
    )
    return f"{name:<34}{who:<18}{first:>9.0f}{median:>9.0f}{queries:>8}{size:>8.0f}  {flags}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    cityenv.add_arguments(parser)
    parser.add_argument("--samples", type=int, default=5)
    args = parser.parse_args()
    cityenv.setup_django(args)
    from django.db import connection
    from django.test import Client

    from mutualaid.accounts.models import Member

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from harness import server_settings

    server_settings()
    # A persona a page refuses is logged with its traceback: only errors are worth showing here.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message="No directory at")  # static files from the source
    known, personas = codes(), clients()
    print("$ " + shlex.join(["bench/bench_pages.py", *sys.argv[1:]]))
    print(
        f"pages of the city on {connection.vendor}: median of {args.samples} requests after a "
        f"first one with an empty cache; flagged over {SLOW_MS} ms or {LARGE_KB} kB"
    )
    print(f"{'page':<34}{'as':<18}{'first ms':>9}{'median':>9}{'queries':>8}{'kB':>8}")
    left = []
    for name, pattern in pages():
        url = None if name in SKIP else url_of(name, pattern, known)
        if url is None:
            left.append(name)
            continue
        who = next(((h, c) for h, c in personas if c.get(url).status_code == 200), None)
        if who is None:
            left.append(name)
            continue
        print(row(name, who[0], timed(who[1], url, args.samples)), flush=True)
    dispatcher = dict(personas)[cityenv.DISPATCHER]
    need = f"/needs/{known['need']}/"
    print(row("aid:need, as an organizer", cityenv.DISPATCHER, timed(dispatcher, need, 5)))
    from django.urls import reverse

    for label, name, handle in busiest():
        client = Client()
        client.force_login(Member.objects.get(handle=handle))
        print(row(label, handle, timed(client, reverse(name), args.samples)), flush=True)
    print(f"not timed (no 200 for any persona, a parameter not filled, or skipped): {len(left)}")
    print("  " + ", ".join(left))


if __name__ == "__main__":
    main()
