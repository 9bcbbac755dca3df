from datetime import UTC, datetime

import time_machine

from mutualaid.aid import services
from mutualaid.aid.models import ClaimEnd, EventKind, Need, NeedStatus
from mutualaid.lib.refusal import Refusal
from mutualaid.test import BaseTestCase, changes_nothing

NOON = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
ONLY_REQUESTER = "Only the person who posted this need can confirm it."
STALE = "This need has just changed."
NOT_DONE = "There is nothing to confirm: the need is not marked done."


class NeedConfirmTestCase(BaseTestCase):
    def test_it_closes_the_need(self):
        need = self.fulfilled_need()
        with time_machine.travel(NOON, tick=False):
            services.need_confirm(need=need, member=self.requester)

        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.CLOSED)
        self.assertIsNone(need.claimant)
        self.assertEqual(need.status_changed_at, NOON)
        self.assertIsNone(need.auto_confirm_at())

    def test_it_ends_the_claim_as_completed(self):
        need = self.fulfilled_need()
        claim = need.claims.get()
        with time_machine.travel(NOON, tick=False):
            services.need_confirm(need=need, member=self.requester)
        claim.refresh_from_db()
        self.assertEqual(claim.ended_at, NOON)
        self.assertEqual(claim.end_reason, ClaimEnd.COMPLETED)

    def test_it_records_the_confirmation_on_the_timeline(self):
        need = self.fulfilled_need()
        services.need_confirm(need=need, member=self.requester)
        event = need.events.get(kind=EventKind.NEED_CONFIRMED)
        self.assertEqual(event.actor, self.requester)
        self.assertEqual(event.claim, need.claims.get())

    def test_it_refuses_anyone_but_the_requester(self):
        need = self.fulfilled_need()
        for member in (self.volunteer, self.organizer, self.outsider):
            with (
                self.subTest(member=member.handle),
                changes_nothing(self),
                self.assertRaisesMessage(Refusal, ONLY_REQUESTER),
            ):
                services.need_confirm(need=need, member=member)

    def test_it_refuses_confirming_an_open_need(self):
        need = self.post_need()
        with changes_nothing(self), self.assertRaisesMessage(Refusal, NOT_DONE):
            services.need_confirm(need=need, member=self.requester)

    def test_it_refuses_confirming_a_need_not_yet_marked_done(self):
        need = self.claimed_need()
        with changes_nothing(self), self.assertRaisesMessage(Refusal, NOT_DONE):
            services.need_confirm(need=need, member=self.requester)

    def test_it_refuses_confirming_twice(self):
        need = self.fulfilled_need()
        stale = Need.objects.get(pk=need.pk)
        services.need_confirm(need=need, member=self.requester)
        with changes_nothing(self), self.assertRaisesMessage(Refusal, STALE):
            services.need_confirm(need=stale, member=self.requester)

    def test_it_refuses_confirming_a_cancelled_need(self):
        need = self.post_need()
        services.need_cancel(need=need, member=self.requester)
        with changes_nothing(self), self.assertRaisesMessage(Refusal, NOT_DONE):
            services.need_confirm(need=need, member=self.requester)
