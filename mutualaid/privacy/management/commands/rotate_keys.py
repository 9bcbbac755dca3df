from django.core.management.base import BaseCommand, CommandError

from mutualaid.lib.crypto import SealError
from mutualaid.privacy.services import fields_reseal


class Command(BaseCommand):
    help = "Re-seal every encrypted value with the newest key in MUTUALAID_FIELD_KEYS."

    def handle(self, *args, **options):
        try:
            report = fields_reseal()
        except SealError as error:
            raise CommandError(
                f"A value could not be opened ({error}). Keep every old key in "
                "MUTUALAID_FIELD_KEYS, with the new one last, until rotation has finished; "
                "values already re-sealed stay re-sealed, so run it again once fixed."
            ) from None
        for (label, field), (resealed, total) in sorted(report.items()):
            self.stdout.write(f"{label}.{field}: re-sealed {resealed} of {total} values")
        left = sum(total - resealed for resealed, total in report.values())
        self.stdout.write(
            f"Done: {sum(r for r, _ in report.values())} values re-sealed; "
            f"every value is now under the newest key."
            if not left
            else f"Done; {left} values were already under the newest key."
        )
