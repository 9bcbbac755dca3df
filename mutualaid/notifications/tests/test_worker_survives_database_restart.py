"""The worker survives the database going away under it (a restart): on PostgreSQL, its
connections are cut mid-run, and the next task is still run."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import TransactionTestCase, override_settings
from django_tasks_db.models import DBTaskResult

from mutualaid.accounts import tasks
from mutualaid.notifications.tests.test_outbox_worker_killed import stop_worker

ROOT = Path(settings.BASE_DIR)
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def wait_for(condition, seconds=30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="cuts PostgreSQL connections; SQLite has no server to restart",
)
@override_settings(TASKS=DATABASE)
class WorkerSurvivesDatabaseRestartTestCase(TransactionTestCase):
    # The flush after it would otherwise leave the next tests without the migrations' rows.
    serialized_rollback = True

    def start_worker(self):
        db = settings.DATABASES["default"]
        url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "MUTUALAID_FIELD_KEYS": settings.FIELD_KEYS,
            "DEBUG": "1",
        }
        worker = subprocess.Popen(  # noqa: S603 (our own manage.py, fixed arguments)
            [sys.executable, "manage.py", "worker", "--interval", "0.2", "--no-startup-delay"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.addCleanup(self.stop, worker)
        return worker

    def stop(self, worker):
        stop_worker(worker)
        worker.stderr.close()

    def succeeded(self, result):
        return DBTaskResult.objects.filter(id=result.id, status="SUCCESSFUL").exists()

    def test_it_carries_on_after_its_connections_are_cut(self):
        worker = self.start_worker()
        first = tasks.deliver.enqueue([])
        self.assertTrue(wait_for(lambda: self.succeeded(first)), "the worker ran nothing")

        # The database "restarts": every other connection to it is cut.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        time.sleep(1)
        self.assertIsNone(worker.poll(), "the worker stopped when the database went away")

        second = tasks.deliver.enqueue([])
        self.assertTrue(
            wait_for(lambda: self.succeeded(second), seconds=45),
            "the worker did not carry on after the database came back",
        )
        self.assertIsNone(worker.poll())
