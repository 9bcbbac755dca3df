"""Offers and the member's own lists through the API, as their pages show them."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mutualaid.accounts.services import member_block
from mutualaid.aid import services
from mutualaid.aid.models import NeedStatus, Offer, OfferStatus
from mutualaid.api.tests.base import ApiTestCase
from mutualaid.test import changes_nothing


def new_offer(area, **fields):
    return {
        "summary": "I can drive on Sundays",
        "categories": ["rides"],
        "areas": [str(area.code)],
        "kind": "ongoing",
        **fields,
    }


class OfferTests(ApiTestCase):
    def test_an_offer_is_posted_and_shown(self):
        response = self.post(
            "/offers", new_offer(self.north, available_days=[6]), persona="volunteer"
        )
        self.assertEqual(response.status_code, 201, response.content)
        offer = Offer.objects.get()
        self.assertEqual(offer.available_days, [6])
        data = self.get(f"/offers/{offer.code}", persona="requester").json()
        self.assertEqual((data["offerer"], data["mine"]), ("vic", False))
        self.assertEqual(data["categories"], [{"slug": "rides", "name": self.rides.name}])
        self.assertEqual(self.get("/offers", persona="outsider").json()["count"], 1)

    def test_the_doxxing_guard_holds_for_offers(self):
        with changes_nothing(self):
            response = self.post(
                "/offers", new_offer(self.north, summary="Text 555-123-4567"), persona="volunteer"
            )
        self.assertRefused(response, 422, "invalid")

    def test_an_offer_hidden_by_its_offerers_block_is_not_seen(self):
        offer = self.post_offer()
        member_block(blocker=self.volunteer, blocked=self.outsider)
        self.assertEqual(self.get("/offers", persona="outsider").json()["count"], 0)
        self.assertRefused(self.get(f"/offers/{offer.code}", persona="outsider"), 404, "not_found")

    def test_only_the_offerer_withdraws(self):
        offer = self.post_offer()
        with changes_nothing(self):
            self.assertRefused(
                self.post(f"/offers/{offer.code}/withdraw", persona="outsider"), 403, "forbidden"
            )
        response = self.post(f"/offers/{offer.code}/withdraw", persona="volunteer")
        self.assertEqual(response.json()["status"], OfferStatus.WITHDRAWN)

    def test_a_requester_takes_up_an_offer_for_her_need(self):
        offer = self.post_offer()
        need = self.post_need()
        detail = self.get(f"/offers/{offer.code}").json()
        self.assertEqual(
            detail["matchable_needs"], [{"code": str(need.code), "summary": need.summary}]
        )
        response = self.post(f"/offers/{offer.code}/match", {"need": str(need.code)})
        self.assertEqual(response.json()["status"], NeedStatus.PROPOSED, response.content)
        self.assertEqual(response.json()["asked"], "vic")

    def test_only_her_own_open_need_is_matched(self):
        offer = self.post_offer()
        need = self.post_need()
        with changes_nothing(self):
            response = self.post(
                f"/offers/{offer.code}/match", {"need": str(need.code)}, persona="outsider"
            )
        self.assertRefused(response, 422, "invalid")
        self.assertEqual(response.json()["field"], "need")

    def test_the_offers_board_costs_the_same_queries_for_one_offer_or_many(self):
        self.post_offer()
        self.get("/offers")

        def count():
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                self.get("/offers")
            return len(queries)

        one = count()
        for n in range(12):
            self.post_offer(summary=f"Offer {n}", areas=[self.north, self.central])
        self.assertEqual(count(), one)


class MeTests(ApiTestCase):
    def test_me_is_the_tokens_member(self):
        data = self.get("/me", persona="organizer", scope="read").json()
        self.assertEqual((data["handle"], data["token"]["scope"]), ("olga", "read"))
        self.assertIn("match", data["capabilities"])
        self.assertEqual(self.get("/me", persona="volunteer").json()["handle"], "vic")

    def test_my_lists_are_mine_alone(self):
        mine = self.post_need()
        self.post_need(requester=self.outsider, summary="Otto's")
        services.need_claim(need=mine, member=self.volunteer)
        services.need_assign(
            need=self.post_need(summary="Asked"), volunteer=self.volunteer, organizer=self.organizer
        )
        self.post_offer()
        self.assertEqual(
            [n["code"] for n in self.get("/me/needs").json()["results"]][-1], str(mine.code)
        )
        self.assertEqual(self.get("/me/needs").json()["count"], 2)
        claims = self.get("/me/claims", persona="volunteer").json()
        self.assertEqual([c["need"]["code"] for c in claims["results"]], [str(mine.code)])
        proposals = self.get("/me/proposals", persona="volunteer").json()
        self.assertEqual([p["need"]["summary"] for p in proposals["results"]], ["Asked"])
        self.assertEqual(self.get("/me/offers", persona="volunteer").json()["count"], 1)
        self.assertEqual(self.get("/me/offers", persona="outsider").json()["count"], 0)
        self.assertEqual(self.get("/me/claims", persona="outsider").json()["count"], 0)

    def test_my_needs_cost_the_same_queries_for_one_or_many(self):
        self.post_need()
        self.get("/me/needs")

        def count():
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                self.get("/me/needs")
            return len(queries)

        one = count()
        for n in range(10):
            self.post_need(summary=f"Need {n}")
        self.assertEqual(count(), one)
