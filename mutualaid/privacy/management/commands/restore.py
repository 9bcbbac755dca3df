from django.core.management.base import BaseCommand, CommandError

from mutualaid.lib.refusal import Refusal
from mutualaid.privacy import backups


class Command(BaseCommand):
    help = (
        "Load a backup made by `manage.py backup` into the configured database. Refuses, "
        "changing nothing, a backup of another database vendor or other migrations, one sealed "
        "with keys this server lacks, a damaged one, and a database that already holds a network "
        "(unless --replace)."
    )

    def add_arguments(self, parser):
        parser.add_argument("src", help="the backup's folder")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="replace the network the database holds with the backup's",
        )

    def handle(self, *args, src, replace, **options):
        try:
            manifest = backups.backup_restore(src, replace=replace)
        except Refusal as refusal:
            raise CommandError(str(refusal)) from None
        for warning in manifest["warnings"]:
            self.stderr.write(self.style.WARNING(warning))
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup taken {manifest['taken_at']}: "
                f"{len(manifest['tables'])} tables, {rows} rows."
            )
        )
