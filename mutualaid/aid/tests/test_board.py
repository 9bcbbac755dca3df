"""The board of open needs: summaries only, filtered, ordered, paged, at a fixed cost."""

import re
import uuid
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mutualaid.aid import services
from mutualaid.aid.models import Need, Urgency
from mutualaid.test import BaseTestCase


class BoardTestCase(BaseTestCase):
    def setUp(self):
        self.url = reverse("aid:board")

    def bulk_needs(self, count, *, prefix="Bulk need", area=None, category=None, **fields):
        """Open needs made in one query, the oldest first, each a minute apart."""
        now = timezone.now()
        Need.objects.bulk_create(
            Need(
                requester=self.requester,
                category=category or self.groceries,
                area=area or self.north,
                summary=f"{prefix} {i:04d}",
                details="Private: flat 9, buzz twice.",
                urgency=fields.get("urgency", Urgency.WEEK),
                created_at=now - timedelta(minutes=count - i),
            )
            for i in range(count)
        )

    def board(self, member=None, **params):
        self.client.force_login(member or self.volunteer)
        return self.client.get(self.url, params)

    def test_it_sends_an_anonymous_visitor_to_log_in(self):
        self.post_need()
        response = self.client.get(self.url)
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={self.url}")

    def test_it_shows_open_needs_to_any_member_including_the_outsider(self):
        self.post_need(summary="Soup for a neighbor")
        response = self.board(self.outsider, area="")
        self.assertContains(response, "Soup for a neighbor")
        self.assertContains(response, "1 open need")

    def test_it_leaves_out_every_need_that_is_not_open(self):
        self.post_need(summary="Still open")
        self.claimed_need(summary="Already claimed")
        cancelled = self.post_need(summary="Called off")
        services.need_cancel(need=cancelled, member=self.requester)
        fulfilled = self.claimed_need(summary="Done already")
        services.need_mark_fulfilled(need=fulfilled, member=self.volunteer)
        response = self.board(self.outsider, area="")
        self.assertContains(response, "Still open")
        for summary in ("Already claimed", "Called off", "Done already"):
            self.assertNotContains(response, summary)

    def test_it_never_shows_the_requesters_handle_or_the_private_details(self):
        self.post_need(summary="Nappies, size 4", details="Ask for Rosa at the blue door")
        response = self.board(self.volunteer, area="")
        self.assertContains(response, "Nappies, size 4")
        # As a word: a short handle such as "vic" is also inside "device-width".
        handle = re.compile(rf"\b{re.escape(self.requester.handle)}\b")
        self.assertIsNone(handle.search(response.content.decode()))
        self.assertNotContains(response, "blue door")

    def test_it_filters_by_area(self):
        self.post_need(summary="In the north", area=self.north)
        self.post_need(summary="In the centre", area=self.central)
        response = self.board(area=str(self.north.code))
        self.assertContains(response, "In the north")
        self.assertNotContains(response, "In the centre")

    def test_near_includes_the_neighboring_areas_and_only_those(self):
        for area in (self.north, self.central, self.south, self.far):
            self.post_need(summary=f"Need in {area.name}", area=area)
        response = self.board(area=str(self.north.code), near="on")
        self.assertContains(response, "Need in Northside")
        self.assertContains(response, "Need in Central")
        self.assertNotContains(response, "Need in Southside")
        self.assertNotContains(response, "Need in Far Hills")

        response = self.board(area=str(self.central.code), near="on")
        for name in ("Northside", "Central", "Southside"):
            self.assertContains(response, f"Need in {name}")
        self.assertNotContains(response, "Need in Far Hills")

    def test_it_filters_by_category(self):
        self.post_need(summary="Bags of rice", category=self.groceries)
        self.post_need(summary="A lift to the clinic", category=self.rides)
        response = self.board(category="rides")
        self.assertContains(response, "A lift to the clinic")
        self.assertNotContains(response, "Bags of rice")

    def test_it_filters_by_urgency(self):
        self.post_need(summary="Right now", urgency=Urgency.TODAY)
        self.post_need(summary="Whenever", urgency=Urgency.ANYTIME)
        response = self.board(urgency="today")
        self.assertContains(response, "Right now")
        self.assertNotContains(response, "Whenever")

    def test_it_orders_by_urgency_then_oldest_first(self):
        now = timezone.now()
        posted = [
            ("anytime old", Urgency.ANYTIME, 50),
            ("week new", Urgency.WEEK, 5),
            ("today new", Urgency.TODAY, 1),
            ("soon old", Urgency.SOON, 40),
            ("today old", Urgency.TODAY, 30),
            ("week old", Urgency.WEEK, 20),
            ("soon new", Urgency.SOON, 2),
        ]
        Need.objects.bulk_create(
            Need(
                requester=self.requester,
                category=self.groceries,
                area=self.north,
                summary=f"Order check {summary}",
                urgency=urgency,
                created_at=now - timedelta(minutes=minutes_ago),
            )
            for summary, urgency, minutes_ago in posted
        )
        content = self.board(area="").content.decode()
        expected = ["today old", "today new", "soon old", "soon new", "week old", "week new"]
        expected.append("anytime old")
        positions = [content.index(f"Order check {summary}") for summary in expected]
        self.assertEqual(positions, sorted(positions))

    def test_a_member_starts_on_their_home_area_and_its_neighbors(self):
        for area in (self.north, self.central, self.south, self.far):
            self.post_need(summary=f"Need in {area.name}", area=area)
        response = self.board(self.requester)  # home: Northside
        self.assertContains(response, "Need in Northside")
        self.assertContains(response, "Need in Central")
        self.assertNotContains(response, "Need in Southside")
        self.assertNotContains(response, "Need in Far Hills")

    def test_it_answers_unknown_filter_values_with_400_and_a_message(self):
        self.post_need(summary="Still listed")
        cases = {
            "an unknown area": {"area": str(uuid.uuid4())},
            "an integer id for an area": {"area": str(self.north.pk)},
            "a malformed area": {"area": "north'; drop table"},
            "an unknown category": {"category": "weapons"},
            "an unknown urgency": {"urgency": "yesterday"},
        }
        for case, params in cases.items():
            with self.subTest(case):
                response = self.board(**params)
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, "Some filters were not understood", status_code=400)
                # The rest of the page still works: the open need is listed.
                self.assertContains(response, "Still listed", status_code=400)

    def test_it_pages_the_results(self):
        self.bulk_needs(60)
        first = self.board(area="")
        self.assertContains(first, "60 open needs")
        self.assertContains(first, "Page 1 of 2")
        self.assertContains(first, "Bulk need 0049")
        self.assertNotContains(first, "Bulk need 0050")
        second = self.board(area="", page="2")
        self.assertContains(second, "Page 2 of 2")
        self.assertContains(second, "Bulk need 0050")
        self.assertContains(second, "Bulk need 0059")
        self.assertNotContains(second, "Bulk need 0049")
        # A page past the end shows the last one; nonsense shows the first. Neither crashes.
        self.assertContains(self.board(area="", page="99"), "Page 2 of 2")
        self.assertContains(self.board(area="", page="abc"), "Page 1 of 2")

    def test_the_next_page_keeps_the_home_area_default(self):
        self.bulk_needs(60, prefix="Northern", area=self.north)
        self.bulk_needs(60, prefix="Far away", area=self.far)
        first = self.board(self.requester)  # home: Northside, near on by default
        self.assertContains(first, "60 open needs")
        self.assertNotContains(first, "Far away")
        second = self.board(self.requester, page="2")  # the pager's "Next" link
        self.assertContains(second, "60 open needs")
        self.assertContains(second, "Northern 0059")
        self.assertNotContains(second, "Far away")

    def test_an_htmx_request_gets_only_the_results_fragment(self):
        self.post_need(summary="Fragmentary need")
        self.client.force_login(self.volunteer)
        response = self.client.get(self.url, {"area": ""}, HTTP_HX_REQUEST="true")
        self.assertEqual(response.status_code, 200)
        content = response.content.decode()
        self.assertTrue(content.lstrip().startswith('<section id="results"'))
        self.assertIn("Fragmentary need", content)
        self.assertNotIn("<html", content)
        self.assertNotIn('class="filters"', content)

    def test_its_query_count_does_not_grow_with_its_rows(self):
        self.client.force_login(self.volunteer)
        self.client.get(self.url)  # warm up the session
        self.bulk_needs(5)
        with CaptureQueriesContext(connection) as few:
            response = self.client.get(self.url, {"area": ""})
        self.assertContains(response, "5 open needs")

        self.bulk_needs(250, prefix="More", area=self.central, category=self.rides)
        self.bulk_needs(245, prefix="Still more", area=self.south, urgency=Urgency.TODAY)
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(self.url, {"area": ""})
        self.assertContains(response, "500 open needs")
        self.assertEqual(len(many), len(few), [q["sql"] for q in many.captured_queries])

    def test_it_answers_only_get(self):
        self.client.force_login(self.volunteer)
        self.assertEqual(self.client.post(self.url).status_code, 405)
