from datetime import UTC, datetime

import time_machine

from mutualaid.aid import selectors, services
from mutualaid.aid.models import Claim, EventKind, Need, NeedStatus
from mutualaid.lib.refusal import Refusal
from mutualaid.test import BaseTestCase, changes_nothing, make_member

NOON = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
TAKEN = "Someone just took this need"
NOT_OPEN = "This need is no longer open"


class NeedClaimTestCase(BaseTestCase):
    def test_it_gives_the_volunteer_the_need(self):
        need = self.post_need()
        with time_machine.travel(NOON, tick=False):
            claim = services.need_claim(need=need, member=self.volunteer)

        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.CLAIMED)
        self.assertEqual(need.claimant, self.volunteer)
        self.assertEqual(need.status_changed_at, NOON)
        self.assertEqual(list(need.claims.all()), [claim])
        self.assertEqual(claim.volunteer, self.volunteer)
        self.assertEqual(claim.created_at, NOON)
        self.assertIsNone(claim.ended_at)
        self.assertIsNone(claim.offer)

    def test_it_records_the_claim_on_the_timeline(self):
        need = self.post_need()
        claim = services.need_claim(need=need, member=self.volunteer)
        event = need.events.get(kind=EventKind.NEED_CLAIMED)
        self.assertEqual(event.actor, self.volunteer)
        self.assertEqual(event.claim, claim)
        self.assertIsNone(event.offer)

    def test_it_updates_the_need_object_it_was_given(self):
        need = self.post_need()
        services.need_claim(need=need, member=self.volunteer)
        self.assertEqual(need.status, NeedStatus.CLAIMED)
        self.assertEqual(need.claimant, self.volunteer)

    def test_it_takes_the_need_off_the_board(self):
        need = self.post_need()
        services.need_claim(need=need, member=self.volunteer)
        self.assertNotIn(need, selectors.board_needs())

    def test_an_organizer_may_claim_like_any_member(self):
        need = self.post_need()
        services.need_claim(need=need, member=self.organizer)
        need.refresh_from_db()
        self.assertEqual(need.claimant, self.organizer)

    def test_it_refuses_the_requester_claiming_their_own_need(self):
        need = self.post_need()
        with (
            changes_nothing(self),
            self.assertRaisesMessage(Refusal, "You posted this need"),
        ):
            services.need_claim(need=need, member=self.requester)

    def test_it_refuses_a_second_claim(self):
        need = self.claimed_need()
        with changes_nothing(self), self.assertRaisesMessage(Refusal, TAKEN):
            services.need_claim(need=need, member=self.outsider)

    def test_it_refuses_a_second_claim_from_a_page_loaded_before_the_first(self):
        need = self.post_need()
        seen_by_outsider = Need.objects.get(pk=need.pk)
        services.need_claim(need=need, member=self.volunteer)
        with changes_nothing(self), self.assertRaisesMessage(Refusal, TAKEN):
            services.need_claim(need=seen_by_outsider, member=self.outsider)
        need.refresh_from_db()
        self.assertEqual(need.claimant, self.volunteer)

    def test_it_refuses_the_claimant_claiming_again(self):
        need = self.claimed_need()
        with changes_nothing(self), self.assertRaises(Refusal):
            services.need_claim(need=need, member=self.volunteer)
        self.assertEqual(Claim.objects.filter(need=need).count(), 1)

    def test_it_refuses_a_need_marked_done(self):
        need = self.claimed_need()
        services.need_mark_fulfilled(need=need, member=self.volunteer)
        with changes_nothing(self), self.assertRaises(Refusal):
            services.need_claim(need=need, member=self.outsider)

    def test_it_refuses_a_cancelled_need(self):
        need = self.post_need()
        services.need_cancel(need=need, member=self.requester)
        with changes_nothing(self), self.assertRaisesMessage(Refusal, NOT_OPEN):
            services.need_claim(need=need, member=self.volunteer)

    def test_it_refuses_a_closed_need(self):
        need = self.claimed_need()
        services.need_mark_fulfilled(need=need, member=self.volunteer)
        services.need_confirm(need=need, member=self.requester)
        with changes_nothing(self), self.assertRaisesMessage(Refusal, NOT_OPEN):
            services.need_claim(need=need, member=self.outsider)

    def test_it_refuses_an_expired_need(self):
        with time_machine.travel(NOON, tick=False):
            need = self.post_need(needed_by=NOON.date())
        with time_machine.travel("2025-03-12 09:00Z", tick=False):
            self.assertEqual(services.needs_expire(), 1)
        need.refresh_from_db()
        with changes_nothing(self), self.assertRaisesMessage(Refusal, NOT_OPEN):
            services.need_claim(need=need, member=self.volunteer)

    def test_it_refuses_a_need_cancelled_after_the_page_was_loaded(self):
        need = self.post_need()
        stale = Need.objects.get(pk=need.pk)
        services.need_cancel(need=need, member=self.requester)
        with changes_nothing(self), self.assertRaises(Refusal):
            services.need_claim(need=stale, member=self.volunteer)
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.CANCELLED)
        self.assertIsNone(need.claimant)

    def test_a_released_need_can_be_claimed_again_with_a_new_claim(self):
        need = self.claimed_need()
        first = need.claims.get()
        services.need_release(need=need, member=self.volunteer)
        other = make_member("wanda")
        second = services.need_claim(need=need, member=other)

        first.refresh_from_db()
        self.assertIsNotNone(first.ended_at)
        self.assertNotEqual(first, second)
        self.assertEqual(list(need.claims.filter(ended_at__isnull=True)), [second])
        need.refresh_from_db()
        self.assertEqual(need.claimant, other)
