from django.core.management.base import BaseCommand

from mutualaid.accounts.tasks import deliver
from mutualaid.aid.tasks import CLOCKS
from mutualaid.lib import clocks


class Command(BaseCommand):
    help = (
        "Queue the loop's clocks (auto-confirm fulfilled needs, expire stale open needs, purge "
        "private text past retention) and the outbox's retries for the task worker. Run it every "
        "few minutes from cron or a systemd timer."
    )

    def handle(self, *args, **options):
        # clocks.tasks(): the feature apps' periodic tasks (the notifications' daily digest).
        for clock in [*CLOCKS, *clocks.tasks(), deliver]:
            result = clock.enqueue()
            self.stdout.write(f"Queued {clock.name} ({result.id})")
