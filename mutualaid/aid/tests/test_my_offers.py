"""My offers: the member's own offers, withdrawn ones too, and nobody else's."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mutualaid.aid import services
from mutualaid.aid.models import Category, Offer, OfferKind
from mutualaid.areas.models import Area
from mutualaid.test import BaseTestCase


class MyOffersTestCase(BaseTestCase):
    def setUp(self):
        self.url = reverse("aid:my_offers")

    def page(self, member):
        self.client.force_login(member)
        return self.client.get(self.url)

    def offer(self, summary, offerer=None):
        return services.offer_post(
            offerer=offerer or self.volunteer,
            categories=[self.groceries],
            areas=[self.north],
            summary=summary,
            kind=OfferKind.ONE_OFF,
        )

    def bulk_offers(self, count, prefix):
        now = timezone.now()
        offers = Offer.objects.bulk_create(
            Offer(
                offerer=self.volunteer,
                summary=f"{prefix} {i:04d}",
                available_days=[1, 3],
                created_at=now - timedelta(minutes=i),
            )
            for i in range(count)
        )
        categories = list(Category.objects.all())
        areas = list(Area.objects.all())
        Offer.categories.through.objects.bulk_create(
            Offer.categories.through(offer_id=offer.pk, category_id=category.pk)
            for i, offer in enumerate(offers)
            for category in (categories[i % len(categories)], categories[(i + 1) % len(categories)])
        )
        Offer.areas.through.objects.bulk_create(
            Offer.areas.through(offer_id=offer.pk, area_id=areas[i % len(areas)].pk)
            for i, offer in enumerate(offers)
        )

    def test_it_sends_an_anonymous_visitor_to_log_in(self):
        response = self.client.get(self.url)
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={self.url}")

    def test_it_lists_the_members_offers_withdrawn_ones_too(self):
        self.offer("Big weekly shop")
        withdrawn = self.offer("Lifts on Sundays")
        services.offer_withdraw(offer=withdrawn, member=self.volunteer)
        response = self.page(self.volunteer)
        self.assertContains(response, "Big weekly shop")
        self.assertContains(response, "Lifts on Sundays")
        self.assertContains(response, "Withdrawn")

    def test_the_outsider_sees_none_of_another_members_offers(self):
        self.offer("Big weekly shop")
        self.offer("My own offer", offerer=self.outsider)
        response = self.page(self.outsider)
        self.assertNotContains(response, "Big weekly shop")
        self.assertContains(response, "My own offer")

    def test_a_member_without_offers_is_told_so(self):
        self.offer("Big weekly shop")
        self.assertContains(self.page(self.requester), "You have not posted an offer yet.")

    def test_its_query_count_does_not_grow_with_its_rows(self):
        self.client.force_login(self.volunteer)
        self.client.get(self.url)  # warm up the session
        self.bulk_offers(5, "Few")
        with CaptureQueriesContext(connection) as few:
            response = self.client.get(self.url)
        self.assertContains(response, "Few 0004")
        self.bulk_offers(95, "Many")
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(self.url)
        self.assertContains(response, "Many 0000")  # the newest, on the first page
        self.assertEqual(len(many), len(few), [q["sql"] for q in many.captured_queries])

    def test_it_answers_only_get(self):
        self.client.force_login(self.volunteer)
        self.assertEqual(self.client.post(self.url).status_code, 405)
