"""The background worker that outlives a database restart: `manage.py worker`.

django-tasks-db's `db_worker` stops on the first error from a lost database connection. This is
the same worker, carrying on: on a lost connection it closes every connection, waits (1, 2, 4...
up to 30 seconds) and goes back to its loop, so a restarted database costs a pause, not the
outbox. It stops cleanly on SIGTERM like db_worker.
"""

import logging
import time

from django.db import connections
from django.db.utils import InterfaceError, OperationalError
from django_tasks_db.management.commands import db_worker

logger = logging.getLogger("mutualaid.worker")

MAX_PAUSE = 30


class ResilientWorker(db_worker.Worker):
    def run(self) -> None:
        pause = 1
        while self.running:
            try:
                return super().run()
            except (OperationalError, InterfaceError) as error:
                logger.warning(
                    "The database is unavailable (%s); trying again in %d s",
                    type(error).__name__,
                    pause,
                )
                connections.close_all()
                time.sleep(pause)
                pause = min(pause * 2, MAX_PAUSE)
        return None


class Command(db_worker.Command):
    help = "Run the background worker; it carries on after the database restarts."

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        max_tasks,
        worker_id,
        exclude_queues,
        **options,
    ):
        self.configure_logging(verbosity)
        worker = ResilientWorker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
        )
        worker.configure_signals()
        worker.run()
