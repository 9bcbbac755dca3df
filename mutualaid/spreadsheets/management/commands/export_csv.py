"""`manage.py export_csv KIND`: needs, offers or resources as CSV, as the export page gives them
to the organizer named (private details only if their role reads them, and recorded so)."""

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from mutualaid.spreadsheets import exporting


class Command(BaseCommand):
    help = "Write needs, offers or resources as CSV, as an organizer's export gives them."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(exporting.EXPORTS))
        parser.add_argument("--as", dest="handle", required=True, help="the organizer exporting")
        parser.add_argument("--output", "-o", help="a file to write (default: standard output)")

    def handle(self, *args, kind, handle, output=None, **options):
        member = (
            get_user_model()
            .objects.filter(handle__iexact=handle.removeprefix("@"), is_active=True)
            .first()
        )
        if member is None:
            raise CommandError(f"No active member has the handle {handle!r}")
        if not exporting.may_export(member):
            raise CommandError(f"{member.handle}'s roles do not export the network's records")
        lines = exporting.export_lines(kind, member)
        if output:
            with open(output, "w", encoding="utf-8", newline="") as file:
                file.writelines(lines)
        else:
            out = getattr(self.stdout, "_out", sys.stdout)
            for line in lines:
                out.write(line)
