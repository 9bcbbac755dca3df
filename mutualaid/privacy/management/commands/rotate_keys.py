from django.core.management.base import BaseCommand

from mutualaid.privacy.services import fields_reseal


class Command(BaseCommand):
    help = "Re-seal every encrypted value with the newest key in MUTUALAID_FIELD_KEYS."

    def handle(self, *args, **options):
        report = fields_reseal()
        for (label, field), (resealed, total) in sorted(report.items()):
            self.stdout.write(f"{label}.{field}: re-sealed {resealed} of {total} values")
        left = sum(total - resealed for resealed, total in report.values())
        self.stdout.write(
            f"Done: {sum(r for r, _ in report.values())} values re-sealed; "
            f"every value is now under the newest key."
            if not left
            else f"Done; {left} values were already under the newest key."
        )
