from datetime import UTC, datetime

import time_machine

from mutualaid.aid import selectors, services
from mutualaid.aid.models import ClaimEnd, EventKind, NeedStatus
from mutualaid.lib.refusal import Refusal
from mutualaid.test import BaseTestCase, changes_nothing

NOON = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
ONLY_REQUESTER = "Only the person who posted this need can cancel it."
TOO_LATE = "This need can no longer be cancelled"


class NeedCancelTestCase(BaseTestCase):
    def test_it_cancels_an_open_need(self):
        need = self.post_need()
        with time_machine.travel(NOON, tick=False):
            services.need_cancel(need=need, member=self.requester)

        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.CANCELLED)
        self.assertIsNone(need.claimant)
        self.assertEqual(need.status_changed_at, NOON)
        self.assertNotIn(need, selectors.board_needs())
        self.assertFalse(need.claims.exists())

    def test_it_records_the_cancellation_of_an_open_need(self):
        need = self.post_need()
        services.need_cancel(need=need, member=self.requester)
        event = need.events.get(kind=EventKind.NEED_CANCELLED)
        self.assertEqual(event.actor, self.requester)
        self.assertIsNone(event.claim)

    def test_it_cancels_a_claimed_need_and_ends_the_claim(self):
        need = self.claimed_need()
        claim = need.claims.get()
        with time_machine.travel(NOON, tick=False):
            services.need_cancel(need=need, member=self.requester)

        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.CANCELLED)
        self.assertIsNone(need.claimant)
        claim.refresh_from_db()
        self.assertEqual(claim.ended_at, NOON)
        self.assertEqual(claim.end_reason, ClaimEnd.CANCELLED)
        event = need.events.get(kind=EventKind.NEED_CANCELLED)
        self.assertEqual(event.actor, self.requester)
        self.assertEqual(event.claim, claim)

    def test_it_refuses_anyone_but_the_requester(self):
        need = self.claimed_need()
        for member in (self.volunteer, self.organizer, self.outsider):
            with (
                self.subTest(member=member.handle),
                changes_nothing(self),
                self.assertRaisesMessage(Refusal, ONLY_REQUESTER),
            ):
                services.need_cancel(need=need, member=member)

    def test_it_refuses_a_need_marked_done(self):
        need = self.claimed_need()
        services.need_mark_fulfilled(need=need, member=self.volunteer)
        with changes_nothing(self), self.assertRaisesMessage(Refusal, TOO_LATE):
            services.need_cancel(need=need, member=self.requester)

    def test_it_refuses_a_closed_need(self):
        need = self.claimed_need()
        services.need_mark_fulfilled(need=need, member=self.volunteer)
        services.need_confirm(need=need, member=self.requester)
        with changes_nothing(self), self.assertRaisesMessage(Refusal, TOO_LATE):
            services.need_cancel(need=need, member=self.requester)

    def test_it_refuses_cancelling_twice(self):
        need = self.post_need()
        services.need_cancel(need=need, member=self.requester)
        with changes_nothing(self), self.assertRaisesMessage(Refusal, TOO_LATE):
            services.need_cancel(need=need, member=self.requester)

    def test_it_refuses_an_expired_need(self):
        with time_machine.travel(NOON, tick=False):
            need = self.post_need(needed_by=NOON.date())
        with time_machine.travel("2025-03-12 09:00Z", tick=False):
            services.needs_expire()
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.EXPIRED)
        with changes_nothing(self), self.assertRaisesMessage(Refusal, TOO_LATE):
            services.need_cancel(need=need, member=self.requester)
