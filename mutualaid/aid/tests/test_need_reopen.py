from datetime import UTC, datetime

import time_machine

from mutualaid.aid import selectors, services
from mutualaid.aid.models import ClaimEnd, EventKind, NeedStatus
from mutualaid.lib.refusal import Refusal
from mutualaid.test import BaseTestCase, changes_nothing

NOON = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
ONLY_REQUESTER = "Only the person who posted this need can reopen it."
STALE = "This need has just changed."
NOT_REOPEN = "Only a need marked done can be reopened."


class NeedReopenTestCase(BaseTestCase):
    def test_it_puts_the_need_back_on_the_board(self):
        need = self.fulfilled_need()
        with time_machine.travel(NOON, tick=False):
            services.need_reopen(need=need, member=self.requester)

        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.OPEN)
        self.assertIsNone(need.claimant)
        self.assertEqual(need.status_changed_at, NOON)
        self.assertIn(need, selectors.board_needs())

    def test_it_ends_the_claim_as_reopened(self):
        need = self.fulfilled_need()
        claim = need.claims.get()
        with time_machine.travel(NOON, tick=False):
            services.need_reopen(need=need, member=self.requester)
        claim.refresh_from_db()
        self.assertEqual(claim.ended_at, NOON)
        self.assertEqual(claim.end_reason, ClaimEnd.REOPENED)

    def test_it_records_the_reopening_on_the_timeline(self):
        need = self.fulfilled_need()
        services.need_reopen(need=need, member=self.requester)
        event = need.events.get(kind=EventKind.NEED_REOPENED)
        self.assertEqual(event.actor, self.requester)
        self.assertEqual(event.claim, need.claims.get())

    def test_the_reopened_need_can_be_claimed_again(self):
        need = self.fulfilled_need()
        services.need_reopen(need=need, member=self.requester)
        services.need_claim(need=need, member=self.outsider)
        need.refresh_from_db()
        self.assertEqual(need.claimant, self.outsider)
        self.assertEqual(need.claims.filter(ended_at__isnull=True).get().volunteer, self.outsider)

    def test_it_refuses_anyone_but_the_requester(self):
        need = self.fulfilled_need()
        for member in (self.volunteer, self.organizer, self.outsider):
            with (
                self.subTest(member=member.handle),
                changes_nothing(self),
                self.assertRaisesMessage(Refusal, ONLY_REQUESTER),
            ):
                services.need_reopen(need=need, member=member)

    def test_it_refuses_reopening_an_open_need(self):
        need = self.post_need()
        with changes_nothing(self), self.assertRaisesMessage(Refusal, NOT_REOPEN):
            services.need_reopen(need=need, member=self.requester)

    def test_it_refuses_reopening_a_need_not_yet_marked_done(self):
        need = self.claimed_need()
        with changes_nothing(self), self.assertRaisesMessage(Refusal, NOT_REOPEN):
            services.need_reopen(need=need, member=self.requester)

    def test_it_refuses_reopening_a_closed_need(self):
        need = self.fulfilled_need()
        services.need_confirm(need=need, member=self.requester)
        with changes_nothing(self), self.assertRaisesMessage(Refusal, NOT_REOPEN):
            services.need_reopen(need=need, member=self.requester)

    def test_it_refuses_reopening_a_cancelled_need(self):
        need = self.post_need()
        services.need_cancel(need=need, member=self.requester)
        with changes_nothing(self), self.assertRaisesMessage(Refusal, NOT_REOPEN):
            services.need_reopen(need=need, member=self.requester)
