"""The workers' heartbeats and the task table's upkeep: a task left running by a worker that
stopped beating goes back in the queue (failed after MAX_ATTEMPTS workers), a live worker's task
is left alone, and old results and heartbeats are deleted."""

from datetime import timedelta

import time_machine
from django.test import TestCase, override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from mutualaid.notifications import workers
from mutualaid.notifications.models import WorkerBeat

LOST_AFTER = 120


def task_row(status, *, worker_ids=(), started_at=None, finished_at=None) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="mutualaid.accounts.tasks.deliver",
        backend_name="default",
        run_after=get_date_max(),  # as enqueue() writes "no time set"
        worker_ids=list(worker_ids),
        started_at=started_at,
        finished_at=finished_at,
    )


def status_of(task) -> str:
    return DBTaskResult.objects.get(pk=task.pk).status


@override_settings(WORKER_LOST_AFTER_SECONDS=LOST_AFTER)
class HeartbeatTests(TestCase):
    def test_the_first_beat_makes_the_row_and_the_next_moves_it_on(self):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            workers.beat("w1")
        with time_machine.travel(start + timedelta(seconds=10), tick=False):
            workers.beat("w1")
        row = WorkerBeat.objects.get()
        self.assertEqual(row.started_at, start)
        self.assertEqual(row.beat_at, start + timedelta(seconds=10))
        self.assertEqual(workers.last_beat(), row.beat_at)

    def test_no_worker_ever_beat(self):
        self.assertIsNone(workers.last_beat())


@override_settings(WORKER_LOST_AFTER_SECONDS=LOST_AFTER)
class SweepLostTasksTests(TestCase):
    def setUp(self):
        self.now = timezone.now()
        self.long_ago = self.now - timedelta(seconds=LOST_AFTER + 60)
        with time_machine.travel(self.long_ago, tick=False):
            workers.beat("dead")
        workers.beat("alive")

    def sweep(self) -> int:
        with time_machine.travel(self.now, tick=False):
            return workers.tasks_sweep_lost()

    def test_a_task_of_a_worker_that_stopped_beating_goes_back_in_the_queue(self):
        lost = task_row(TaskResultStatus.RUNNING, worker_ids=["dead"], started_at=self.long_ago)
        self.assertEqual(self.sweep(), 1)
        self.assertEqual(status_of(lost), TaskResultStatus.READY)
        # The worker that takes it next is added to its history, as db_worker's claim does.
        self.assertEqual(DBTaskResult.objects.get(pk=lost.pk).worker_ids, ["dead"])
        self.assertEqual(DBTaskResult.objects.ready().count(), 1)

    def test_a_task_whose_worker_left_no_heartbeat_at_all_goes_back_too(self):
        lost = task_row(TaskResultStatus.RUNNING, worker_ids=["gone"], started_at=self.long_ago)
        self.assertEqual(self.sweep(), 1)
        self.assertEqual(status_of(lost), TaskResultStatus.READY)

    def test_a_live_workers_long_task_is_left_running(self):
        busy = task_row(TaskResultStatus.RUNNING, worker_ids=["alive"], started_at=self.long_ago)
        self.assertEqual(self.sweep(), 0)
        self.assertEqual(status_of(busy), TaskResultStatus.RUNNING)

    def test_a_task_claimed_moments_ago_is_not_judged_yet(self):
        fresh = task_row(TaskResultStatus.RUNNING, worker_ids=["new"], started_at=self.now)
        self.assertEqual(self.sweep(), 0)
        self.assertEqual(status_of(fresh), TaskResultStatus.RUNNING)

    def test_a_task_its_workers_died_on_three_times_is_failed_not_run_again(self):
        poison = task_row(
            TaskResultStatus.RUNNING,
            worker_ids=["first", "second", "dead"],
            started_at=self.long_ago,
        )
        self.assertEqual(self.sweep(), 1)
        row = DBTaskResult.objects.get(pk=poison.pk)
        self.assertEqual(row.status, TaskResultStatus.FAILED)
        self.assertEqual(row.finished_at, self.now)
        self.assertIs(row.task_result.errors[0].exception_class, workers.WorkerLost)

    def test_tasks_that_are_not_running_are_left_alone(self):
        rows = [
            task_row(TaskResultStatus.READY),
            task_row(
                TaskResultStatus.SUCCESSFUL,
                worker_ids=["dead"],
                started_at=self.long_ago,
                finished_at=self.long_ago,
            ),
        ]
        self.assertEqual(self.sweep(), 0)
        self.assertEqual(
            [status_of(row) for row in rows],
            [TaskResultStatus.READY, TaskResultStatus.SUCCESSFUL],
        )


@override_settings(TASK_RESULTS_KEEP_DAYS=7)
class DeleteOldTaskResultsTests(TestCase):
    def test_results_finished_before_the_kept_days_go_and_the_rest_stay(self):
        now = timezone.now()
        old, recent = now - timedelta(days=8), now - timedelta(days=6)
        gone = [
            task_row(TaskResultStatus.SUCCESSFUL, started_at=old, finished_at=old),
            task_row(TaskResultStatus.FAILED, started_at=old, finished_at=old),
        ]
        kept = [
            task_row(TaskResultStatus.SUCCESSFUL, started_at=recent, finished_at=recent),
            task_row(TaskResultStatus.READY),
            task_row(TaskResultStatus.RUNNING, worker_ids=["w"], started_at=old),
        ]
        with time_machine.travel(old, tick=False):
            workers.beat("long gone")
        workers.beat("here")
        self.assertEqual(workers.task_results_delete_old(), 2)
        remaining = set(DBTaskResult.objects.values_list("pk", flat=True))
        self.assertEqual(remaining, {row.pk for row in kept})
        self.assertFalse(remaining & {row.pk for row in gone})
        self.assertEqual(list(WorkerBeat.objects.values_list("worker_id", flat=True)), ["here"])
