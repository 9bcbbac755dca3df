from django.core.management.base import BaseCommand

from mutualaid.lib.crypto import new_key_entry


class Command(BaseCommand):
    requires_system_checks = []  # it runs before any key exists
    help = (
        "Print a new field encryption key as id:base64key. Append it (comma or newline) to "
        "MUTUALAID_FIELD_KEYS or its file, then run rotate_keys."
    )

    def add_arguments(self, parser):
        parser.add_argument("--id", help="the key's id (letters and digits); random if omitted")

    def handle(self, *args, **options):
        self.stdout.write(new_key_entry(options["id"]))
