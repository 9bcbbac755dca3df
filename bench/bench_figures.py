"""The figures at city size (200,000 needs over two years): the organizers' dashboard, the areas
side by side, the CSV and the public page, timed against the city that city.py built.

    .venv/bin/python bench/city.py [--database sqlite|postgres]          # the city first
    .venv/bin/python bench/bench_figures.py [--database sqlite|postgres] [--samples 7]

It reads and writes the city's database (same --database, --name, --dir as city.py): the figures'
tables are migrated in if the city is older than they are, and computed from scratch if they never
were (timed: what `manage.py figures_rebuild` costs at this size); then one refresh as housekeeping
makes it every few minutes is timed. Each page is fetched through the test client with a server's
settings (harness.server_settings), logged in as the city's admin (the public page anonymously):
"cold" is the median with the cache emptied before each request (as after any write to what a page
shows), "warm" the median served again. The dashboard's budget is COLD_BUDGET_MS, cold: the
script exits 1 if a dashboard's cold median is over it.
"""

import argparse
import shlex
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cityenv  # noqa: E402

COLD_BUDGET_MS = 300


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    cityenv.add_arguments(parser)
    parser.add_argument("--samples", type=int, default=7)
    parser.add_argument(
        "--rebuild", action="store_true", help="compute the figures from scratch even if they were"
    )
    args = parser.parse_args()
    cityenv.setup_django(args)
    import logging
    import warnings

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from harness import server_settings, timed

    from mutualaid.accounts.models import Member
    from mutualaid.aid.models import Need
    from mutualaid.areas.models import Area
    from mutualaid.figures import selectors, services
    from mutualaid.figures.models import DailyFigure, DailyWait

    server_settings()
    logging.getLogger("django.request").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message="No directory at")
    print("$ " + shlex.join(["bench/bench_figures.py", *sys.argv[1:]]))
    call_command("migrate", "figures", verbosity=0)
    print(f"figures of the city on {connection.vendor}: {Need.objects.count():,} needs")
    if args.rebuild or selectors.refreshed_at() is None:
        started = time.perf_counter()
        services.figures_rebuild()
        print(f"  computed from scratch (figures_rebuild): {time.perf_counter() - started:.1f} s")
    refreshes = []
    for _ in range(3):
        started = time.perf_counter()
        services.figures_refresh()
        refreshes.append((time.perf_counter() - started) * 1000)
    print(
        f"  a refresh (housekeeping's, today's and yesterday's again): "
        f"{statistics.median(refreshes):.0f} ms median of 3"
    )
    print(
        f"  stored: {DailyFigure.objects.count():,} daily figure rows, "
        f"{DailyWait.objects.count():,} daily wait rows"
    )
    admin, anonymous = Client(), Client()
    admin.force_login(Member.objects.get(handle=cityenv.ADMIN))
    # A district: an area with areas inside it, the widest filter by area.
    district = Area.objects.filter(children__isnull=False).distinct().order_by("name").first()
    dashboard = reverse("figures:dashboard")
    pages = [
        ("dashboard, 13 weeks", admin, dashboard, True),
        ("dashboard, 52 weeks", admin, f"{dashboard}?weeks=52", True),
        ("dashboard, 104 weeks", admin, f"{dashboard}?weeks=104", True),
        (
            "dashboard, a district, groceries",
            admin,
            f"{dashboard}?weeks=52&area={district.code}&category=groceries",
            True,
        ),
        ("areas side by side, 13 weeks", admin, reverse("figures:equity"), False),
        ("areas side by side, 52 weeks", admin, f"{reverse('figures:equity')}?weeks=52", False),
        ("CSV, 52 weeks", admin, f"{reverse('figures:export')}?weeks=52", False),
        ("public page", anonymous, reverse("figures:impact"), False),
    ]
    print(f"{'page':<36}{'cold ms':>9}{'warm ms':>9}{'queries':>9}")
    over = []
    for name, client, url, budgeted in pages:
        cold, queries = timed(client, url, args.samples, cold=True)
        warm, _queries = timed(client, url, args.samples)
        flag = ""
        if budgeted and cold > COLD_BUDGET_MS:
            flag = f"  OVER {COLD_BUDGET_MS} ms"
            over.append(name)
        print(f"{name:<36}{cold:>9.0f}{warm:>9.0f}{queries:>9}{flag}", flush=True)
    if over:
        sys.exit(f"over the dashboard's budget of {COLD_BUDGET_MS} ms cold: {', '.join(over)}")
    print(f"every dashboard within {COLD_BUDGET_MS} ms, cold")


if __name__ == "__main__":
    main()
