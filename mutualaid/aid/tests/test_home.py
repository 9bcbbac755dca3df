"""The front door: what the network is and how to join. A vouched member finds the needs that
fit them there; other members go straight to the board."""

from django.urls import reverse

from mutualaid.test import BaseTestCase, make_member
from mutualaid.trust.models import Level


class HomeTestCase(BaseTestCase):
    def setUp(self):
        self.url = reverse("home")

    def test_an_anonymous_visitor_sees_how_to_join(self):
        response = self.client.get(self.url)
        self.assertContains(response, "Neighbors helping neighbors")
        self.assertContains(response, reverse("accounts:signup"))
        self.assertContains(response, reverse("accounts:login"))

    def test_an_anonymous_visitor_sees_no_need_and_no_member(self):
        self.post_need(summary="Groceries for a family of four")
        response = self.client.get(self.url)
        self.assertNotContains(response, "Groceries for a family of four")
        self.assertNotContains(response, "Flat 3B")
        self.assertNotContains(response, ">rosa<")
        self.assertNotContains(response, reverse("aid:board"))

    def test_a_newcomer_goes_to_the_board(self):
        self.client.force_login(make_member("newt", level=Level.NEWCOMER))
        response = self.client.get(self.url)
        self.assertRedirects(response, reverse("aid:board"), fetch_redirect_response=False)

    def test_a_vouched_member_finds_the_needs_that_fit_them_and_the_board(self):
        # (what fits and why: mutualaid/dispatch/tests/test_suggest_views.py)
        for member in (self.requester, self.outsider):
            with self.subTest(member=member.handle):
                self.client.force_login(member)
                response = self.client.get(self.url)
                self.assertContains(response, "Needs that fit you")
                self.assertContains(response, reverse("aid:board"))

    def test_it_answers_only_get(self):
        self.assertEqual(self.client.post(self.url).status_code, 405)
