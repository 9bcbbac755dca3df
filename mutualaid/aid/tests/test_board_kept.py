"""The boards keep their rendered list and filters until a need, an offer, a kind of help or an
area changes: served again without reading them, never behind a change, and never one viewer's
board to another who may see less (organizers-only needs; offers of someone who blocked them)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutualaid.accounts import services as accounts
from mutualaid.aid import services as aid
from mutualaid.aid.models import Visibility
from mutualaid.network.models import NetworkSettings
from mutualaid.test import BaseTestCase

BOARD = reverse("aid:board")
OFFERS = reverse("aid:offer_board")


class BoardKeptTestCase(BaseTestCase):
    def setUp(self):
        NetworkSettings.load()  # made on first use: a write
        self.need = self.post_need(summary="Groceries on Tuesday")

    def get(self, member, url=BOARD, **params):
        self.client.force_login(member)
        self.client.get(url, params)  # the login's own write (last_login) changes the members only
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url, params)
        return response, [query["sql"] for query in queries.captured_queries]

    def test_a_board_seen_again_reads_no_need_and_a_new_one_shows_at_once(self):
        self.client.force_login(self.volunteer)
        self.client.get(BOARD)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(BOARD)
        self.assertContains(response, "Groceries on Tuesday")
        self.assertFalse([q for q in queries.captured_queries if 'FROM "aid_need"' in q["sql"]])
        self.post_need(summary="A ride to the clinic")
        self.assertContains(self.client.get(BOARD), "A ride to the clinic")
        aid.need_claim(need=self.need, member=self.volunteer)
        self.assertNotContains(self.client.get(BOARD), "Groceries on Tuesday")

    def test_an_organizers_only_need_stays_off_a_members_kept_board(self):
        self.post_need(summary="Somewhere safe tonight", visibility=Visibility.ORGANIZERS)
        self.assertContains(self.get(self.organizer)[0], "Somewhere safe tonight")
        self.assertNotContains(self.get(self.volunteer)[0], "Somewhere safe tonight")
        self.assertContains(self.get(self.organizer)[0], "Somewhere safe tonight")

    def test_the_members_home_area_comes_with_them(self):
        """The board opens on the member's home area: read with the member, not again."""
        for url in (BOARD, OFFERS):
            with self.subTest(url=url):
                _, queries = self.get(self.volunteer, url)
                from_areas = [sql for sql in queries if sql.startswith('SELECT "areas_area".')]
                self.assertEqual(len(from_areas), 1, from_areas)  # the filter's chosen area

    def test_the_filters_show_what_was_chosen(self):
        response, _ = self.get(self.volunteer, category="groceries")
        self.assertContains(response, '<option value="groceries" selected>')
        response, _ = self.get(self.volunteer, category="rides")
        self.assertContains(response, '<option value="rides" selected>')
        self.assertNotContains(response, "Groceries on Tuesday")

    def test_an_offer_of_someone_who_blocked_me_stays_off_my_kept_board(self):
        self.post_offer(offerer=self.requester, summary="Saturday shopping runs")
        self.assertContains(self.get(self.volunteer, OFFERS)[0], "Saturday shopping runs")
        accounts.member_block(blocker=self.requester, blocked=self.volunteer)
        self.assertNotContains(self.get(self.volunteer, OFFERS)[0], "Saturday shopping runs")
        self.assertContains(self.get(self.organizer, OFFERS)[0], "Saturday shopping runs")
