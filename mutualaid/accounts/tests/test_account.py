"""The account page: the member's details and notices, and links to the pages beyond."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutualaid.accounts import services
from mutualaid.accounts.models import Member, Notice
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

    def set_email(self, member, email):
        """The email is sealed: it is written with save(), which keeps its lookup digest."""
        member.email = email
        member.save(update_fields=["email"])

    def test_it_sends_an_anonymous_visitor_to_log_in(self):
        for response in (
            self.client.get(self.url),
            self.client.post(self.url, {"email": "x@example.org", "home_area": ""}),
        ):
            self.assertRedirects(response, f"{reverse('accounts:login')}?next={self.url}")
        self.assertFalse(Member.objects.with_email("x@example.org").exists())

    def test_it_shows_the_members_handle_email_and_area(self):
        self.set_email(self.requester, "rosa@example.org")
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
        self.set_email(self.requester, "rosa@example.org")
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

    def test_it_links_to_the_pages_beyond(self):
        response = self.page(self.requester)
        for name in ("privacy:accesses", "aid:volunteer_limits", "privacy:delete"):
            with self.subTest(name):
                self.assertContains(response, f'href="{reverse(name)}"')
        self.assertContains(response, f'action="{reverse("privacy:export")}"')

    def test_it_shows_the_members_newest_notices_and_only_theirs(self):
        services.notify(
            member=self.requester, kind="message", text="Your need is back on the board."
        )
        services.notify(member=self.outsider, kind="message", text="Something for otto only.")
        response = self.page(self.requester)
        self.assertContains(response, "New:</strong> Your need is back on the board.", html=False)
        self.assertNotContains(response, "Something for otto only.")
        self.assertContains(response, "Account (1 new notice)")

    def test_its_query_count_does_not_grow_with_its_rows(self):
        self.client.force_login(self.requester)
        self.client.get(self.url)  # warm up the session

        def add(count, text):
            notices = []
            for _ in range(count):
                notice = Notice(member=self.requester, kind="message")
                notice.params = {"text": text}
                notices.append(notice)
            Notice.objects.bulk_create(notices)

        add(2, "An older notice")
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url)
        add(60, "A newer notice")
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(self.url)
        self.assertEqual(len(few), len(many))
        self.assertContains(response, "A newer notice", count=5)  # the newest few, then a link
        self.assertNotContains(response, "An older notice")
        self.assertContains(response, "Account (62 new notices)")

    def test_it_answers_only_get_and_post(self):
        self.client.force_login(self.requester)
        self.assertEqual(self.client.put(self.url).status_code, 405)
