"""The newcomer's way in: how vouching works, who the organizers are, and "ask to be vouched",
which tells the organizers who approve and the vouched neighbors who asked to hear."""

from django.core.cache import cache
from django.urls import reverse

from mutualaid.accounts.models import Level, Notice, Role
from mutualaid.lib.refusal import Refusal
from mutualaid.test import BaseTestCase, make_member
from mutualaid.trust import services

from .helpers import make_newcomer


class VouchRequestTestCase(BaseTestCase):
    def setUp(self):
        cache.clear()
        self.newt = make_newcomer("newt", area=self.north)
        self.safety = make_member("sam", roles=[Role.SAFETY])
        self.neighbor = make_member("nell", area=self.north)
        self.neighbor.hears_vouch_requests = True
        self.neighbor.save()
        self.far_one = make_member("faro", area=self.far)
        self.far_one.hears_vouch_requests = True
        self.far_one.save()

    def told(self):
        return set(
            Notice.objects.filter(kind="vouch_requested").values_list("member__handle", flat=True)
        )

    def test_it_tells_approvers_and_neighbors_who_asked_to_hear(self):
        self.assertEqual(services.vouch_request(member=self.newt), 3)
        # olga is an admin (approves), sam a safety officer; nell lives in the north and asked.
        self.assertEqual(self.told(), {"olga", "sam", "nell"})
        notice = Notice.objects.filter(kind="vouch_requested", member=self.neighbor).get()
        self.assertIn("newt", notice.text)
        self.assertEqual(notice.url, reverse("trust:vouch") + "?handle=newt")

    def test_once_a_day_and_only_for_newcomers(self):
        services.vouch_request(member=self.newt)
        with self.assertRaises(Refusal) as refusal:
            services.vouch_request(member=self.newt)
        self.assertEqual(refusal.exception.code, "rate_limited")
        with self.assertRaises(Refusal):
            services.vouch_request(member=self.volunteer)  # already vouched

    def test_the_page_and_the_button(self):
        self.client.force_login(self.newt)
        page = self.client.get(reverse("trust:get_vouched"))
        self.assertContains(page, "Ask to be vouched for")
        self.assertContains(page, "olga")
        response = self.client.post(reverse("trust:vouch_request"))
        self.assertRedirects(response, reverse("trust:get_vouched"))
        self.assertIn("nell", self.told())

    def test_the_vouch_form_is_not_shown_to_who_cannot_vouch(self):
        self.client.force_login(self.newt)
        page = self.client.get(reverse("trust:vouch"))
        self.assertNotContains(page, 'name="note"')
        self.assertContains(page, "How to get vouched for yourself")
        self.client.force_login(self.volunteer)
        self.assertContains(self.client.get(reverse("trust:vouch")), 'name="note"')

    def test_a_vouched_member_chooses_to_hear(self):
        self.client.force_login(self.volunteer)
        self.client.post(reverse("trust:vouch_requests_hear"), {"hear": "on"})
        self.volunteer.refresh_from_db()
        self.assertTrue(self.volunteer.hears_vouch_requests)
        self.client.force_login(self.newt)  # a newcomer has nothing to hear
        self.assertEqual(self.client.post(reverse("trust:vouch_requests_hear")).status_code, 403)

    def test_anonymous_visitors_are_sent_to_log_in(self):
        for method, url in (("get", "trust:get_vouched"), ("post", "trust:vouch_request")):
            response = getattr(self.client, method)(reverse(url))
            self.assertEqual(response.status_code, 302)
            self.assertIn(reverse("accounts:login"), response["Location"])
        self.assertEqual(self.newt.level, Level.NEWCOMER)
