"""Load the demo network into an empty database: ``make demo`` runs this after ``migrate``.

The network is ``mutualaid.demo.data``; ``mutualaid.demo.loader`` writes it through the services,
all in one transaction, and ends with the worker's next round: the emails waiting in the outbox
and a daily digest, into the demo's mail folder (var/mail in DEBUG). A second run sees the demo is
there, changes nothing and prints the logins again; a database holding anything else is refused
before anything is written.
"""

from django.conf import settings
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
                emails, digests = loader.Demo(now=timezone.now()).load()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded the demo network: {Area.objects.count()} areas, "
                    f"{Member.objects.count()} members, {Need.objects.count()} needs, "
                    f"{Offer.objects.count()} offers."
                )
            )
            self.stdout.write(
                f"Sent {emails} email(s) right away and {digests} daily digest(s) {mail_went()}."
            )
        self.print_logins()
        self.print_mail()

    def print_logins(self):
        width = max(len(handle) for handle, _ in data.LOGINS)
        self.stdout.write(f"\nLog in with the password {data.PASSWORD!r} as:\n")
        self.stdout.write(f"  {'handle':<{width}}  to see")
        for handle, what in data.LOGINS:
            self.stdout.write(f"  {handle:<{width}}  {what}")

    def print_mail(self):
        self.stdout.write("\nBy email (the others hear in the app only):")
        for handle, email, mode in data.MAIL:
            how = "right away" if mode == "now" else "in a daily digest"
            self.stdout.write(f"  {handle} <{email}> {how}")
        self.stdout.write(f"Mail goes {mail_went()}.")


def mail_went() -> str:
    """Where the demo's email goes: the mail folder in DEBUG (see settings.EMAIL_BACKEND)."""
    if settings.EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend":
        return f"into the mail folder {settings.EMAIL_FILE_PATH}"
    return f"through {settings.EMAIL_BACKEND}"
