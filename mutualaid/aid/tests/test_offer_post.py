from datetime import UTC, datetime

import time_machine
from django.db import transaction

from mutualaid.aid import selectors, services
from mutualaid.aid.models import EventKind, Offer, OfferKind, OfferStatus, TimelineEvent
from mutualaid.lib.refusal import Refusal
from mutualaid.test import BaseTestCase

NOON = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


class OfferPostTestCase(BaseTestCase):
    def post_offer(self, **fields):
        values = {
            "offerer": self.volunteer,
            "categories": [self.groceries, self.rides],
            "areas": [self.central, self.north],
            "summary": "I have a car on weekends",
            "kind": OfferKind.ONGOING,
        }
        values.update(fields)
        return services.offer_post(**values)

    def test_it_posts_an_open_offer_on_the_board(self):
        with time_machine.travel(NOON, tick=False):
            offer = self.post_offer(available_days=[6, 5, 5])

        offer.refresh_from_db()
        self.assertEqual(offer.status, OfferStatus.OPEN)
        self.assertEqual(offer.offerer, self.volunteer)
        self.assertEqual(offer.kind, OfferKind.ONGOING)
        self.assertEqual(offer.summary, "I have a car on weekends")
        self.assertEqual(set(offer.categories.all()), {self.groceries, self.rides})
        self.assertEqual(set(offer.areas.all()), {self.central, self.north})
        self.assertEqual(offer.available_days, [5, 6])
        self.assertEqual(offer.created_at, NOON)
        self.assertIn(offer, selectors.board_offers(area=self.central, category=self.rides))

    def test_no_days_means_any_day(self):
        offer = self.post_offer()
        offer.refresh_from_db()
        self.assertEqual(offer.available_days, [])

    def test_it_records_the_offer_on_the_timeline(self):
        offer = self.post_offer()
        event = offer.events.get()
        self.assertEqual(event.kind, EventKind.OFFER_POSTED)
        self.assertEqual(event.actor, self.volunteer)
        self.assertIsNone(event.need)

    def test_it_writes_nothing_when_the_offer_is_invalid(self):
        with self.assertRaises(Refusal) as refused, transaction.atomic():
            self.post_offer(kind="weekly")
        self.assertEqual(refused.exception.code, "invalid")
        self.assertFalse(Offer.objects.exists())
        self.assertFalse(Offer.categories.through.objects.exists())
        self.assertFalse(TimelineEvent.objects.exists())
