from datetime import UTC, datetime

import time_machine

from mutualaid.aid import selectors, services
from mutualaid.aid.models import ClaimEnd, EventKind, Need, NeedStatus
from mutualaid.lib.refusal import Refusal
from mutualaid.test import BaseTestCase, changes_nothing, make_member

NOON = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
ONLY_CLAIMANT = "Only the volunteer who claimed this need can release it."
STALE = "This need has just changed."


class NeedReleaseTestCase(BaseTestCase):
    def test_it_puts_the_need_back_on_the_board(self):
        need = self.claimed_need()
        with time_machine.travel(NOON, tick=False):
            services.need_release(need=need, member=self.volunteer)

        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.OPEN)
        self.assertIsNone(need.claimant)
        self.assertEqual(need.status_changed_at, NOON)
        self.assertIn(need, selectors.board_needs())

    def test_it_ends_the_claim_as_released(self):
        need = self.claimed_need()
        claim = need.claims.get()
        with time_machine.travel(NOON, tick=False):
            services.need_release(need=need, member=self.volunteer)

        claim.refresh_from_db()
        self.assertEqual(claim.ended_at, NOON)
        self.assertEqual(claim.end_reason, ClaimEnd.RELEASED)
        self.assertEqual(claim.volunteer, self.volunteer)
        self.assertFalse(need.claims.filter(ended_at__isnull=True).exists())

    def test_it_records_the_release_on_the_timeline(self):
        need = self.claimed_need()
        claim = need.claims.get()
        services.need_release(need=need, member=self.volunteer)
        event = need.events.get(kind=EventKind.CLAIM_RELEASED)
        self.assertEqual(event.actor, self.volunteer)
        self.assertEqual(event.claim, claim)

    def test_it_refuses_anyone_but_the_claimant(self):
        need = self.claimed_need()
        for member in (self.requester, self.organizer, self.outsider):
            with (
                self.subTest(member=member.handle),
                changes_nothing(self),
                self.assertRaisesMessage(Refusal, ONLY_CLAIMANT),
            ):
                services.need_release(need=need, member=member)

    def test_it_refuses_an_open_need(self):
        need = self.post_need()
        with (
            changes_nothing(self),
            self.assertRaisesMessage(Refusal, ONLY_CLAIMANT),
        ):
            services.need_release(need=need, member=self.volunteer)

    def test_it_refuses_a_need_marked_done(self):
        need = self.claimed_need()
        services.need_mark_fulfilled(need=need, member=self.volunteer)
        with changes_nothing(self), self.assertRaisesMessage(Refusal, STALE):
            services.need_release(need=need, member=self.volunteer)

    def test_it_refuses_a_second_release_from_a_page_loaded_before_the_first(self):
        need = self.claimed_need()
        stale = Need.objects.get(pk=need.pk)
        services.need_release(need=need, member=self.volunteer)
        with changes_nothing(self), self.assertRaisesMessage(Refusal, STALE):
            services.need_release(need=stale, member=self.volunteer)

    def test_it_refuses_a_former_claimant_releasing_the_next_volunteers_claim(self):
        # A double-submitted "release": the second request loaded the need while Vic held it.
        need = self.claimed_need()
        stale = Need.objects.get(pk=need.pk)
        services.need_release(need=need, member=self.volunteer)
        wanda = make_member("wanda")
        services.need_claim(need=need, member=wanda)

        with changes_nothing(self), self.assertRaises(Refusal):
            services.need_release(need=stale, member=self.volunteer)
        need.refresh_from_db()
        self.assertEqual(need.claimant, wanda)
