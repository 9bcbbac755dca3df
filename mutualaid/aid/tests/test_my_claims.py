"""My claims: the needs the member took on, live ones first, and nobody else's."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mutualaid.aid import services
from mutualaid.aid.models import Claim, ClaimEnd, Need, NeedStatus, Urgency
from mutualaid.test import BaseTestCase


class MyClaimsTestCase(BaseTestCase):
    def setUp(self):
        self.url = reverse("aid:my_claims")

    def page(self, member):
        self.client.force_login(member)
        return self.client.get(self.url)

    def bulk_claims(self, count, prefix):
        """Half live, half released, each on its own need."""
        now = timezone.now()
        needs = Need.objects.bulk_create(
            Need(
                requester=self.requester,
                category=[self.groceries, self.rides][i % 2],
                area=[self.north, self.central][i % 2],
                summary=f"{prefix} {i:04d}",
                urgency=Urgency.WEEK,
                status=[NeedStatus.CLAIMED, NeedStatus.OPEN][i % 2],
                claimant=[self.volunteer, None][i % 2],
                created_at=now - timedelta(minutes=i),
            )
            for i in range(count)
        )
        Claim.objects.bulk_create(
            Claim(
                need=need,
                volunteer=self.volunteer,
                created_at=now - timedelta(minutes=i),
                ended_at=[None, now][i % 2],
                end_reason=["", ClaimEnd.RELEASED][i % 2],
            )
            for i, need in enumerate(needs)
        )

    def test_it_sends_an_anonymous_visitor_to_log_in(self):
        response = self.client.get(self.url)
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={self.url}")

    def test_it_lists_live_and_ended_claims_the_live_first(self):
        released = self.claimed_need(summary="Let go of")
        services.need_release(need=released, member=self.volunteer)
        self.claimed_need(summary="Doing it now")
        response = self.page(self.volunteer)
        self.assertContains(response, "Doing it now")
        self.assertContains(response, "Let go of")
        self.assertContains(response, "Released by the volunteer")
        content = response.content.decode()
        self.assertLess(content.index("Doing it now"), content.index("Let go of"))

    def test_the_outsider_sees_none_of_another_members_claims(self):
        self.claimed_need(summary="Doing it now")
        response = self.page(self.outsider)
        self.assertNotContains(response, "Doing it now")
        self.assertContains(response, "You have not claimed a need yet.")

    def test_the_requester_does_not_see_their_claimed_needs_here(self):
        self.claimed_need(summary="Doing it now")
        self.assertNotContains(self.page(self.requester), "Doing it now")

    def test_it_shows_no_private_details(self):
        self.claimed_need(summary="Doing it now")
        self.assertNotContains(self.page(self.volunteer), "Allergic to peanuts")

    def test_its_query_count_does_not_grow_with_its_rows(self):
        self.client.force_login(self.volunteer)
        self.client.get(self.url)  # warm up the session
        self.bulk_claims(5, "Few")
        with CaptureQueriesContext(connection) as few:
            response = self.client.get(self.url)
        self.assertContains(response, "Few 0004")
        self.bulk_claims(95, "Many")
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(self.url)
        self.assertContains(response, "Many 0000")  # the newest, on the first page
        self.assertEqual(len(many), len(few), [q["sql"] for q in many.captured_queries])

    def test_it_answers_only_get(self):
        self.client.force_login(self.volunteer)
        self.assertEqual(self.client.post(self.url).status_code, 405)
