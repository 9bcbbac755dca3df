from datetime import timedelta
from io import StringIO
from unittest import skipUnless

import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from mutualaid.accounts.models import Session
from mutualaid.accounts.sessions import SessionStore
from mutualaid.aid import services
from mutualaid.aid.models import EventKind, NeedStatus
from mutualaid.notifications import workers
from mutualaid.notifications.tests.test_workers import task_row
from mutualaid.test import BaseTestCase


@override_settings(
    AUTO_CONFIRM_DAYS=7,
    OPEN_NEED_EXPIRY_DAYS=30,
    WORKER_LOST_AFTER_SECONDS=120,
    TASK_RESULTS_KEEP_DAYS=7,
)
class HousekeepingTestCase(BaseTestCase):
    def test_it_runs_both_clocks_through_the_task_queue(self):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            fulfilled = self.claimed_need()
            services.need_mark_fulfilled(need=fulfilled, member=self.volunteer)
            stale = self.post_need(summary="A lift to the clinic")
            fresh_by_date = self.post_need(needed_by=timezone.localdate() + timedelta(days=40))
        with time_machine.travel(start + timedelta(days=31), tick=False):
            out = StringIO()
            call_command("housekeeping", stdout=out)
        self.assertIn("confirm_overdue_needs", out.getvalue())
        for need in (fulfilled, stale, fresh_by_date):
            need.refresh_from_db()
        self.assertEqual(fulfilled.status, NeedStatus.CLOSED)
        self.assertEqual(stale.status, NeedStatus.EXPIRED)
        self.assertEqual(fresh_by_date.status, NeedStatus.OPEN)
        self.assertTrue(fulfilled.events.filter(kind=EventKind.NEED_AUTO_CONFIRMED).exists())
        self.assertTrue(stale.events.filter(kind=EventKind.NEED_EXPIRED).exists())

    @skipUnless(connection.vendor == "sqlite", "PostgreSQL's autovacuum keeps its statistics")
    def test_it_refreshes_the_query_planners_statistics(self):
        self.post_need()
        call_command("housekeeping", stdout=StringIO())
        with connection.cursor() as cursor:
            cursor.execute("SELECT tbl FROM sqlite_stat1 WHERE tbl = 'aid_need'")
            self.assertTrue(cursor.fetchall())

    def test_it_leaves_needs_whose_time_has_not_come(self):
        need = self.claimed_need()
        services.need_mark_fulfilled(need=need, member=self.volunteer)
        call_command("housekeeping", stdout=StringIO())
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.FULFILLED)

    def test_it_clears_expired_sessions_and_keeps_live_ones(self):
        start = timezone.now()
        with time_machine.travel(start - timedelta(days=15), tick=False):
            expired = SessionStore()
            expired["member"] = "gone"
            expired.create()
        live = SessionStore()
        live["member"] = "here"
        live.create()
        with time_machine.travel(start, tick=False):
            call_command("housekeeping", stdout=StringIO())
        self.assertEqual(list(Session.objects.values_list("session_key", flat=True)),
                         [live.session_key])

    def test_it_puts_back_a_lost_workers_task_and_deletes_old_results(self):
        start = timezone.now()
        with time_machine.travel(start - timedelta(days=8), tick=False):
            workers.beat("killed")
            old = task_row(TaskResultStatus.SUCCESSFUL, finished_at=timezone.now())
        lost = task_row(
            TaskResultStatus.RUNNING,
            worker_ids=["killed"],
            started_at=start - timedelta(minutes=10),
        )
        with time_machine.travel(start, tick=False):
            call_command("housekeeping", stdout=StringIO())
        self.assertFalse(DBTaskResult.objects.filter(pk=old.pk).exists())
        self.assertEqual(DBTaskResult.objects.get(pk=lost.pk).status, TaskResultStatus.READY)
