from django.core.management.base import BaseCommand

from mutualaid.accounts.tasks import clear_expired_sessions, deliver
from mutualaid.aid.tasks import CLOCKS
from mutualaid.lib import clocks


class Command(BaseCommand):
    help = (
        "Queue the loop's clocks (auto-confirm fulfilled needs, expire stale open needs, purge "
        "private text past retention), the outbox's retries and the upkeep (expired sessions, "
        "old task results, tasks left running by a lost worker, SQLite's planner statistics) "
        "for the task worker. Run it every few minutes from cron or a systemd timer."
    )

    def handle(self, *args, **options):
        # clocks.tasks(): the feature apps' periodic tasks (the notifications' daily digest, the
        # sweep of lost workers' tasks and old task results).
        for clock in [*CLOCKS, *clocks.tasks(), deliver, clear_expired_sessions]:
            result = clock.enqueue()
            self.stdout.write(f"Queued {clock.name} ({result.id})")
