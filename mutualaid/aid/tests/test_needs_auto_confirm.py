from datetime import UTC, datetime, timedelta

import time_machine
from django.test import override_settings

from mutualaid.aid import services
from mutualaid.aid.models import ClaimEnd, EventKind, NeedStatus
from mutualaid.test import BaseTestCase, changes_nothing

DONE_AT = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
WEEK_LATER = DONE_AT + timedelta(days=7)


@override_settings(AUTO_CONFIRM_DAYS=7)
class NeedsAutoConfirmTestCase(BaseTestCase):
    def fulfilled_need(self, **fields):
        with time_machine.travel(DONE_AT, tick=False):
            return super().fulfilled_need(**fields)

    def test_it_closes_a_need_left_unconfirmed_for_a_week(self):
        need = self.fulfilled_need()
        claim = need.claims.get()
        with time_machine.travel(WEEK_LATER, tick=False):
            self.assertEqual(services.needs_auto_confirm(), 1)

        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.CLOSED)
        self.assertIsNone(need.claimant)
        self.assertEqual(need.status_changed_at, WEEK_LATER)
        claim.refresh_from_db()
        self.assertEqual(claim.ended_at, WEEK_LATER)
        self.assertEqual(claim.end_reason, ClaimEnd.COMPLETED)

    def test_it_records_the_confirmation_without_an_actor(self):
        need = self.fulfilled_need()
        with time_machine.travel(WEEK_LATER, tick=False):
            services.needs_auto_confirm()
        event = need.events.get(kind=EventKind.NEED_AUTO_CONFIRMED)
        self.assertIsNone(event.actor)
        self.assertEqual(event.claim, need.claims.get())
        self.assertEqual(event.created_at, WEEK_LATER)

    def test_it_accepts_the_time_it_is_told(self):
        need = self.fulfilled_need()
        self.assertEqual(services.needs_auto_confirm(now=WEEK_LATER), 1)
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.CLOSED)

    def test_it_leaves_a_need_marked_done_less_than_a_week_ago(self):
        self.fulfilled_need()
        with (
            time_machine.travel(WEEK_LATER - timedelta(seconds=1), tick=False),
            changes_nothing(self),
        ):
            self.assertEqual(services.needs_auto_confirm(), 0)

    @override_settings(AUTO_CONFIRM_DAYS=2)
    def test_it_follows_the_configured_number_of_days(self):
        self.fulfilled_need()
        with time_machine.travel(DONE_AT + timedelta(days=2), tick=False):
            self.assertEqual(services.needs_auto_confirm(), 1)

    def test_it_leaves_open_claimed_and_finished_needs_however_old(self):
        with time_machine.travel(DONE_AT, tick=False):
            self.post_need(summary="Still open")
            self.claimed_need(summary="Still claimed")
            cancelled = self.post_need(summary="Cancelled")
            services.need_cancel(need=cancelled, member=self.requester)
            confirmed = self.claimed_need()
            services.need_mark_fulfilled(need=confirmed, member=self.volunteer)
            services.need_confirm(need=confirmed, member=self.requester)
        with time_machine.travel(DONE_AT + timedelta(days=30), tick=False), changes_nothing(self):
            self.assertEqual(services.needs_auto_confirm(), 0)

    def test_it_counts_the_clock_from_the_latest_mark_done(self):
        need = self.fulfilled_need()
        with time_machine.travel(DONE_AT + timedelta(days=5), tick=False):
            services.need_reopen(need=need, member=self.requester)
            services.need_claim(need=need, member=self.volunteer)
            services.need_mark_fulfilled(need=need, member=self.volunteer)
        with time_machine.travel(WEEK_LATER, tick=False), changes_nothing(self):
            self.assertEqual(services.needs_auto_confirm(), 0)
        with time_machine.travel(DONE_AT + timedelta(days=12), tick=False):
            self.assertEqual(services.needs_auto_confirm(), 1)

    def test_it_closes_each_need_only_once(self):
        self.fulfilled_need()
        self.fulfilled_need(summary="A second need")
        with time_machine.travel(WEEK_LATER, tick=False):
            self.assertEqual(services.needs_auto_confirm(), 2)
            with changes_nothing(self):
                self.assertEqual(services.needs_auto_confirm(), 0)
