"""services.offer_withdraw (the view of the same name is tested in test_offer_withdraw.py)."""

from datetime import UTC, datetime

import time_machine

from mutualaid.aid import selectors, services
from mutualaid.aid.models import EventKind, Offer, OfferKind, OfferStatus
from mutualaid.lib.refusal import Refusal
from mutualaid.test import BaseTestCase, changes_nothing

NOON = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
ONLY_OFFERER = "Only the person who posted this offer can withdraw it."
NOT_OPEN = "This offer is no longer open."


class OfferWithdrawServiceTestCase(BaseTestCase):
    def setUp(self):
        self.offer = services.offer_post(
            offerer=self.volunteer,
            categories=[self.groceries],
            areas=[self.north],
            summary="I can shop on Saturdays",
            kind=OfferKind.ONE_OFF,
        )

    def test_it_withdraws_the_offer_from_the_board(self):
        with time_machine.travel(NOON, tick=False):
            services.offer_withdraw(offer=self.offer, member=self.volunteer)

        self.assertEqual(self.offer.status, OfferStatus.WITHDRAWN)
        self.offer.refresh_from_db()
        self.assertEqual(self.offer.status, OfferStatus.WITHDRAWN)
        self.assertEqual(self.offer.status_changed_at, NOON)
        self.assertNotIn(self.offer, selectors.board_offers())

    def test_it_records_the_withdrawal_on_the_timeline(self):
        services.offer_withdraw(offer=self.offer, member=self.volunteer)
        event = self.offer.events.get(kind=EventKind.OFFER_WITHDRAWN)
        self.assertEqual(event.actor, self.volunteer)
        self.assertIsNone(event.need)

    def test_it_refuses_anyone_but_the_offerer(self):
        for member in (self.requester, self.organizer, self.outsider):
            with (
                self.subTest(member=member.handle),
                changes_nothing(self),
                self.assertRaisesMessage(Refusal, ONLY_OFFERER),
            ):
                services.offer_withdraw(offer=self.offer, member=member)

    def test_it_refuses_withdrawing_twice(self):
        stale = Offer.objects.get(pk=self.offer.pk)
        services.offer_withdraw(offer=self.offer, member=self.volunteer)
        with changes_nothing(self), self.assertRaisesMessage(Refusal, NOT_OPEN):
            services.offer_withdraw(offer=stale, member=self.volunteer)

    def test_it_refuses_withdrawing_an_offer_already_given(self):
        need = self.post_need()
        services.need_match_offer(need=need, offer=self.offer, member=self.requester)
        services.need_proposal_accept(need=need, member=self.volunteer)
        services.need_mark_fulfilled(need=need, member=self.volunteer)
        services.need_confirm(need=need, member=self.requester)
        self.offer.refresh_from_db()
        self.assertEqual(self.offer.status, OfferStatus.MATCHED)
        with changes_nothing(self), self.assertRaisesMessage(Refusal, NOT_OPEN):
            services.offer_withdraw(offer=self.offer, member=self.volunteer)
