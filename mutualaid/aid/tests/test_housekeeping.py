from datetime import timedelta
from io import StringIO

import time_machine
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from mutualaid.aid import services
from mutualaid.aid.models import EventKind, NeedStatus
from mutualaid.test import BaseTestCase


@override_settings(AUTO_CONFIRM_DAYS=7, OPEN_NEED_EXPIRY_DAYS=30)
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

    def test_it_leaves_needs_whose_time_has_not_come(self):
        need = self.claimed_need()
        services.need_mark_fulfilled(need=need, member=self.volunteer)
        call_command("housekeeping", stdout=StringIO())
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.FULFILLED)
