from datetime import UTC, date, datetime, timedelta

import time_machine
from django.test import override_settings

from mutualaid.aid import selectors, services
from mutualaid.aid.models import EventKind, NeedStatus
from mutualaid.test import BaseTestCase, changes_nothing

POSTED_AT = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
MARCH_10 = date(2025, 3, 10)


@override_settings(OPEN_NEED_EXPIRY_DAYS=30, TIME_ZONE="UTC")
class NeedsExpireTestCase(BaseTestCase):
    def post_need_at(self, when=POSTED_AT, **fields):
        with time_machine.travel(when, tick=False):
            return self.post_need(**fields)

    def test_it_expires_an_open_need_the_day_after_it_was_needed_by(self):
        need = self.post_need_at(needed_by=MARCH_10)
        with time_machine.travel("2025-03-11 00:00Z", tick=False):
            self.assertEqual(services.needs_expire(), 1)

        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.EXPIRED)
        self.assertIsNone(need.claimant)
        self.assertEqual(need.status_changed_at, datetime(2025, 3, 11, tzinfo=UTC))
        self.assertNotIn(need, selectors.board_needs())

    def test_it_records_the_expiry_without_an_actor(self):
        need = self.post_need_at(needed_by=MARCH_10)
        with time_machine.travel("2025-03-11 00:00Z", tick=False):
            services.needs_expire()
        event = need.events.get(kind=EventKind.NEED_EXPIRED)
        self.assertIsNone(event.actor)
        self.assertIsNone(event.claim)

    def test_it_leaves_a_need_on_its_needed_by_day(self):
        self.post_need_at(needed_by=MARCH_10)
        with time_machine.travel("2025-03-10 23:59Z", tick=False), changes_nothing(self):
            self.assertEqual(services.needs_expire(), 0)

    @override_settings(TIME_ZONE="Pacific/Auckland")
    def test_it_reads_the_needed_by_day_in_the_networks_time_zone(self):
        self.post_need_at(needed_by=MARCH_10)
        # 11:00 UTC on 10 March is already midnight of 11 March in Auckland.
        with time_machine.travel("2025-03-10 11:00Z", tick=False):
            self.assertEqual(services.needs_expire(), 1)

    def test_it_expires_a_need_without_a_date_open_for_thirty_days(self):
        need = self.post_need_at()
        with time_machine.travel(POSTED_AT + timedelta(days=30, seconds=1), tick=False):
            self.assertEqual(services.needs_expire(), 1)
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.EXPIRED)

    def test_it_leaves_a_need_without_a_date_younger_than_thirty_days(self):
        self.post_need_at()
        with (
            time_machine.travel(POSTED_AT + timedelta(days=30), tick=False),
            changes_nothing(self),
        ):
            self.assertEqual(services.needs_expire(), 0)

    @override_settings(OPEN_NEED_EXPIRY_DAYS=3)
    def test_it_follows_the_configured_number_of_days(self):
        self.post_need_at()
        with time_machine.travel(POSTED_AT + timedelta(days=3, seconds=1), tick=False):
            self.assertEqual(services.needs_expire(), 1)

    def test_a_needed_by_date_still_ahead_keeps_an_old_need_open(self):
        self.post_need_at(needed_by=MARCH_10 + timedelta(days=60))
        with (
            time_machine.travel(POSTED_AT + timedelta(days=45), tick=False),
            changes_nothing(self),
        ):
            self.assertEqual(services.needs_expire(), 0)

    def test_it_leaves_needs_someone_is_helping_with(self):
        with time_machine.travel(POSTED_AT, tick=False):
            self.claimed_need(needed_by=MARCH_10)
            fulfilled = self.claimed_need(needed_by=MARCH_10)
            services.need_mark_fulfilled(need=fulfilled, member=self.volunteer)
        with (
            time_machine.travel(POSTED_AT + timedelta(days=40), tick=False),
            changes_nothing(self),
        ):
            self.assertEqual(services.needs_expire(), 0)

    def test_it_expires_each_need_only_once(self):
        self.post_need_at(needed_by=MARCH_10)
        self.post_need_at()
        with time_machine.travel(POSTED_AT + timedelta(days=31), tick=False):
            self.assertEqual(services.needs_expire(), 2)
            with changes_nothing(self):
                self.assertEqual(services.needs_expire(), 0)
