"""The task workers' heartbeats, and the upkeep of the task table that rests on them.

A worker (`manage.py worker`) beats from a thread of its own every few seconds, while it waits for
work and while it runs a task: a beat says the process lives, which its loop, busy with one task
for minutes (a digest for every member), could not say in time. A killed worker (SIGKILL, a lost
machine) stops beating at once, and its task stays RUNNING, nobody's.

Housekeeping puts such a task back in the queue (READY) rather than marking it failed. Our tasks
are handed ids, never text, and each reads its rows again and changes them by compare-and-set (the
outbox marks a row SENDING before it sends and never sends a SENDING row again), so a second run
does not redo what the first finished; marking it failed would drop the work for good (a digest,
an alert, a reset link). At worst a notice is told twice, when the worker died between a task's
commit and the recording of its result. A task that every worker dies on is failed after its
``MAX_ATTEMPTS``-th, so that it cannot take the workers down one after another forever.
"""

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import WorkerBeat

logger = logging.getLogger(__name__)

BEAT_EVERY = 10.0  # seconds; far below settings.WORKER_LOST_AFTER_SECONDS
MAX_ATTEMPTS = 3


class WorkerLost(Exception):
    """Recorded on a task whose workers all stopped while running it (its exception class)."""


def beat(worker_id: str) -> None:
    """Record that the worker lives (one UPDATE; the first beat, or one after housekeeping
    deleted an old row, makes the row)."""
    now = timezone.now()
    if not WorkerBeat.objects.filter(worker_id=worker_id).update(beat_at=now):
        WorkerBeat.objects.create(worker_id=worker_id, started_at=now, beat_at=now)


class Heartbeat(threading.Thread):
    """Beats for ``worker_id`` every ``every`` seconds until ``stop()``, on its own database
    connection. A failed beat (the database restarting) is logged and tried again next time."""

    def __init__(self, worker_id: str, every: float = BEAT_EVERY):
        super().__init__(name="heartbeat", daemon=True)
        self.worker_id = worker_id
        self.every = every
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            self.beat_once()
            while not self.stopping.wait(self.every):
                self.beat_once()
        finally:
            connection.close()  # this thread's own

    def beat_once(self) -> None:
        try:
            beat(self.worker_id)
        except Exception as error:  # a dead heartbeat would make a live worker look lost
            logger.warning("The worker's heartbeat failed (%s)", type(error).__name__)
            connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join()


def lost_after() -> timedelta:
    return timedelta(seconds=settings.WORKER_LOST_AFTER_SECONDS)


def last_beat():
    """When any worker last beat, or None if none ever did."""
    return WorkerBeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()


def tasks_sweep_lost() -> int:
    """Put back in the queue each task left RUNNING by a worker that stopped beating; fail it
    after MAX_ATTEMPTS workers (see the module's docstring). Returns how many were swept.

    A task is judged only once it has run longer than a worker may stay silent, so that one just
    claimed by a worker that is starting is left alone. Each change is a compare-and-set on the
    claim's start, so a task its worker finished meanwhile is not touched."""
    now = timezone.now()
    cutoff = now - lost_after()
    alive = set(WorkerBeat.objects.filter(beat_at__gte=cutoff).values_list("worker_id", flat=True))
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
    swept = 0
    for task in running.only("pk", "started_at", "worker_ids", "task_path"):
        if task.worker_ids and task.worker_ids[-1] in alive:
            continue
        claim = DBTaskResult.objects.filter(
            pk=task.pk, status=TaskResultStatus.RUNNING, started_at=task.started_at
        )
        if len(task.worker_ids) >= MAX_ATTEMPTS:
            swept += claim.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{__name__}.{WorkerLost.__name__}",
                traceback=f"Its worker stopped while running it, {len(task.worker_ids)} times.",
            )
            logger.warning("Task %s (%s) failed: its workers stopped", task.pk, task.task_path)
        else:
            swept += claim.update(status=TaskResultStatus.READY)
            logger.warning("Task %s (%s) queued again: its worker stopped", task.pk, task.task_path)
    return swept


def task_results_delete_old() -> int:
    """Delete the results of tasks finished more than TASK_RESULTS_KEEP_DAYS ago, and the
    heartbeats of workers silent that long. Returns how many results were deleted."""
    cutoff = timezone.now() - timedelta(days=settings.TASK_RESULTS_KEEP_DAYS)
    WorkerBeat.objects.filter(beat_at__lt=cutoff).delete()
    finished = [TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED]
    deleted, _ = DBTaskResult.objects.filter(status__in=finished, finished_at__lt=cutoff).delete()
    return deleted
