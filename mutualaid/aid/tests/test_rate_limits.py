"""Needs and offers posted by a newcomer, and messages, are limited (429)."""

import uuid
from datetime import UTC, datetime, timedelta

import time_machine
from django.test import override_settings
from django.urls import reverse

from mutualaid.aid.models import Message, Need, Offer
from mutualaid.test import BaseTestCase, make_member
from mutualaid.trust.models import Level

TEN = datetime(2025, 3, 10, 10, 0, tzinfo=UTC)


def assert_too_many(test, response, retry_after):
    test.assertContains(response, "Too many tries for now", status_code=429)
    test.assertContains(response, "Please try again in", status_code=429)
    test.assertEqual(response["Retry-After"], str(retry_after))


class NewcomerPostsRateLimitTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.newcomer = make_member("nina", area=cls.north, level=Level.NEWCOMER)

    def post_need(self, member, summary="Milk and bread for two"):
        self.client.force_login(member)
        data = {
            "category": "groceries",
            "summary": summary,
            "details": "",
            "area": str(self.north.code),
            "urgency": "soon",
            "needed_by": "",
        }
        return self.client.post(reverse("aid:need_new"), data)

    def post_offer_page(self, member, summary="A car and a free afternoon"):
        self.client.force_login(member)
        data = {
            "summary": summary,
            "categories": ["rides"],
            "areas": [str(self.north.code)],
            "kind": "ongoing",
        }
        return self.client.post(reverse("aid:offer_new"), data)

    def test_a_newcomer_may_post_five_needs_and_offers_a_day_together(self):
        with time_machine.travel(TEN, tick=False):
            for i in range(3):
                self.assertEqual(self.post_need(self.newcomer, f"Need {i}").status_code, 302)
            for i in range(2):
                self.assertEqual(self.post_offer_page(self.newcomer, f"Offer {i}").status_code, 302)
            need_response = self.post_need(self.newcomer, "One too many")
            offer_response = self.post_offer_page(self.newcomer, "One too many")
        assert_too_many(self, need_response, 24 * 3600 - 10 * 3600)
        assert_too_many(self, offer_response, 24 * 3600 - 10 * 3600)
        self.assertContains(need_response, "try again in 14\xa0hours", status_code=429)
        self.assertFalse(Need.objects.filter(summary="One too many").exists())
        self.assertFalse(Offer.objects.filter(summary="One too many").exists())

    def test_the_next_day_a_newcomer_may_post_again(self):
        with time_machine.travel(TEN, tick=False):
            for i in range(6):
                self.post_need(self.newcomer, f"Need {i}")
        with time_machine.travel(TEN + timedelta(days=1), tick=False):
            self.assertEqual(self.post_need(self.newcomer, "Tomorrow").status_code, 302)

    def test_a_refused_form_does_not_count(self):
        with time_machine.travel(TEN, tick=False):
            for _ in range(7):
                self.assertEqual(self.post_need(self.newcomer, "").status_code, 422)
            self.assertEqual(self.post_need(self.newcomer).status_code, 302)

    def test_a_vouched_member_is_not_limited(self):
        with time_machine.travel(TEN, tick=False):
            for i in range(7):
                self.assertEqual(self.post_need(self.requester, f"Need {i}").status_code, 302)
                self.assertEqual(
                    self.post_offer_page(self.requester, f"Offer {i}").status_code, 302
                )

    def test_each_newcomer_counts_apart(self):
        other = make_member("neo", area=self.north, level=Level.NEWCOMER)
        with time_machine.travel(TEN, tick=False):
            for i in range(6):
                self.post_need(self.newcomer, f"Need {i}")
            self.assertEqual(self.post_need(other).status_code, 302)

    @override_settings(RATE_LIMITS={"newcomer-posts": (2, 24 * 3600)})
    def test_the_limit_is_a_setting(self):
        with time_machine.travel(TEN, tick=False):
            self.post_need(self.newcomer, "One")
            self.post_offer_page(self.newcomer, "Two")
            self.assertEqual(self.post_need(self.newcomer, "Three").status_code, 429)

    def test_an_anonymous_visitor_is_sent_to_log_in_first(self):
        for name in ("aid:need_new", "aid:offer_new"):
            url = reverse(name)
            response = self.client.post(url, {"summary": "x"})
            self.assertRedirects(response, f"{reverse('accounts:login')}?next={url}")


@override_settings(RATE_LIMITS={"messages": (30, 3600)})
class MessageRateLimitTestCase(BaseTestCase):
    def send(self, need, member, body="See you at six"):
        self.client.force_login(member)
        return self.client.post(reverse("aid:need_message", args=[need.code]), {"body": body})

    def test_a_member_may_send_thirty_messages_an_hour(self):
        need = self.claimed_need()
        before = Message.objects.count()
        with time_machine.travel(TEN, tick=False):
            for i in range(30):
                self.assertEqual(self.send(need, self.volunteer, f"Note {i}").status_code, 302)
            with time_machine.travel(TEN + timedelta(minutes=50), tick=False):
                response = self.send(need, self.volunteer, "One too many")
        assert_too_many(self, response, 10 * 60)
        self.assertContains(response, "try again in 10\xa0minutes", status_code=429)
        self.assertEqual(Message.objects.count(), before + 30)
        with time_machine.travel(TEN + timedelta(hours=1), tick=False):
            self.assertEqual(self.send(need, self.volunteer, "Next hour").status_code, 302)

    @override_settings(RATE_LIMITS={"messages": (1, 3600)})
    def test_an_htmx_sender_sees_the_wait_in_the_notice_area(self):
        need = self.claimed_need()
        self.client.force_login(self.volunteer)
        url = reverse("aid:need_message", args=[need.code])
        with time_machine.travel(TEN, tick=False):
            self.client.post(url, {"body": "First"}, HTTP_HX_REQUEST="true")
            response = self.client.post(url, {"body": "Second"}, HTTP_HX_REQUEST="true")
        self.assertEqual(response.status_code, 429)
        self.assertEqual(response["HX-Retarget"], "#flash")
        self.assertContains(response, "try again in", status_code=429)
        self.assertNotContains(response, "<html", status_code=429)

    def test_the_other_side_may_still_answer(self):
        need = self.claimed_need()
        with time_machine.travel(TEN, tick=False):
            for i in range(31):
                self.send(need, self.volunteer, f"Note {i}")
            self.assertEqual(self.send(need, self.requester, "Slow down").status_code, 302)

    def test_the_outsider_is_refused_before_anything_is_counted(self):
        need = self.claimed_need()
        with time_machine.travel(TEN, tick=False):
            for _ in range(35):
                self.assertEqual(self.send(need, self.outsider, "Let me in").status_code, 404)
            # An open need they see but have no part in: refused, as before the limits.
            self.assertEqual(self.send(self.post_need(), self.outsider, "x").status_code, 409)
            self.client.force_login(self.outsider)
            missing = reverse("aid:need_message", args=[uuid.uuid4()])
            self.assertEqual(self.client.post(missing, {"body": "x"}).status_code, 404)
        self.assertEqual(Message.objects.filter(sender=self.outsider).count(), 0)
