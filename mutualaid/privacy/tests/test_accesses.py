"""The "who viewed my private details" page: each member sees who opened their own private text."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mutualaid.aid.models import AccessKind, PrivateAccess
from mutualaid.test import CANARY, BaseTestCase, make_member
from mutualaid.trust.models import Role


class AccessesTestCase(BaseTestCase):
    def setUp(self):
        self.url = reverse("privacy:accesses")

    def page(self, member, **params):
        self.client.force_login(member)
        return self.client.get(self.url, params)

    def viewed(self, owner, need, *, viewer=None, what=AccessKind.DETAILS, ago=0):
        return PrivateAccess.objects.create(
            viewer=viewer or self.organizer,
            owner=owner,
            need=need,
            what=what,
            created_at=timezone.now() - timedelta(minutes=ago),
        )

    def test_it_sends_an_anonymous_visitor_to_log_in(self):
        self.viewed(self.requester, self.post_need(summary="Insulin pickup"))
        response = self.client.get(self.url)
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={self.url}")

    def test_it_lists_who_viewed_the_members_private_details_newest_first(self):
        need = self.post_need(summary="Insulin pickup")
        self.viewed(self.requester, need, what=AccessKind.MESSAGES, ago=60)
        self.viewed(self.requester, need, what=AccessKind.DETAILS, ago=5)
        response = self.page(self.requester)
        self.assertContains(response, "Who viewed my private details")
        content = response.content.decode()
        newest = content.index("olga opened your private details")
        oldest = content.index("olga opened your messages")
        self.assertLess(newest, oldest)
        self.assertEqual(content.count("Insulin pickup"), 2)
        self.assertNotIn(CANARY, content)  # the summary, never the private text itself
        self.assertEqual(
            response["Cache-Control"], "max-age=0, no-cache, no-store, must-revalidate, private"
        )

    def test_a_dispatcher_opening_the_need_shows_up_here(self):
        need = self.claimed_need(summary="Insulin pickup")
        self.client.force_login(self.organizer)
        self.assertContains(self.client.get(reverse("aid:need", args=[need.code])), CANARY)
        self.assertContains(self.page(self.requester), "olga opened your private details")

    def test_an_access_by_a_deleted_organizer_still_shows(self):
        need = self.post_need()
        PrivateAccess.objects.create(viewer=None, owner=self.requester, need=need, what="contact")
        self.assertContains(
            self.page(self.requester), "A former organizer opened your shared contact"
        )

    def test_the_outsider_sees_nothing_of_another_members_accesses(self):
        need = self.post_need(summary="Insulin pickup")
        self.viewed(self.requester, need)
        response = self.page(self.outsider)
        self.assertNotContains(response, "Insulin pickup")
        self.assertNotContains(response, "olga")
        self.assertContains(response, "Nobody has opened your private details.")

    def test_the_organizer_does_not_see_accesses_they_made_as_theirs(self):
        self.viewed(self.requester, self.post_need(summary="Insulin pickup"))
        response = self.page(self.organizer)
        self.assertNotContains(response, "Insulin pickup")
        self.assertContains(response, "Nobody has opened your private details.")

    def test_its_query_count_does_not_grow_with_its_rows(self):
        self.client.force_login(self.requester)
        self.client.get(self.url)  # warm up the session
        viewers = [self.organizer, make_member("tia", roles=[Role.TRIAGER]), None]
        needs = [self.post_need(summary=f"Need {i}") for i in range(3)]

        def add(count):
            PrivateAccess.objects.bulk_create(
                PrivateAccess(
                    viewer=viewers[i % 3], owner=self.requester, need=needs[i % 3], what="details"
                )
                for i in range(count)
            )

        add(2)
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url)
        add(60)
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(self.url)
        self.assertEqual(len(few), len(many), [q["sql"] for q in many.captured_queries])
        self.assertContains(response, "Page 1 of 2")
        self.assertContains(response, "tia opened your private details")
        self.assertContains(response, "A former organizer opened your private details")

    def test_the_second_page_holds_the_rest(self):
        need = self.post_need(summary="Insulin pickup")
        for minutes in range(52):
            self.viewed(self.requester, need, ago=minutes)
        response = self.page(self.requester, page=2)
        self.assertContains(response, "Page 2 of 2")
        self.assertContains(response, "olga opened your private details", count=2)

    def test_it_answers_only_get(self):
        self.client.force_login(self.requester)
        for method in ("post", "put", "delete"):
            with self.subTest(method=method):
                self.assertEqual(getattr(self.client, method)(self.url).status_code, 405)
