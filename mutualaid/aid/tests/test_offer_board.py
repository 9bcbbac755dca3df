"""The offers board: open offers only, filtered by area and kind of help, paged, at a fixed cost."""

import uuid
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mutualaid.aid import services
from mutualaid.aid.models import Category, Offer, OfferKind
from mutualaid.areas.models import Area
from mutualaid.test import BaseTestCase


class OfferBoardTestCase(BaseTestCase):
    def setUp(self):
        self.url = reverse("aid:offer_board")

    def offer(self, summary, *, areas=None, categories=None, offerer=None):
        return services.offer_post(
            offerer=offerer or self.volunteer,
            categories=categories or [self.groceries],
            areas=areas or [self.north],
            summary=summary,
            kind=OfferKind.ONE_OFF,
        )

    def bulk_offers(self, count, prefix="Bulk offer"):
        """Open offers with two kinds of help and two areas each, in a handful of queries."""
        now = timezone.now()
        offers = Offer.objects.bulk_create(
            Offer(
                offerer=self.volunteer,
                summary=f"{prefix} {i:04d}",
                kind=OfferKind.ONGOING,
                available_days=[0, 5],
                created_at=now - timedelta(minutes=i),
            )
            for i in range(count)
        )
        categories = list(Category.objects.all())
        areas = list(Area.objects.all())
        Offer.categories.through.objects.bulk_create(
            Offer.categories.through(offer_id=offer.pk, category_id=category.pk)
            for i, offer in enumerate(offers)
            for category in (categories[i % len(categories)], categories[(i + 1) % len(categories)])
        )
        Offer.areas.through.objects.bulk_create(
            Offer.areas.through(offer_id=offer.pk, area_id=area.pk)
            for i, offer in enumerate(offers)
            for area in (areas[i % len(areas)], areas[(i + 1) % len(areas)])
        )

    def board(self, member=None, **params):
        """The board for all areas unless told otherwise (a bare URL may start on the home area)."""
        self.client.force_login(member or self.requester)
        return self.client.get(self.url, {"area": "", **params})

    def test_it_sends_an_anonymous_visitor_to_log_in(self):
        self.offer("A car on Saturdays")
        response = self.client.get(self.url)
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={self.url}")

    def test_it_shows_open_offers_to_any_member_including_the_outsider(self):
        self.offer("A car on Saturdays")
        response = self.board(self.outsider)
        self.assertContains(response, "A car on Saturdays")
        self.assertContains(response, "1 offer")

    def test_it_leaves_out_withdrawn_offers(self):
        self.offer("Still on offer")
        withdrawn = self.offer("Taken back")
        services.offer_withdraw(offer=withdrawn, member=self.volunteer)
        response = self.board(self.outsider)
        self.assertContains(response, "Still on offer")
        self.assertNotContains(response, "Taken back")

    def test_it_filters_by_area_and_near(self):
        self.offer("Offer in the north", areas=[self.north])
        self.offer("Offer in the south", areas=[self.south])
        self.offer("Offer far away", areas=[self.far])
        response = self.board(area=str(self.north.code))
        self.assertContains(response, "Offer in the north")
        self.assertNotContains(response, "Offer in the south")

        response = self.board(area=str(self.central.code))
        self.assertNotContains(response, "Offer in the north")

        response = self.board(area=str(self.central.code), near="on")
        self.assertContains(response, "Offer in the north")
        self.assertContains(response, "Offer in the south")
        self.assertNotContains(response, "Offer far away")

    def test_an_offer_reaching_several_matching_areas_is_listed_once(self):
        self.offer("Everywhere nearby", areas=[self.north, self.central, self.south])
        response = self.board(area=str(self.central.code), near="on")
        self.assertContains(response, "Everywhere nearby", count=1)
        self.assertContains(response, "1 offer")

    def test_it_filters_by_category(self):
        self.offer("Spare groceries", categories=[self.groceries])
        self.offer("Lifts to the clinic", categories=[self.rides])
        response = self.board(category="rides")
        self.assertContains(response, "Lifts to the clinic")
        self.assertNotContains(response, "Spare groceries")

    def test_it_answers_unknown_filter_values_with_400_and_a_message(self):
        self.offer("Still listed")
        cases = {
            "an unknown area": {"area": str(uuid.uuid4())},
            "an integer id for an area": {"area": str(self.north.pk)},
            "an unknown category": {"category": "weapons"},
        }
        for case, params in cases.items():
            with self.subTest(case):
                response = self.board(**params)
                self.assertContains(response, "Some filters were not understood", status_code=400)
                self.assertContains(response, "Still listed", status_code=400)

    def test_it_pages_the_results(self):
        self.bulk_offers(60)
        first = self.board()
        self.assertContains(first, "60 offers")
        self.assertContains(first, "Page 1 of 2")
        self.assertContains(first, "Bulk offer 0000")  # the newest first
        self.assertNotContains(first, "Bulk offer 0050")
        second = self.board(page="2")
        self.assertContains(second, "Page 2 of 2")
        self.assertContains(second, "Bulk offer 0059")
        self.assertNotContains(second, "Bulk offer 0000")

    def test_an_htmx_request_gets_only_the_results_fragment(self):
        self.offer("Fragmentary offer")
        self.client.force_login(self.requester)
        response = self.client.get(self.url, {"area": ""}, HTTP_HX_REQUEST="true")
        self.assertEqual(response.status_code, 200)
        content = response.content.decode()
        self.assertTrue(content.lstrip().startswith('<section id="results"'))
        self.assertIn("Fragmentary offer", content)
        self.assertNotIn("<html", content)
        self.assertNotIn('class="filters"', content)

    def test_its_query_count_does_not_grow_with_its_rows(self):
        self.client.force_login(self.requester)
        self.client.get(self.url)  # warm up the session
        self.bulk_offers(5)
        with CaptureQueriesContext(connection) as few:
            response = self.client.get(self.url, {"area": ""})
        self.assertContains(response, "5 offers")
        self.bulk_offers(95, prefix="More")
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(self.url, {"area": ""})
        self.assertContains(response, "100 offers")
        self.assertEqual(len(many), len(few), [q["sql"] for q in many.captured_queries])

    def test_it_answers_only_get(self):
        self.client.force_login(self.requester)
        self.assertEqual(self.client.post(self.url).status_code, 405)
