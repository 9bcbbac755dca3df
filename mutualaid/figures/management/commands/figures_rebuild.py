from django.core.management.base import BaseCommand

from mutualaid.figures import services


class Command(BaseCommand):
    help = (
        "Compute the network's daily figures again from scratch, from the needs, claims, "
        "timeline and feedback (housekeeping keeps them up to date; this puts right whatever "
        "a change of a need's area or kind of help left counted where it was)."
    )

    def handle(self, *args, **options):
        first = services.figures_rebuild()
        if first is None:
            self.stdout.write("No need yet: nothing to count.")
        else:
            self.stdout.write(f"Figures computed again for every day from {first}.")
