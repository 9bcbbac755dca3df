"""The board's aside: a few resources of the directory for the member's own area, kept under the
board's versions so that the board pays no query for it, and fresh once a resource changes."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutualaid.aid import resources
from mutualaid.aid.models import ResourceKind
from mutualaid.network.models import NetworkSettings
from mutualaid.test import BaseTestCase, make_member
from mutualaid.trust.models import Role

BOARD = reverse("aid:board")


class BoardResourcesTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.keeper = make_member("tia", roles=[Role.TRIAGER])
        cls.nowhere = make_member("nomad")  # no home area
        cls.add("North pantry", ResourceKind.FOOD_BANK, areas=[cls.north])
        cls.add("Crisis line", ResourceKind.HOTLINE, phone="988")
        cls.add("South clinic", ResourceKind.CLINIC, areas=[cls.south])

    @classmethod
    def add(cls, name, kind, **fields):
        return resources.resource_create(by=cls.keeper, name=name, kind=kind, **fields)

    def setUp(self):
        NetworkSettings.load()  # made on first use: a write
        self.post_need(summary="Groceries on Tuesday")

    def board(self, member, **params):
        self.client.force_login(member)
        return self.client.get(BOARD, params)

    def queries(self, member, **params):
        """The board's queries as ``member`` sees it, logged in already."""
        self.client.force_login(member)
        self.client.get(BOARD, params)  # the login's own write (last_login)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(BOARD, params)
        return response, [query["sql"] for query in queries.captured_queries]


class BoardResourcesTests(BoardResourcesTestCase):
    def test_a_member_sees_the_resources_for_their_area(self):
        response = self.board(self.requester)  # home: Northside
        self.assertContains(response, "Where else to turn near you")
        self.assertContains(response, "North pantry")
        self.assertContains(response, "Crisis line")
        self.assertNotContains(response, "South clinic")
        link = f"{reverse('aid:resources')}?area={self.north.code}"
        self.assertContains(response, f'href="{link}"')

    def test_whatever_the_boards_filters_say(self):
        response = self.board(self.outsider, area=str(self.north.code))  # home: Southside
        self.assertContains(response, "South clinic")
        self.assertNotContains(response, "North pantry")

    def test_a_member_without_an_area_sees_the_whole_networks(self):
        response = self.board(self.nowhere)
        self.assertContains(response, "Crisis line")
        self.assertNotContains(response, "North pantry")
        self.assertNotContains(response, "South clinic")

    def test_an_htmx_request_for_the_results_leaves_it_out(self):
        self.client.force_login(self.requester)
        response = self.client.get(BOARD, {"area": ""}, HTTP_HX_REQUEST="true")
        self.assertNotContains(response, "North pantry")

    def test_a_board_seen_again_reads_no_resource_and_a_change_shows_at_once(self):
        response, queries = self.queries(self.requester)
        self.assertContains(response, "North pantry")
        self.assertFalse([sql for sql in queries if 'FROM "aid_resource' in sql])
        resources.resource_update(
            resource=resources.resource_find(name="North pantry", kind="food_bank"),
            by=self.keeper,
            hours="Tuesdays 10 to 4",
        )
        self.assertContains(self.board(self.requester), "Tuesdays 10 to 4")

    def test_the_resources_cost_the_board_no_query_of_its_own(self):
        _, kept = self.queries(self.volunteer)
        for i in range(12):
            self.add(f"Pantry {i:02d}", ResourceKind.FOOD_BANK, areas=[self.central])
        _, kept_again = self.queries(self.volunteer)
        # Served from the cache: the same queries with resources as before, one read of versions.
        self.assertEqual(len(kept_again), len(kept), kept_again)
        versions = [sql for sql in kept_again if "data_version" in sql or "pg_sequence" in sql]
        self.assertEqual(len(versions), 1, versions)

    def test_its_cold_query_count_does_not_grow_with_the_resources(self):
        self.client.force_login(self.volunteer)
        self.client.get(BOARD)
        self.client.get(BOARD)
        cache.clear()
        with CaptureQueriesContext(connection) as few:
            self.client.get(BOARD)
        for i in range(12):
            self.add(f"Pantry {i:02d}", ResourceKind.FOOD_BANK, areas=[self.central])
        cache.clear()
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(BOARD)
        self.assertContains(response, "Pantry 00")
        self.assertEqual(len(many), len(few), [q["sql"] for q in many.captured_queries])
