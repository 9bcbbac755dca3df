"""Never sent twice: a worker killed mid-batch (SIGKILL, in another process) and a worker started
after it. Rows the dead worker sent stay sent; the row it was sending when it died is never sent
again (marked failed, "Interrupted", once it is channels.STUCK_AFTER old); the rest go once."""

import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import time_machine
from django.conf import settings
from django.db import connection
from django.test import TransactionTestCase
from django.utils import timezone

from mutualaid.accounts import services
from mutualaid.accounts.models import Delivery, DeliveryStatus, Notice
from mutualaid.lib import channels
from mutualaid.test import make_member

ROOT = Path(settings.BASE_DIR)


def worker_env() -> dict:
    """The environment of a worker on this test's own database."""
    env = {**os.environ, "MUTUALAID_FIELD_KEYS": settings.FIELD_KEYS, "DEBUG": "0"}
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = str(db["NAME"])
    else:
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        env["DATABASE_URL"] = f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return env


def stop_worker(worker: subprocess.Popen) -> None:
    """Stop a worker as systemd does (SIGTERM), killing it if it has not stopped in 10 s."""
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


class OutboxWorkerKilledTestCase(TransactionTestCase):
    # The flush after it would otherwise leave the next tests without the migrations' rows.
    serialized_rollback = True

    def setUp(self):
        self.far_end = Path(tempfile.mkdtemp()) / "far-end"
        self.far_end.touch()

        def send(notice):
            with self.far_end.open("a") as far:
                far.write(f"{notice.pk}\n")

        channels.register(channels.Channel(name="test", accepts=lambda m, k: True, send=send))
        self.addCleanup(channels.unregister, "test")

    def received(self) -> list[int]:
        return [int(line) for line in self.far_end.read_text().split()]

    def test_every_row_is_sent_at_most_once_across_a_killed_worker(self):
        member = make_member("rosa")
        notices = [Notice.objects.create(member=member, kind="message") for _ in range(5)]
        for notice in notices:
            Delivery.objects.create(notice=notice, channel="test")
        errors = self.far_end.with_name("errors")
        with errors.open("w") as stderr:
            worker = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
                [sys.executable, "-m", "mutualaid.notifications.tests.killable_worker",
                 str(self.far_end)],
                cwd=ROOT, env=worker_env(), stdout=subprocess.DEVNULL, stderr=stderr,
            )
        try:
            deadline = time.monotonic() + 60
            while len(self.received()) < 3:
                if worker.poll() is not None or time.monotonic() > deadline:
                    self.fail(f"the worker never reached row 3: {errors.read_text()[-2000:]}")
                time.sleep(0.05)
        finally:
            worker.kill()  # SIGKILL: no cleanup, no except, no finally in the worker
            worker.wait()
        first, second, third, fourth, fifth = (notice.pk for notice in notices)
        self.assertEqual(self.received(), [first, second, third])
        status = dict(Delivery.objects.values_list("notice_id", "status"))
        self.assertEqual(status[third], DeliveryStatus.SENDING)

        # The next worker sends the rest, and leaves the interrupted row alone...
        self.assertEqual(services.deliveries_send(), 2)
        self.assertEqual(services.deliveries_send(), 0)
        # ... and, once it is old, marks it failed for review instead of sending it again.
        with time_machine.travel(timezone.now() + channels.STUCK_AFTER + timedelta(minutes=1)):
            self.assertEqual(services.deliveries_send(), 0)
        self.assertEqual(sorted(self.received()), [first, second, third, fourth, fifth])
        status = dict(Delivery.objects.values_list("notice_id", "status"))
        self.assertEqual(
            status,
            {
                first: DeliveryStatus.SENT,
                second: DeliveryStatus.SENT,
                third: DeliveryStatus.FAILED,
                fourth: DeliveryStatus.SENT,
                fifth: DeliveryStatus.SENT,
            },
        )
        self.assertEqual(Delivery.objects.get(notice_id=third).error, "Interrupted")
