"""The CSV import at a city's scale: a request form's 50,000 rows, then the same file again.

Builds a fresh SQLite database (migrated, in a temporary folder), 200 areas and a dispatcher, then
writes a needs CSV as a Google Form exports it: a timestamp, a name, a phone, a street address (or
a postcode, or a neighborhood), what they need, its kind, how urgent, and private notes. Some
neighbors ask more than once (the same phone), and some rows are wrong in the ways real sheets
are: a kind of help the network lacks, an urgency nobody can read, an empty summary, an address
the lookup does not know, and public summaries holding a phone number, an email or a street
address, which the doxxing guard must reject. A lookup of streets and postcodes to areas goes
beside it.

The file is imported through the same code as `manage.py import_csv` (services and all), then
imported again (every row must be skipped). Prints rows/s, seconds and the counts of each run,
and checks that what was rejected is what was planted.

    cd /work/main && .venv/bin/python bench/bench_import.py [--rows 50000] [--seed 7]
"""

import argparse
import csv
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 60.0
HEADERS = [
    "Timestamp",
    "Your name",
    "Phone number",
    "Street address",
    "ZIP code",
    "Neighborhood",
    "What do you need?",
    "Kind of help",
    "How urgent is this?",
    "Anything else we should know?",
]
FIRST = [
    "Ana",
    "Ben",
    "Carla",
    "Dev",
    "Elena",
    "Farid",
    "Gloria",
    "Hung",
    "Ines",
    "Jamal",
    "Kim",
    "Luis",
    "Mei",
    "Nadia",
    "Omar",
    "Priya",
]
LAST = [
    "Garcia",
    "Nguyen",
    "Smith",
    "Okafor",
    "Rossi",
    "Kowalski",
    "Haddad",
    "Chen",
    "Silva",
    "Patel",
    "Johnson",
    "Lopez",
]
STREET_WORDS = [
    "Maple",
    "Oak",
    "Elm",
    "Cedar",
    "Pine",
    "Walnut",
    "Birch",
    "Willow",
    "Aspen",
    "Cherry",
    "Chestnut",
    "Laurel",
    "Magnolia",
    "Poplar",
    "Sycamore",
    "Juniper",
    "Hawthorn",
    "Alder",
    "Cypress",
    "Hickory",
    "Linden",
    "Spruce",
    "Redwood",
    "Sequoia",
    "Holly",
]
STREET_KINDS = [("Street", "St"), ("Avenue", "Ave"), ("Road", "Rd"), ("Lane", "Ln")]
NEEDS = [
    ("Groceries for a family of {n}", "Groceries"),
    ("Weekly groceries, no pork please", "groceries"),
    ("A ride to the clinic on {day}", "Rides"),
    ("Ride to the pharmacy and back", "Rides"),
    ("Pick up a prescription on {day}", "Prescriptions"),
    ("Childcare for two kids on {day} afternoon", "Childcare"),
    ("Help with rent this month", "Funds"),
    ("Somewhere to stay for a few nights", "Housing"),
    ("Fix a leaking sink", "Skills"),
    ("Diapers and baby formula", "Other"),
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
URGENCY = ["Urgent", "ASAP", "In 1-2 days", "This week", "This week", "Anytime", ""]
NOTES = [
    "Allergic to peanuts. Buzzer 3B, ring twice.",
    "Lives on the third floor, no lift. Call before coming.",
    "Speaks Spanish; her son can translate after 5pm.",
    "",
    "Has a small dog. Leave the bags by the door if no answer.",
]
# The planted faults: (share of rows, what the row gets wrong).
DOXXING = [
    "Call me on 415-555-{n:04d} for groceries",
    "Groceries, email me at neighbor{n}@example.org",
    "Bring food to {n} Maple Street please",
]


def setup_django(path: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "mutualaid.settings"
    os.environ["SQLITE_PATH"] = path
    os.environ["DATABASE_URL"] = ""
    os.environ["DEBUG"] = "0"  # no query log: a server's speed
    os.environ.setdefault("SECRET_KEY", "bench-import-" + os.urandom(16).hex())
    os.environ["MUTUALAID_VAR_DIR"] = str(Path(path).parent)
    os.environ["REDIS_URL"] = ""
    from mutualaid.lib.crypto import new_key_entry

    os.environ["MUTUALAID_FIELD_KEYS"] = new_key_entry()  # a throwaway key for a throwaway DB
    os.environ.pop("MUTUALAID_FIELD_KEYS_FILE", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_network(rng: random.Random, *, areas: int = 200):
    """200 areas (no neighbors needed here) and the dispatcher who imports."""
    from django.utils import timezone

    from mutualaid.accounts.models import Member, Role, RoleGrant
    from mutualaid.areas.models import Area
    from mutualaid.network.models import NetworkSettings
    from mutualaid.trust.models import Level

    Area.objects.bulk_create(Area(name=f"Area {n:03d}") for n in range(areas))
    NetworkSettings.load()
    now = timezone.now()
    dispatcher = Member.objects.create_user(
        "bench-dispatcher", None, level=Level.VOUCHED, approved_at=now, vouched_since=now
    )
    RoleGrant.objects.create(member=dispatcher, role=Role.DISPATCHER)
    return dispatcher, [f"Area {n:03d}" for n in range(areas)]


def lookup_csv(rng: random.Random, area_names: list[str]) -> tuple[str, list, list]:
    """2,000 streets and 300 postcodes, each in one area."""
    streets, postcodes = [], []
    for n in range(2000):
        word = STREET_WORDS[n % len(STREET_WORDS)]
        kind = STREET_KINDS[(n // len(STREET_WORDS)) % len(STREET_KINDS)]
        name = f"{word} {n // (len(STREET_WORDS) * len(STREET_KINDS)) + 1}{'th'} {kind[0]}"
        streets.append((name.replace(f" {kind[0]}", f" {kind[1]}"), name, rng.choice(area_names)))
    for n in range(300):
        postcodes.append((f"{94000 + n}", rng.choice(area_names)))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["street", "postcode", "area"])
    writer.writerows([name, "", area] for _short, name, area in streets)
    writer.writerows(["", code, area] for code, area in postcodes)
    return out.getvalue(), streets, postcodes


def needs_csv(rng, rows: int, streets, postcodes, area_names) -> tuple[str, dict]:
    """The form's export, and how many rows of each fault it holds."""
    planted = {"doxxing": 0, "category": 0, "urgency": 0, "empty": 0, "no_area": 0}
    phones: list[str] = []
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for n in range(rows):
        if phones and rng.random() < 0.3:
            phone = rng.choice(phones)  # someone who asked before
        else:
            phone = (
                f"({rng.choice([415, 510, 650, 408, 628])}) {rng.randint(200, 989)}-{n % 10000:04d}"
            )
            phones.append(phone)
        summary, kind = rng.choice(NEEDS)
        summary = summary.format(n=rng.randint(2, 7), day=rng.choice(DAYS))
        urgency = rng.choice(URGENCY)
        address = zipcode = neighborhood = ""
        place = rng.random()
        if place < 0.70:
            short, _name, _area = rng.choice(streets)
            address = f"{rng.randint(1, 2400)} {short}, Apt {rng.randint(1, 40)}"
        elif place < 0.85:
            zipcode = rng.choice(postcodes)[0]
        else:
            neighborhood = rng.choice(area_names)
        fault = rng.random()
        if fault < 0.03:
            summary = rng.choice(DOXXING).format(n=n % 9000 + 1000)
            planted["doxxing"] += 1
        elif fault < 0.05:
            kind = "Astrology"
            planted["category"] += 1
        elif fault < 0.06:
            urgency = "whenever the moon is full"
            planted["urgency"] += 1
        elif fault < 0.07:
            summary = ""
            planted["empty"] += 1
        elif fault < 0.08:
            address, zipcode, neighborhood = f"{rng.randint(1, 99)} Nowhere Lane", "", ""
            planted["no_area"] += 1
        writer.writerow(
            [
                f"{rng.randint(1, 12)}/{rng.randint(1, 28)}/2024 "
                f"{rng.randint(0, 23)}:{n % 60:02d}:{n % 47:02d}",
                f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                phone,
                address,
                zipcode,
                neighborhood,
                summary,
                kind,
                urgency,
                rng.choice(NOTES),
            ]
        )
    return out.getvalue(), planted


def timed_run(label: str, table, mapping, by, places):
    from mutualaid.spreadsheets.importing import run_import
    from mutualaid.spreadsheets.kinds import KINDS
    from mutualaid.spreadsheets.progress import ProgressBar

    bar = ProgressBar(len(table.rows))
    started, cpu = time.perf_counter(), time.process_time()
    report = run_import(
        kind=KINDS["needs"],
        table=table,
        mapping=mapping,
        by=by,
        places=places,
        consent=True,
        progress=bar.update,
    )
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    bar.close()
    print(
        f"{label:<7} {report.rows:>7,} rows  {seconds:6.1f} s  {report.rows / seconds:6,.0f} rows/s"
        f"  (CPU {cpu:6.1f} s, {report.rows / cpu:6,.0f} rows/s)  imported {report.imported:,}  "
        f"skipped {report.skipped:,}  rejected {len(report.rejected):,}  "
        f"load {os.getloadavg()[0]:.1f}"
    )
    return report, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as folder:
        setup_django(str(Path(folder) / "import.sqlite3"))
        from mutualaid.aid.models import Need
        from mutualaid.spreadsheets.kinds import KINDS
        from mutualaid.spreadsheets.reading import decode, read_table
        from mutualaid.spreadsheets.services import lookup_places

        by, area_names = build_network(rng)
        lookup, streets, postcodes = lookup_csv(rng, area_names)
        text, planted = needs_csv(rng, args.rows, streets, postcodes, area_names)
        print(f"A needs CSV of {args.rows:,} rows ({len(text) / 1e6:.1f} MB), planted: {planted}")
        started = time.perf_counter()
        table = read_table(decode(text.encode()))
        places = lookup_places(lookup)
        print(f"read and looked up in {time.perf_counter() - started:.1f} s")
        mapping = KINDS["needs"].guess(table.headers)
        print(f"on {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
        first, seconds = timed_run("import", table, mapping, by, places)
        again, _again_seconds = timed_run("again", table, mapping, by, places)

        expected = sum(planted.values())
        problems = []
        if len(first.rejected) != expected:
            problems.append(f"rejected {len(first.rejected)} rows, planted {expected}")
        if Need.objects.count() != first.imported:
            problems.append("needs in the database differ from the rows imported")
        if again.imported or again.rejected != first.rejected or again.skipped != first.imported:
            problems.append("the second run imported or rejected differently")
        if seconds > TARGET_SECONDS * args.rows / 50_000:
            problems.append(f"over the target of {TARGET_SECONDS:.0f} s per 50,000 rows")
        for problem in problems:
            print(f"PROBLEM: {problem}")
        return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
