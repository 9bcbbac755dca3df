"""The public reads: the resource directory and the anonymous figures, for any token."""

from datetime import timedelta

import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mutualaid.aid import resources
from mutualaid.api.tests.base import ApiTestCase
from mutualaid.figures import selectors as figures_selectors
from mutualaid.figures import services as figures_services
from mutualaid.test import make_member


class ResourceTests(ApiTestCase):
    def add(self, name, **fields):
        return resources.resource_create(by=self.organizer, name=name, kind="food_bank", **fields)

    def test_the_directory_for_an_integration_token_and_a_members_alike(self):
        self.add("North Food Bank", areas=[self.north])
        self.add("City Hotline", phone="988")
        for kwargs in ({"token": self.integration}, {"persona": "outsider", "scope": "read"}):
            with self.subTest(kwargs):
                data = self.call("GET", "/resources", **kwargs).json()
                self.assertEqual(data["count"], 2)
        south = self.call("GET", f"/resources?area={self.south.code}", token=self.integration)
        self.assertEqual([r["name"] for r in south.json()["results"]], ["City Hotline"])
        self.assertRefused(self.call("GET", "/resources"), 401, "no_token")
        self.assertRefused(
            self.call("GET", "/resources?kind=bakery", token=self.integration), 400, "bad_request"
        )

    def test_an_archived_resource_is_left_out(self):
        gone = self.add("Old Pantry")
        resources.resource_archive(resource=gone, by=self.organizer)
        self.assertEqual(self.call("GET", "/resources", token=self.integration).json()["count"], 0)

    def test_the_directory_costs_the_same_queries_for_one_resource_or_many(self):
        self.add("First", areas=[self.north], categories=[self.groceries])
        self.call("GET", "/resources", token=self.integration)  # its first use is written down

        def count():
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                self.call("GET", "/resources", token=self.integration)
            return len(queries)

        one = count()
        for n in range(15):
            self.add(f"Pantry {n}", areas=[self.north, self.central], categories=[self.rides])
        self.assertEqual(count(), one)


class FiguresTests(ApiTestCase):
    def test_no_figures_yet(self):
        data = self.call("GET", "/figures", token=self.integration).json()
        self.assertEqual(data, {"quarters": [], "figures": None})

    def test_a_whole_quarters_figures_with_no_small_count(self):
        now = timezone.now()
        with time_machine.travel(now - timedelta(days=200), tick=False):
            for n in range(6):
                self.post_need(summary=f"Need {n}")
        figures_services.figures_rebuild()
        quarters = figures_selectors.public_quarters()
        self.assertTrue(quarters)
        response = self.call("GET", "/figures", token=self.integration)
        data = response.json()
        self.assertEqual(data["quarters"][0], "{}-q{}".format(*quarters[0]))
        for label in data["quarters"]:
            figures = self.call("GET", f"/figures?quarter={label}", token=self.integration).json()
            self.assertEqual(figures["quarters"], data["quarters"])
        self.assertRefused(
            self.call("GET", "/figures?quarter=1999-q1", token=self.integration), 404, "not_found"
        )
        self.assertRefused(
            self.call("GET", "/figures?quarter=last", token=self.integration), 400, "bad_request"
        )
        self.assertNotIn("rosa", response.content.decode())

    def test_a_member_token_reads_them_too_and_a_visitor_does_not(self):
        make_member("newt")
        self.assertEqual(self.get("/figures", persona="outsider", scope="read").status_code, 200)
        self.assertRefused(self.call("GET", "/figures"), 401, "no_token")
