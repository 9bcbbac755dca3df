"""A real worker (another process) beats while it waits and while it runs a long task; /healthz
says so. Killed (SIGKILL) in the middle of that task, it stops beating: /healthz says that too,
housekeeping's sweep puts the task back in the queue, and the next worker runs it to the end."""

import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import time_machine
from django.conf import settings
from django.test import TransactionTestCase, override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from mutualaid.notifications import workers
from mutualaid.notifications.models import WorkerBeat
from mutualaid.notifications.tests.naps import nap
from mutualaid.notifications.tests.test_outbox_worker_killed import stop_worker, worker_env

ROOT = Path(settings.BASE_DIR)
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def wait_for(condition, seconds=30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@override_settings(TASKS=DATABASE, WORKER_LOST_AFTER_SECONDS=60)
class WorkerHeartbeatTestCase(TransactionTestCase):
    # The flush after it would otherwise leave the next tests without the migrations' rows.
    serialized_rollback = True

    def start_worker(self, worker_id: str) -> subprocess.Popen:
        worker = subprocess.Popen(  # noqa: S603 (our own manage.py, fixed arguments)
            [sys.executable, "manage.py", "worker", "--interval", "0.05", "--no-startup-delay",
             "--beat", "0.1", "--worker-id", worker_id],
            cwd=ROOT,
            env={**worker_env(), "DEBUG": "1"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.addCleanup(stop_worker, worker)
        return worker

    def beat_of(self, worker_id: str):
        return WorkerBeat.objects.filter(worker_id=worker_id).values_list("beat_at", flat=True)[0]

    def test_a_killed_workers_task_is_run_by_the_next_worker(self):
        busy = Path(tempfile.mkdtemp()) / "busy"
        busy.touch()
        first = self.start_worker("first")
        self.assertTrue(wait_for(WorkerBeat.objects.filter(worker_id="first").exists))
        self.assertEqual(self.client.get("/healthz").json(), {"database": "ok", "worker": "ok"})

        result = nap.enqueue(str(busy))
        task = DBTaskResult.objects.filter(pk=result.id)
        self.assertTrue(wait_for(task.filter(status=TaskResultStatus.RUNNING).exists))
        running_since = self.beat_of("first")
        self.assertTrue(
            wait_for(lambda: self.beat_of("first") > running_since, seconds=10),
            "the worker did not beat while it ran a task",
        )
        self.assertEqual(task.get().status, TaskResultStatus.RUNNING)
        self.assertEqual(self.client.get("/healthz").status_code, 200)

        first.kill()  # SIGKILL: no cleanup, the task left RUNNING
        first.wait()
        later = timezone.now() + timedelta(seconds=61)
        with time_machine.travel(later, tick=False):
            response = self.client.get("/healthz")
            self.assertEqual(response.status_code, 503)
            self.assertEqual(response.json()["database"], "ok")
            self.assertRegex(response.json()["worker"], r"^no heartbeat for 6\d s$")
            self.assertEqual(workers.tasks_sweep_lost(), 1)
        self.assertEqual(task.get().status, TaskResultStatus.READY)

        busy.unlink()
        self.start_worker("second")
        self.assertTrue(wait_for(task.filter(status=TaskResultStatus.SUCCESSFUL).exists))
        self.assertEqual(task.get().worker_ids, ["first", "second"])
