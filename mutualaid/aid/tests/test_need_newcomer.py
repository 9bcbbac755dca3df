"""A newcomer who opens a need sees why they cannot take it on yet, and where to go."""

from django.urls import reverse

from mutualaid.test import BaseTestCase, make_member
from mutualaid.trust.models import Level

WHY = "take this on yet"  # "Why you can't take this on yet"


class NewcomerOnNeedPageTests(BaseTestCase):
    def setUp(self):
        self.need = self.post_need()
        self.url = reverse("aid:need", args=[self.need.code])

    def test_a_newcomer_sees_why_and_the_way_to_get_vouched(self):
        self.client.force_login(make_member("nell", area=self.north, level=Level.NEWCOMER))
        page = self.client.get(self.url)
        self.assertContains(page, WHY)
        self.assertContains(page, reverse("trust:get_vouched"))
        self.assertNotContains(page, reverse("aid:need_claim", args=[self.need.code]))

    def test_a_vouched_member_sees_the_claim_button_instead(self):
        self.client.force_login(self.outsider)
        page = self.client.get(self.url)
        self.assertNotContains(page, WHY)
        self.assertContains(page, reverse("aid:need_claim", args=[self.need.code]))

    def test_the_requester_is_not_told_about_claiming(self):
        newcomer = make_member("nina", area=self.north, level=Level.NEWCOMER)
        need = self.post_need(requester=newcomer)
        self.client.force_login(newcomer)
        self.assertNotContains(self.client.get(reverse("aid:need", args=[need.code])), WHY)

    def test_a_newcomer_is_not_shown_a_need_that_is_not_on_the_board(self):
        need = self.claimed_need()
        self.client.force_login(make_member("nell", area=self.north, level=Level.NEWCOMER))
        self.assertEqual(self.client.get(reverse("aid:need", args=[need.code])).status_code, 404)

    def test_the_anonymous_visitor_is_sent_to_log_in(self):
        response = self.client.get(self.url)
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={self.url}")
