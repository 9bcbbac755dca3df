from django.core.management.base import BaseCommand, CommandError

from mutualaid.lib.refusal import Refusal
from mutualaid.privacy import backups


class Command(BaseCommand):
    help = (
        "Write a consistent snapshot of the database into the new folder DEST while the server "
        "runs: the data and a manifest (SQLite's online backup, or pg_dump). The field keys are "
        "never in it: keep them apart."
    )

    def add_arguments(self, parser):
        parser.add_argument("dest", help="the folder to create")
        parser.add_argument(
            "--overwrite", action="store_true", help="replace DEST when it already exists"
        )

    def handle(self, *args, dest, overwrite, **options):
        try:
            manifest = backups.backup_take(dest, overwrite=overwrite)
        except Refusal as refusal:
            raise CommandError(str(refusal)) from None
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up the {manifest['vendor']} database to {dest}: "
                f"{len(manifest['tables'])} tables, {rows} rows, as of {manifest['taken_at']}."
            )
        )
        keys = ", ".join(manifest["field_key_ids"]) or "none yet"
        self.stdout.write(
            f"Restoring it needs the field keys {keys} (MUTUALAID_FIELD_KEYS), which are not in "
            "the backup: keep a copy of them somewhere else."
        )
