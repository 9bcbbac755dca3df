from datetime import UTC, datetime, timedelta

import time_machine
from django.test import override_settings

from mutualaid.aid import services
from mutualaid.aid.models import (
    ClaimEnd,
    EventKind,
    NeedStatus,
    Offer,
    OfferKind,
    OfferStatus,
    ProposalAnswer,
)
from mutualaid.lib.refusal import Refusal
from mutualaid.test import BaseTestCase, changes_nothing

NOON = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
NOT_OPEN = "This offer is no longer open."


class NeedMatchOfferTestCase(BaseTestCase):
    def take_up(self, need, offer):
        """The requester takes up the offer, and its offerer accepts."""
        services.need_match_offer(need=need, offer=offer, member=self.requester)
        return services.need_proposal_accept(need=need, member=offer.offerer)

    def close(self, need):
        services.need_mark_fulfilled(need=need, member=self.volunteer)
        services.need_confirm(need=need, member=self.requester)

    def test_it_asks_the_offerer_first(self):
        need, offer = self.post_need(), self.post_offer()
        with time_machine.travel(NOON, tick=False):
            proposal = services.need_match_offer(need=need, offer=offer, member=self.requester)
        need.refresh_from_db()
        self.assertEqual((need.status, need.claimant), (NeedStatus.PROPOSED, None))
        self.assertEqual(
            (proposal.volunteer, proposal.offer, proposal.proposed_by),
            (self.volunteer, offer, self.requester),
        )
        self.assertEqual(proposal.deadline, NOON + timedelta(hours=24))
        self.assertFalse(need.claims.exists())

    def test_the_need_is_claimed_for_the_offerer_once_they_accept(self):
        need, offer = self.post_need(), self.post_offer()
        with time_machine.travel(NOON, tick=False):
            claim = self.take_up(need, offer)

        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.CLAIMED)
        self.assertEqual(need.claimant, self.volunteer)
        self.assertEqual(need.status_changed_at, NOON)
        self.assertEqual(list(need.claims.all()), [claim])
        self.assertEqual(claim.volunteer, self.volunteer)
        self.assertEqual(claim.offer, offer)
        self.assertIsNone(claim.ended_at)

    def test_it_records_the_requester_matching_the_offer_and_the_offerer_accepting(self):
        need, offer = self.post_need(), self.post_offer()
        claim = self.take_up(need, offer)
        event = need.events.get(kind=EventKind.NEED_MATCHED)
        self.assertEqual(event.actor, self.requester)
        self.assertEqual(event.offer, offer)
        self.assertIn(event, offer.events.all())
        accepted = need.events.get(kind=EventKind.PROPOSAL_ACCEPTED)
        self.assertEqual(
            (accepted.actor, accepted.offer, accepted.claim), (self.volunteer, offer, claim)
        )
        self.assertFalse(need.events.filter(kind=EventKind.NEED_CLAIMED).exists())

    def test_a_one_off_offer_waiting_for_its_offerers_answer_is_promised(self):
        first, offer = self.post_need(), self.post_offer()
        services.need_match_offer(need=first, offer=offer, member=self.requester)
        second = self.post_need(summary="More groceries")
        with changes_nothing(self), self.assertRaisesMessage(Refusal, "already promised"):
            services.need_match_offer(need=second, offer=offer, member=self.requester)
        services.need_proposal_decline(need=first, member=self.volunteer)
        services.need_match_offer(need=second, offer=offer, member=self.requester)
        self.assertEqual(
            list(offer.proposals.values_list("answer", flat=True).order_by("pk")),
            [ProposalAnswer.DECLINED, ""],
        )

    def test_a_one_off_offer_stays_open_until_the_need_is_closed(self):
        need, offer = self.post_need(), self.post_offer()
        self.take_up(need, offer)
        offer.refresh_from_db()
        self.assertEqual(offer.status, OfferStatus.OPEN)

        self.close(need)
        offer.refresh_from_db()
        self.assertEqual(offer.status, OfferStatus.MATCHED)
        self.assertEqual(need.claims.get().end_reason, ClaimEnd.COMPLETED)

    @override_settings(AUTO_CONFIRM_DAYS=7)
    def test_a_one_off_offer_is_given_when_the_need_is_confirmed_for_the_requester(self):
        need, offer = self.post_need(), self.post_offer()
        with time_machine.travel(NOON, tick=False):
            self.take_up(need, offer)
            services.need_mark_fulfilled(need=need, member=self.volunteer)
        with time_machine.travel(NOON + timedelta(days=7), tick=False):
            self.assertEqual(services.needs_auto_confirm(), 1)
        offer.refresh_from_db()
        self.assertEqual(offer.status, OfferStatus.MATCHED)

    def test_an_ongoing_offer_stays_open_after_the_need_is_closed(self):
        need, offer = self.post_need(), self.post_offer(kind=OfferKind.ONGOING)
        self.take_up(need, offer)
        self.close(need)
        offer.refresh_from_db()
        self.assertEqual(offer.status, OfferStatus.OPEN)

    def test_a_one_off_offer_stays_open_when_the_matched_need_is_cancelled(self):
        need, offer = self.post_need(), self.post_offer()
        self.take_up(need, offer)
        services.need_cancel(need=need, member=self.requester)
        offer.refresh_from_db()
        self.assertEqual(offer.status, OfferStatus.OPEN)

    def test_it_refuses_a_withdrawn_offer(self):
        need, offer = self.post_need(), self.post_offer()
        services.offer_withdraw(offer=offer, member=self.volunteer)
        with changes_nothing(self), self.assertRaisesMessage(Refusal, NOT_OPEN):
            services.need_match_offer(need=need, offer=offer, member=self.requester)

    def test_it_refuses_an_offer_withdrawn_after_the_page_was_loaded(self):
        need, offer = self.post_need(), self.post_offer()
        stale = Offer.objects.get(pk=offer.pk)
        services.offer_withdraw(offer=offer, member=self.volunteer)
        with changes_nothing(self), self.assertRaisesMessage(Refusal, NOT_OPEN):
            services.need_match_offer(need=need, offer=stale, member=self.requester)

    def test_it_refuses_a_one_off_offer_already_given(self):
        first, offer = self.post_need(), self.post_offer()
        self.take_up(first, offer)
        self.close(first)
        offer.refresh_from_db()
        second = self.post_need(summary="More groceries")
        with changes_nothing(self), self.assertRaisesMessage(Refusal, NOT_OPEN):
            services.need_match_offer(need=second, offer=offer, member=self.requester)

    def test_it_refuses_an_offer_of_another_kind_of_help(self):
        need, offer = self.post_need(), self.post_offer(categories=[self.rides])
        with (
            changes_nothing(self),
            self.assertRaisesMessage(Refusal, "does not cover that kind of need"),
        ):
            services.need_match_offer(need=need, offer=offer, member=self.requester)

    def test_it_refuses_anyone_but_the_requester(self):
        need, offer = self.post_need(), self.post_offer(offerer=self.outsider)
        for member in (self.volunteer, self.organizer, self.outsider):
            with (
                self.subTest(member=member.handle),
                changes_nothing(self),
                self.assertRaisesMessage(Refusal, "only your own needs"),
            ):
                services.need_match_offer(need=need, offer=offer, member=member)

    def test_it_refuses_the_requester_taking_up_their_own_offer(self):
        need, offer = self.post_need(), self.post_offer(offerer=self.requester)
        with (
            changes_nothing(self),
            self.assertRaisesMessage(Refusal, "your own offer"),
        ):
            services.need_match_offer(need=need, offer=offer, member=self.requester)

    def test_it_refuses_a_need_someone_already_claimed(self):
        need, offer = self.claimed_need(), self.post_offer(offerer=self.outsider)
        with (
            changes_nothing(self),
            self.assertRaisesMessage(Refusal, "Someone just took this need"),
        ):
            services.need_match_offer(need=need, offer=offer, member=self.requester)

    def test_it_refuses_a_cancelled_need(self):
        need, offer = self.post_need(), self.post_offer()
        services.need_cancel(need=need, member=self.requester)
        with (
            changes_nothing(self),
            self.assertRaisesMessage(Refusal, "This need is no longer open"),
        ):
            services.need_match_offer(need=need, offer=offer, member=self.requester)
