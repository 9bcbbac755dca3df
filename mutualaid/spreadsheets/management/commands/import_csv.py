"""`manage.py import_csv KIND FILE`: import a CSV of needs, offers, members or resources as the
upload page does, with a progress bar on stderr and the report on stdout.

Each column is matched to the field its name suggests (the page's first guess); the mapping is
printed first. A row's address, postcode or coordinates find its area through --lookup, then
are dropped. Re-running the same file skips every row it imported.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from mutualaid.lib.refusal import Refusal
from mutualaid.spreadsheets import reading
from mutualaid.spreadsheets.importing import run_import
from mutualaid.spreadsheets.kinds import KINDS, Kind
from mutualaid.spreadsheets.progress import ProgressBar
from mutualaid.spreadsheets.services import LOOKUP_MAX_BYTES, lookup_places


def read_file(path: str, limit: int) -> str:
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"No file at {path}")
    try:
        reading.refuse_oversize(file.stat().st_size, limit)
        return reading.decode(file.read_bytes(), limit=limit)
    except Refusal as refusal:
        raise CommandError(f"{path}: {refusal.message}") from None


def who_imports(handle: str | None, kind: Kind):
    """The member named, or else the one member whose roles may import this kind."""
    members = get_user_model().objects.filter(is_active=True)
    if handle:
        member = members.filter(handle__iexact=handle.removeprefix("@")).first()
        if member is None:
            raise CommandError(f"No active member has the handle {handle!r}")
        return member
    organizers = members.filter(role_grants__isnull=False, role_grants__removed_at__isnull=True)
    able = [member for member in organizers.distinct() if kind.may_import(member)]
    if len(able) != 1:
        raise CommandError(
            f"Say who imports it with --as HANDLE: an organizer whose role may import {kind.name}"
        )
    return able[0]


class Command(BaseCommand):
    help = (
        "Import a CSV export of Google Sheets, Google Forms or Airtable: needs, offers, members "
        "or resources. Prints the column mapping, a progress bar on stderr, the counts and the "
        "rejected rows with their line numbers."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file")
        parser.add_argument(
            "--lookup", help="a CSV of streets, postcodes or lat/lon to areas (area column)"
        )
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument(
            "--as",
            dest="handle",
            help="the organizer who imports it (default: the only one who may)",
        )
        parser.add_argument(
            "--consent",
            action="store_true",
            help="the people in the file agreed that the network records and contacts them "
            "(needed for needs and members without a consent column)",
        )

    def handle(
        self, *args, kind, file, lookup=None, dry_run=False, handle=None, consent=False, **options
    ):
        chosen = KINDS[kind]
        by = who_imports(handle, chosen)
        try:
            table = reading.read_table(read_file(file, reading.MAX_BYTES))
            places = lookup_places(read_file(lookup, LOOKUP_MAX_BYTES) if lookup else "")
        except Refusal as refusal:
            raise CommandError(str(refusal.message)) from None
        mapping = chosen.guess(table.headers)
        for header, name in zip(table.headers, mapping, strict=True):
            target = chosen.column(name).label if name else "not imported"
            self.stderr.write(f"  {header or '(no name)'} -> {target}")
        bar = ProgressBar(len(table.rows), stream=self.stderr._out)
        try:
            report = run_import(
                kind=chosen,
                table=table,
                mapping=mapping,
                by=by,
                places=places,
                consent=consent,
                dry_run=dry_run,
                progress=bar.update,
            )
        except Refusal as refusal:
            raise CommandError(str(refusal.message)) from None
        finally:
            bar.close()
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            f"{verb} {report.imported}, skipped {report.skipped} imported before, "
            f"rejected {len(report.rejected)} (of {report.rows} rows)."
        )
        for line, reason in report.rejected:
            self.stdout.write(f"line {line}: {reason}")
