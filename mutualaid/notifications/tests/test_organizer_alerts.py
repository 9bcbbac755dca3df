"""Organizers hear of what waits for them: each new need (those who match), urgent needs nobody
took on in time (once), new safety reports (those who handle them), and once a day how many
newcomers wait (those who approve). Nobody else does."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from mutualaid.accounts.models import Notice
from mutualaid.aid import services as aid
from mutualaid.aid.models import Urgency, Visibility
from mutualaid.notifications import alerts
from mutualaid.safety import services as safety
from mutualaid.safety.models import Reason
from mutualaid.test import BaseTestCase, make_member
from mutualaid.trust.models import Level, Role

MORNING = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("UTC"))


def handles(kind: str) -> list[str]:
    return sorted(Notice.objects.filter(kind=kind).values_list("member__handle", flat=True))


class OrganizerAlertsTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.triager = make_member("tess", roles=[Role.TRIAGER])
        cls.safety_officer = make_member("sol", roles=[Role.SAFETY])
        cls.admin = make_member("ada", roles=[Role.ADMIN])

    def test_each_new_need_reaches_those_who_match_needs(self):
        with self.captureOnCommitCallbacks(execute=True):
            need = self.post_need(visibility=Visibility.ORGANIZERS)
        self.assertEqual(handles("need_waiting"), ["olga", "tess"])
        notice = Notice.objects.filter(kind="need_waiting").first()
        self.assertEqual(notice.params["need"], str(need.code))

    def test_a_need_back_on_the_board_is_not_new(self):
        need = self.post_need()
        aid.need_claim(need=need, member=self.volunteer)
        with self.captureOnCommitCallbacks(execute=True):
            aid.need_release(need=need, member=self.volunteer)
        self.assertEqual(handles("need_waiting"), [])

    def test_an_urgent_need_nobody_took_on_is_brought_up_once(self):
        with time_machine.travel(MORNING, tick=False):
            today = self.post_need(urgency=Urgency.TODAY)
            self.post_need(urgency=Urgency.ANYTIME)
            week = self.post_need(urgency=Urgency.WEEK)
            claimed = self.post_need(urgency=Urgency.TODAY)
            aid.need_claim(need=claimed, member=self.volunteer)
        with time_machine.travel(MORNING + timedelta(hours=1, minutes=59), tick=False):
            self.assertEqual(alerts.needs_unclaimed_alert(), 0)
        with time_machine.travel(MORNING + timedelta(hours=2), tick=False):
            self.assertEqual(alerts.needs_unclaimed_alert(), 1)
            self.assertEqual(alerts.needs_unclaimed_alert(), 0)
        self.assertEqual(handles("need_unclaimed"), ["olga", "tess"])
        self.assertEqual(
            {n.params["need"] for n in Notice.objects.filter(kind="need_unclaimed")},
            {str(today.code)},
        )
        with time_machine.travel(MORNING + timedelta(days=30), tick=False):
            self.assertEqual(alerts.needs_unclaimed_alert(), 1)  # the week's; never "anytime"
        self.assertEqual(
            {n.params["need"] for n in Notice.objects.filter(kind="need_unclaimed")},
            {str(today.code), str(week.code)},
        )

    def test_a_new_report_reaches_those_who_handle_reports(self):
        need = self.post_need()
        report = safety.report_file(reporter=self.volunteer, reason=Reason.SCAM, need=need)
        self.assertEqual(handles("report_filed"), ["sol"])
        notice = Notice.objects.get(kind="report_filed")
        self.assertEqual(notice.url, f"/safety/reports/{report.code}/")

    def test_newcomers_waiting_are_counted_once_a_day_to_those_who_approve(self):
        make_member("newt", level=Level.NEWCOMER)
        make_member("nia", level=Level.NEWCOMER)
        with time_machine.travel(MORNING.replace(hour=7), tick=False):
            self.assertEqual(alerts.newcomers_waiting_tell(), 0)  # before the daily hour
        with time_machine.travel(MORNING, tick=False):
            self.assertEqual(alerts.newcomers_waiting_tell(), 3)
            self.assertEqual(alerts.newcomers_waiting_tell(), 0)
        self.assertEqual(handles("newcomers_waiting"), ["ada", "olga", "sol"])
        self.assertIn("2 newcomers", Notice.objects.filter(kind="newcomers_waiting")[0].text)
        with time_machine.travel(MORNING + timedelta(days=1), tick=False):
            self.assertEqual(alerts.newcomers_waiting_tell(), 3)

    def test_the_outsider_hears_none_of_it(self):
        make_member("newt", level=Level.NEWCOMER)
        with time_machine.travel(MORNING, tick=False):
            with self.captureOnCommitCallbacks(execute=True):
                need = self.post_need(urgency=Urgency.TODAY)
            safety.report_file(reporter=self.volunteer, reason=Reason.SCAM, need=need)
            alerts.newcomers_waiting_tell()
        with time_machine.travel(MORNING + timedelta(hours=3), tick=False):
            alerts.needs_unclaimed_alert()
        self.assertFalse(Notice.objects.filter(member=self.outsider).exists())
        self.assertFalse(Notice.objects.filter(member=self.volunteer).exists())
