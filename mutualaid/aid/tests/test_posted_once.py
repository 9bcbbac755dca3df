"""A form sent twice (a double click without JavaScript, Back and send again) makes one record:
the posting forms carry a one-time key, and the services find what the first submission made."""

import re
import uuid

from django.test import override_settings
from django.urls import reverse

from mutualaid.accounts.models import Notice
from mutualaid.aid import services
from mutualaid.aid.models import EventKind, Message, Need, Offer
from mutualaid.lib.refusal import Refusal
from mutualaid.test import BaseTestCase, make_member
from mutualaid.trust.models import Level

KEY = re.compile(r'<input type="hidden" name="idempotency_key" value="([0-9a-f-]{36})"')
ALREADY = "This was already posted: here it is."
EXPIRED = "This form had expired. Check it, then send it again."


def key_on(response) -> str:
    """The one-time key of the form on the page, as a browser would send it back."""
    found = KEY.findall(response.content.decode())
    assert len(found) == 1, f"{len(found)} keys on the page"
    return found[0]


class NeedPostedOnceTestCase(BaseTestCase):
    url = reverse("aid:need_new")

    def form(self, member=None, **changes):
        """The posting form as shown to ``member``, filled in, with the key it was shown with."""
        self.client.force_login(member or self.requester)
        data = {
            "category": "groceries",
            "summary": "Milk and bread for two",
            "details": "Flat 7, knock.",
            "area": str(self.north.code),
            "urgency": "soon",
            "needed_by": "",
            "idempotency_key": key_on(self.client.get(self.url)),
        }
        data.update(changes)
        return data

    def test_the_same_form_sent_twice_posts_one_need_and_lands_on_it_again(self):
        data = self.form()
        with self.captureOnCommitCallbacks(execute=True):
            first = self.client.post(self.url, data, follow=True)
        notices = Notice.objects.count()
        with self.captureOnCommitCallbacks(execute=True):
            second = self.client.post(self.url, data, follow=True)

        need = Need.objects.get()
        self.assertRedirects(first, reverse("aid:need", args=[need.code]))
        self.assertContains(first, "Your need is posted.")
        self.assertRedirects(second, reverse("aid:need", args=[need.code]))
        self.assertContains(second, ALREADY)
        self.assertNotContains(second, "Your need is posted.")
        self.assertEqual(need.events.filter(kind=EventKind.NEED_POSTED).count(), 1)
        self.assertGreater(notices, 0)  # the organizers hear of a new need: once
        self.assertEqual(Notice.objects.count(), notices)

    def test_each_showing_of_the_form_posts_its_own_need(self):
        first, second = self.form(), self.form()
        self.assertNotEqual(first["idempotency_key"], second["idempotency_key"])
        self.client.post(self.url, first)
        self.client.post(self.url, second)
        self.assertEqual(Need.objects.count(), 2)

    def test_a_form_without_a_key_still_posts_each_time(self):
        data = self.form()
        del data["idempotency_key"]
        self.assertEqual(self.client.post(self.url, data).status_code, 302)
        self.assertEqual(self.client.post(self.url, data).status_code, 302)
        self.assertEqual(Need.objects.count(), 2)

    def test_a_broken_key_is_refused_in_words_and_the_form_comes_back_with_a_fresh_one(self):
        for broken in ("not-a-key", "0" * 500, "'; DROP TABLE aid_need; --"):
            with self.subTest(broken=broken):
                response = self.client.post(self.url, self.form(idempotency_key=broken))
                self.assertContains(response, EXPIRED, status_code=422)
                self.assertEqual(Need.objects.count(), 0)
                fresh = key_on(response)
                self.assertEqual(str(uuid.UUID(fresh)), fresh)
        self.assertEqual(
            self.client.post(self.url, {**self.form(), "idempotency_key": fresh}).status_code, 302
        )

    def test_a_form_shown_again_with_its_errors_keeps_its_key(self):
        data = self.form(summary="")
        response = self.client.post(self.url, data)
        self.assertEqual(response.status_code, 422)
        self.assertEqual(key_on(response), data["idempotency_key"])

    def test_another_member_sending_the_same_key_posts_their_own_need(self):
        data = self.form()
        self.client.post(self.url, data)
        self.client.force_login(self.outsider)
        self.client.post(self.url, data)
        self.assertEqual(
            sorted(Need.objects.values_list("requester__handle", flat=True)), ["otto", "rosa"]
        )

    @override_settings(RATE_LIMITS={"newcomer-posts": (1, 3600)})
    def test_the_second_submission_costs_a_newcomer_nothing(self):
        newcomer = make_member("nina", area=self.north, level=Level.NEWCOMER)
        data = self.form(newcomer)
        self.assertEqual(self.client.post(self.url, data).status_code, 302)
        self.assertEqual(self.client.post(self.url, data).status_code, 302)
        self.assertEqual(self.client.post(self.url, self.form(newcomer)).status_code, 429)
        self.assertEqual(Need.objects.count(), 1)

    def test_the_service_returns_the_earlier_need_marked_replayed(self):
        key = uuid.uuid4()
        first = self.post_need(idempotency_key=key)
        again = self.post_need(idempotency_key=key, summary="Something else entirely")
        self.assertEqual(again.pk, first.pk)
        self.assertEqual((first.replayed, again.replayed), (False, True))
        self.assertEqual(Need.objects.get().summary, "Groceries for a family of four")

    def test_an_edit_form_has_no_key_to_send(self):
        need = self.post_need()
        self.client.force_login(self.requester)
        response = self.client.get(reverse("aid:need_edit", args=[need.code]))
        self.assertEqual(KEY.findall(response.content.decode()), [])


