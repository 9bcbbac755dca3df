from datetime import UTC, date, datetime

import time_machine
from django.db import transaction

from mutualaid.aid import selectors, services
from mutualaid.aid.models import EventKind, Need, NeedStatus, TimelineEvent, Urgency
from mutualaid.lib.refusal import Refusal
from mutualaid.test import BaseTestCase

NOON = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


class NeedPostTestCase(BaseTestCase):
    def test_it_posts_an_open_need_on_the_board(self):
        with time_machine.travel(NOON, tick=False):
            need = services.need_post(
                requester=self.requester,
                category=self.rides,
                area=self.central,
                summary="A lift to the clinic",
                details="Wheelchair, folds into a boot.",
                urgency=Urgency.TODAY,
                needed_by=date(2025, 3, 11),
            )

        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.OPEN)
        self.assertEqual(need.requester, self.requester)
        self.assertIsNone(need.claimant)
        self.assertEqual(need.category, self.rides)
        self.assertEqual(need.area, self.central)
        self.assertEqual(need.summary, "A lift to the clinic")
        self.assertEqual(need.details, "Wheelchair, folds into a boot.")
        self.assertEqual(need.urgency, Urgency.TODAY)
        self.assertEqual(need.needed_by, date(2025, 3, 11))
        self.assertEqual(need.created_at, NOON)
        self.assertEqual(need.status_changed_at, NOON)
        self.assertFalse(need.claims.exists())
        self.assertIn(need, selectors.board_needs(area=self.central))

    def test_it_records_the_posting_on_the_timeline(self):
        need = self.post_need()
        event = need.events.get()
        self.assertEqual(event.kind, EventKind.NEED_POSTED)
        self.assertEqual(event.actor, self.requester)
        self.assertIsNone(event.claim)
        self.assertIsNone(event.offer)

    def test_it_gives_every_need_its_own_public_code(self):
        first, second = self.post_need(), self.post_need()
        self.assertNotEqual(first.code, second.code)

    def test_it_writes_nothing_when_the_need_is_invalid(self):
        with self.assertRaises(Refusal) as refused, transaction.atomic():
            self.post_need(urgency="whenever")
        self.assertEqual(refused.exception.code, "invalid")
        self.assertFalse(Need.objects.exists())
        self.assertFalse(TimelineEvent.objects.exists())
