"""Withdrawing an offer: only its offerer, only while it is open."""

from django.contrib.messages import get_messages
from django.urls import reverse

from mutualaid.aid import services
from mutualaid.aid.models import (
    EventKind,
    Offer,
    OfferKind,
    OfferStatus,
)
from mutualaid.test import BaseTestCase, record_counts


class OfferWithdrawTestCase(BaseTestCase):
    def setUp(self):
        self.offer = services.offer_post(
            offerer=self.volunteer,
            categories=[self.groceries],
            areas=[self.north],
            summary="Big weekly shop",
            kind=OfferKind.ONGOING,
        )
        self.url = reverse("aid:offer_withdraw", args=[self.offer.code])

    def withdraw(self, member):
        self.client.force_login(member)
        return self.client.post(self.url)

    def flashed(self, response):
        return [str(message) for message in get_messages(response.wsgi_request)]

    def assertRefused(self, member, text):
        before = record_counts()
        response = self.withdraw(member)
        self.assertRedirects(
            response, reverse("aid:offer", args=[self.offer.code]), fetch_redirect_response=False
        )
        self.assertIn(text, " ".join(self.flashed(response)))
        self.assertEqual(record_counts(), before)

    def test_it_sends_an_anonymous_visitor_to_log_in_and_changes_nothing(self):
        response = self.client.post(self.url)
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={self.url}")
        self.assertEqual(Offer.objects.get().status, OfferStatus.OPEN)

    def test_the_offerer_withdraws_their_offer(self):
        response = self.withdraw(self.volunteer)
        self.assertRedirects(response, reverse("aid:offer", args=[self.offer.code]))
        self.assertIn("Your offer is withdrawn.", self.flashed(response))
        self.offer.refresh_from_db()
        self.assertEqual(self.offer.status, OfferStatus.WITHDRAWN)
        self.assertEqual(
            list(self.offer.events.values_list("kind", "actor")),
            [
                (EventKind.OFFER_POSTED, self.volunteer.pk),
                (EventKind.OFFER_WITHDRAWN, self.volunteer.pk),
            ],
        )

    def test_the_outsider_cannot_withdraw_an_open_offer(self):
        self.assertRefused(self.outsider, "Only the person who posted this offer")
        self.assertEqual(Offer.objects.get().status, OfferStatus.OPEN)

    def test_organizers_cannot_withdraw_it_either(self):
        self.assertRefused(self.organizer, "Only the person who posted this offer")
        self.assertEqual(Offer.objects.get().status, OfferStatus.OPEN)

    def test_the_outsider_gets_404_for_a_withdrawn_offer(self):
        services.offer_withdraw(offer=self.offer, member=self.volunteer)
        before = record_counts()
        self.assertEqual(self.withdraw(self.outsider).status_code, 404)
        self.assertEqual(record_counts(), before)

    def test_withdrawing_twice_is_refused(self):
        services.offer_withdraw(offer=self.offer, member=self.volunteer)
        self.assertRefused(self.volunteer, "This offer is no longer open.")
        self.assertEqual(Offer.objects.get().status, OfferStatus.WITHDRAWN)

    def test_it_answers_only_post(self):
        self.client.force_login(self.volunteer)
        self.assertEqual(self.client.get(self.url).status_code, 405)
        self.assertEqual(Offer.objects.get().status, OfferStatus.OPEN)
