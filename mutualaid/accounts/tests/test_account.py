"""The account page: the member's details, notices, and who viewed their private details."""

from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mutualaid.accounts import services
from mutualaid.accounts.models import Member, Notice
from mutualaid.privacy.models import AccessKind, PrivateAccess
from mutualaid.test import PASSWORD, BaseTestCase


class AccountTestCase(BaseTestCase):
    def setUp(self):
        self.url = reverse("accounts:account")

    def page(self, member, **params):
        self.client.force_login(member)
        return self.client.get(self.url, params)

    def save(self, member, **changes):
        self.client.force_login(member)
        data = {"email": member.email, "home_area": str(member.home_area.code)}
        data.update(changes)
        return self.client.post(self.url, data)

    def viewed(self, owner, need, *, viewer=None, what=AccessKind.DETAILS, ago=0):
        return PrivateAccess.objects.create(
            viewer=viewer or self.organizer,
            owner=owner,
            need=need,
            what=what,
            created_at=timezone.now() - timedelta(minutes=ago),
        )

    def test_it_sends_an_anonymous_visitor_to_log_in(self):
        for response in (
            self.client.get(self.url),
            self.client.post(self.url, {"email": "x@example.org", "home_area": ""}),
        ):
            self.assertRedirects(response, f"{reverse('accounts:login')}?next={self.url}")
        self.assertFalse(Member.objects.filter(email="x@example.org").exists())

    def test_it_shows_the_members_handle_email_and_area(self):
        Member.objects.filter(pk=self.requester.pk).update(email="rosa@example.org")
        response = self.page(self.requester)
        self.assertContains(response, "Your account")
        self.assertContains(response, "rosa")
        self.assertContains(response, 'value="rosa@example.org"')
        self.assertContains(response, f'<option value="{self.north.code}" selected>Northside')
        self.assertEqual(
            response["Cache-Control"], "max-age=0, no-cache, no-store, must-revalidate, private"
        )

    def test_the_header_links_to_it(self):
        self.client.force_login(self.requester)
        board = self.client.get(reverse("aid:board"))
        self.assertContains(board, f'<a href="{self.url}" >Account</a>', html=False)
        self.assertContains(self.client.get(self.url), 'aria-current="page">Account', html=False)

    def test_the_member_changes_their_area(self):
        response = self.save(self.requester, home_area=str(self.far.code))
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        self.assertContains(self.client.get(self.url), "Your details are saved.")
        self.requester.refresh_from_db()
        self.assertEqual(self.requester.home_area, self.far)

    def test_the_member_clears_their_area(self):
        self.save(self.requester, home_area="")
        self.requester.refresh_from_db()
        self.assertIsNone(self.requester.home_area)

    def test_a_new_email_needs_the_current_password(self):
        response = self.save(self.requester, email="rosa@example.org")
        self.assertContains(
            response, "Enter your current password to change your email.", status_code=422
        )
        self.requester.refresh_from_db()
        self.assertEqual(self.requester.email, "")
        response = self.save(self.requester, email="rosa@example.org", current_password="nope")
        self.assertEqual(response.status_code, 422)
        response = self.save(self.requester, email="rosa@example.org", current_password=PASSWORD)
        self.assertRedirects(response, self.url)
        self.requester.refresh_from_db()
        self.assertEqual(self.requester.email, "rosa@example.org")

    def test_removing_the_email_needs_the_password_too(self):
        Member.objects.filter(pk=self.requester.pk).update(email="rosa@example.org")
        self.requester.refresh_from_db()
        self.assertEqual(self.save(self.requester, email="").status_code, 422)
        self.save(self.requester, email="", current_password=PASSWORD)
        self.requester.refresh_from_db()
        self.assertEqual(self.requester.email, "")

    def test_it_refuses_a_bad_email_or_an_unknown_area(self):
        cases = {
            "a bad email": ({"email": "not-an-email", "current_password": PASSWORD}, "valid"),
            "an unknown area": ({"home_area": "not-a-code"}, "Choose one of the areas listed."),
        }
        for case, (changes, error) in cases.items():
            with self.subTest(case):
                response = self.save(self.requester, **changes)
                self.assertContains(response, error, status_code=422)
                self.assertContains(response, "Nothing was saved yet.", status_code=422)
                self.assertNotContains(response, PASSWORD, status_code=422)
        self.requester.refresh_from_db()
        self.assertEqual((self.requester.email, self.requester.home_area), ("", self.north))

    def test_it_sets_nothing_but_email_and_area(self):
        self.client.force_login(self.requester)
        before = Member.objects.values().get(pk=self.requester.pk)
        self.client.post(
            self.url,
            {
                "email": "",
                "home_area": str(self.north.code),
                "handle": "admin",
                "is_organizer": "on",
                "is_active": "",
                "password": "x",
                "code": "00000000-0000-0000-0000-000000000000",
            },
        )
        self.assertEqual(Member.objects.values().get(pk=self.requester.pk), before)

    def test_it_needs_the_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.requester)
        response = client.post(self.url, {"email": "", "home_area": str(self.far.code)})
        self.assertEqual(response.status_code, 403)
        self.requester.refresh_from_db()
        self.assertEqual(self.requester.home_area, self.north)

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
        self.assertNotContains(self.page(self.organizer), "Insulin pickup")

    def test_it_shows_the_members_newest_notices_and_only_theirs(self):
        services.notice_send(member=self.requester, text="Your need is back on the board.")
        services.notice_send(member=self.outsider, text="Something for otto only.")
        response = self.page(self.requester)
        self.assertContains(response, "New:</strong> Your need is back on the board.", html=False)
        self.assertNotContains(response, "Something for otto only.")
        self.assertContains(response, "Account (1 new notice)")

    def test_its_query_count_does_not_grow_with_its_rows(self):
        self.client.force_login(self.requester)
        self.client.get(self.url)  # warm up the session
        need = self.post_need(summary="Insulin pickup")

        def add(count):
            PrivateAccess.objects.bulk_create(
                PrivateAccess(
                    viewer=self.organizer, owner=self.requester, need=need, what="details"
                )
                for _ in range(count)
            )
            Notice.objects.bulk_create(
                Notice(member=self.requester, text="A notice") for _ in range(count)
            )

        add(2)
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url)
        add(60)
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(self.url)
        self.assertEqual(len(few), len(many))
        self.assertContains(response, "Page 1 of 2")
        self.assertContains(response, "Account (62 new notices)")

    def test_it_answers_only_get_and_post(self):
        self.client.force_login(self.requester)
        self.assertEqual(self.client.put(self.url).status_code, 405)
