"""The background worker that outlives a database restart: `manage.py worker`.

django-tasks-db's `db_worker` stops on the first error from a lost database connection. This is
the same worker, carrying on: on a lost connection it closes every connection, waits (1, 2, 4...
up to 30 seconds) and goes back to its loop, so a restarted database costs a pause, not the
outbox. It stops cleanly on SIGTERM like db_worker.

While it runs, a thread of its own beats every ``--beat`` seconds (mutualaid/notifications/
workers.py), so that /healthz can tell it lives and housekeeping can tell its running tasks from
those of a worker that was killed.
"""

import logging
import time
from argparse import ArgumentTypeError

from django.db import connections
from django.db.utils import InterfaceError, OperationalError
from django_tasks_db.management.commands import db_worker

from mutualaid.notifications import workers

logger = logging.getLogger("mutualaid.worker")

MAX_PAUSE = 30


def seconds_between_beats(value: str) -> float:
    seconds = db_worker.valid_interval(value)
    if seconds <= 0:
        raise ArgumentTypeError("Must be more than zero")
    return seconds


class ResilientWorker(db_worker.Worker):
    def __init__(self, *, beat_every: float, **options):
        super().__init__(**options)
        self.beat_every = beat_every

    def run(self) -> None:
        heartbeat = workers.Heartbeat(self.worker_id, every=self.beat_every)
        heartbeat.start()
        try:
            self.run_resiliently()
        finally:
            heartbeat.stop()

    def run_resiliently(self) -> None:
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

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--beat",
            type=seconds_between_beats,
            default=workers.BEAT_EVERY,
            dest="beat_every",
            help="Seconds between the worker's heartbeats (default: %(default)r)",
        )

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
        beat_every,
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
            beat_every=beat_every,
        )
        worker.configure_signals()
        worker.run()