class OfferPostedOnceTestCase(BaseTestCase):
    url = reverse("aid:offer_new")

    def test_the_same_form_sent_twice_posts_one_offer(self):
        self.client.force_login(self.volunteer)
        data = {
            "summary": "A car and a free afternoon",
            "categories": ["rides", "groceries"],
            "areas": [str(self.central.code)],
            "kind": "ongoing",
            "idempotency_key": key_on(self.client.get(self.url)),
        }
        first = self.client.post(self.url, data)
        second = self.client.post(self.url, data, follow=True)

        offer = Offer.objects.get()
        self.assertRedirects(first, reverse("aid:offer", args=[offer.code]))
        self.assertRedirects(second, reverse("aid:offer", args=[offer.code]))
        self.assertContains(second, "This offer was already posted: here it is.")
        self.assertEqual(offer.categories.count(), 2)
        self.assertEqual(offer.events.filter(kind=EventKind.OFFER_POSTED).count(), 1)

    def test_a_broken_key_is_refused_in_words(self):
        self.client.force_login(self.volunteer)
        data = {
            "summary": "A car",
            "categories": ["rides"],
            "areas": [str(self.central.code)],
            "kind": "ongoing",
            "idempotency_key": "12345",
        }
        self.assertContains(self.client.post(self.url, data), EXPIRED, status_code=422)
        self.assertEqual(Offer.objects.count(), 0)


class MessageSentOnceTestCase(BaseTestCase):
    def test_the_same_message_form_sent_twice_sends_one_message(self):
        need = self.claimed_need()
        page = reverse("aid:need", args=[need.code])
        self.client.force_login(self.requester)
        data = {
            "body": "The door code is 4471.",
            "claim": str(need.claims.get().code),
            "idempotency_key": key_on(self.client.get(page)),
        }
        url = reverse("aid:need_message", args=[need.code])
        notices = Notice.objects.filter(member=self.volunteer, kind="message_received")

        first = self.client.post(url, data)
        second = self.client.post(url, data, follow=True)

        self.assertRedirects(first, page + "#conversation", fetch_redirect_response=False)
        self.assertRedirects(second, page + "#conversation")
        self.assertContains(second, "This message was already sent.")
        self.assertEqual(Message.objects.get().body, "The door code is 4471.")
        self.assertEqual(need.events.filter(kind=EventKind.MESSAGE_SENT).count(), 1)
        self.assertEqual(notices.count(), 1)

    def test_a_second_message_from_a_fresh_form_is_sent(self):
        need = self.claimed_need()
        self.client.force_login(self.volunteer)
        url = reverse("aid:need_message", args=[need.code])
        for body in ("On my way", "On my way"):  # the same words, each from its own form
            key = key_on(self.client.get(reverse("aid:need", args=[need.code])))
            self.client.post(url, {"body": body, "idempotency_key": key})
        self.assertEqual(Message.objects.count(), 2)

    def test_the_outsider_cannot_replay_someone_elses_message(self):
        need = self.claimed_need()
        key = uuid.uuid4()
        services.message_send(
            need=need, sender=self.requester, body="Door code 4471", idempotency_key=key
        )
        with self.assertRaises(Refusal):
            services.message_send(
                need=need, sender=self.outsider, body="Door code 4471", idempotency_key=key
            )
        self.assertEqual(Message.objects.count(), 1)
