"""Load the demo network into an empty database: ``make demo`` runs this after ``migrate``.

The network is ``mutualaid.demo.data``; ``mutualaid.demo.loader`` writes it through the services,
all in one transaction. A second run sees the demo is there, changes nothing and prints the logins
again; a database holding anything else is refused before anything is written.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from mutualaid.accounts.models import Member
from mutualaid.aid.models import Need, Offer
from mutualaid.areas.models import Area
from mutualaid.demo import data, loader


class Command(BaseCommand):
    help = "Load the demo network (areas, members, vouches, needs, offers) into an empty database."

    def handle(self, *args, **options):
        if loader.is_loaded():
            self.stdout.write("The demo network is already loaded; nothing was changed.")
        else:
            loader.refuse_to_mix()
            with transaction.atomic():
                loader.Demo(now=timezone.now()).load()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded the demo network: {Area.objects.count()} areas, "
                    f"{Member.objects.count()} members, {Need.objects.count()} needs, "
                    f"{Offer.objects.count()} offers."
                )
            )
        self.print_logins()

    def print_logins(self):
        width = max(len(handle) for handle, _ in data.LOGINS)
        self.stdout.write(f"\nLog in with the password {data.PASSWORD!r} as:\n")
        self.stdout.write(f"  {'handle':<{width}}  to see")
        for handle, what in data.LOGINS:
            self.stdout.write(f"  {handle:<{width}}  {what}")
