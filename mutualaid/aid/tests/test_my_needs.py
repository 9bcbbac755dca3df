"""My needs: the member's own needs, whatever their status, and nobody else's."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mutualaid.aid import services
from mutualaid.aid.models import Need, NeedStatus, Urgency
from mutualaid.test import BaseTestCase


class MyNeedsTestCase(BaseTestCase):
    def setUp(self):
        self.url = reverse("aid:my_needs")

    def page(self, member):
        self.client.force_login(member)
        return self.client.get(self.url)

    def bulk_needs(self, count, prefix):
        """Half of them open, half claimed by the volunteer, so that every card has its parts."""
        now = timezone.now()
        Need.objects.bulk_create(
            Need(
                requester=self.requester,
                category=[self.groceries, self.rides][i % 2],
                area=[self.north, self.central][i % 2],
                summary=f"{prefix} {i:04d}",
                urgency=Urgency.WEEK,
                status=[NeedStatus.OPEN, NeedStatus.CLAIMED][i % 2],
                claimant=[None, self.volunteer][i % 2],
                created_at=now - timedelta(minutes=i),
            )
            for i in range(count)
        )

    def test_it_sends_an_anonymous_visitor_to_log_in(self):
        response = self.client.get(self.url)
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={self.url}")

    def test_it_lists_the_members_needs_whatever_their_status(self):
        self.post_need(summary="Still open")
        self.claimed_need(summary="Being helped")
        cancelled = self.post_need(summary="Called off")
        services.need_cancel(need=cancelled, member=self.requester)
        response = self.page(self.requester)
        for summary in ("Still open", "Being helped", "Called off"):
            self.assertContains(response, summary)
        self.assertContains(response, "Cancelled")
        self.assertContains(response, f"with {self.volunteer.handle}")

    def test_the_newest_comes_first(self):
        self.bulk_needs(3, "Mine")
        content = self.page(self.requester).content.decode()
        self.assertLess(content.index("Mine 0000"), content.index("Mine 0002"))

    def test_the_outsider_sees_none_of_another_members_needs(self):
        self.post_need(summary="Still open")
        self.claimed_need(summary="Being helped")
        response = self.page(self.outsider)
        self.assertNotContains(response, "Still open")
        self.assertNotContains(response, "Being helped")
        self.assertContains(response, "You have not asked for anything yet.")

    def test_the_volunteer_does_not_see_needs_they_claimed_here(self):
        self.claimed_need(summary="Being helped")
        self.assertNotContains(self.page(self.volunteer), "Being helped")

    def test_its_query_count_does_not_grow_with_its_rows(self):
        self.client.force_login(self.requester)
        self.client.get(self.url)  # warm up the session
        self.bulk_needs(5, "Few")
        with CaptureQueriesContext(connection) as few:
            response = self.client.get(self.url)
        self.assertContains(response, "Few 0004")
        self.bulk_needs(195, "Many")
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(self.url)
        self.assertContains(response, "Many 0000")
        self.assertEqual(len(many), len(few), [q["sql"] for q in many.captured_queries])
        with CaptureQueriesContext(connection) as later:
            response = self.client.get(self.url, {"page": 4})
        self.assertContains(response, "Many 0194")
        self.assertEqual(len(later), len(few))

    def test_a_page_at_a_time_and_any_page_number_answers(self):
        self.bulk_needs(120, "Mine")
        self.client.force_login(self.requester)
        first = self.client.get(self.url)
        self.assertContains(first, "Mine 0049")
        self.assertNotContains(first, "Mine 0050")
        self.assertContains(first, "Page 1 of 3")
        self.assertContains(first, "page=2")
        last = self.client.get(self.url, {"page": 3})
        self.assertContains(last, "Mine 0119")
        self.assertNotContains(last, "Mine 0099")
        for bad in ("x", "0", "-1", "999", "2.5", "1" * 200):
            with self.subTest(page=bad):
                response = self.client.get(self.url, {"page": bad})
                self.assertEqual(response.status_code, 200)  # the first or last page
                self.assertContains(response, "Mine 0")
        self.assertNotContains(self.page(self.outsider), "Mine 0")  # still nobody else's

    def test_it_answers_only_get(self):
        self.client.force_login(self.requester)
        self.assertEqual(self.client.post(self.url).status_code, 405)
