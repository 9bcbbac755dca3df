"""The logged-in member read on each request with their live roles and unread notices, in one query
(accounts/backends.py), and what that changes for nobody: a removed role is gone on the next
request, an inactive member is refused, a bad session key finds no one."""

from django.contrib.auth import get_user
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mutualaid.accounts import selectors, services
from mutualaid.accounts.backends import MemberBackend
from mutualaid.accounts.models import Role, RoleGrant
from mutualaid.test import PASSWORD, make_member

BACKEND = "mutualaid.accounts.backends.MemberBackend"


class MemberBackendTestCase(TestCase):
    def setUp(self):
        self.backend = MemberBackend()
        self.plain = make_member("pam")
        self.organizer = make_member("olga", roles=[Role.TRIAGER, Role.SAFETY])

    def test_the_member_and_their_live_roles_in_one_query(self):
        for member, roles in ((self.plain, set()), (self.organizer, {"triager", "safety"})):
            with self.subTest(member=member.handle), self.assertNumQueries(1):
                found = self.backend.get_user(member.pk)
                self.assertEqual(found, member)
                self.assertEqual(found.roles, roles)
                self.assertEqual(found.is_organizer, bool(roles))

    def test_the_unread_notices_are_counted_in_the_same_query(self):
        services.notify(member=self.plain, kind="message", text="One")
        services.notify(member=self.plain, kind="message", text="Two")
        services.notify(member=self.organizer, kind="message", text="Not pam's")
        with self.assertNumQueries(1):
            found = self.backend.get_user(self.plain.pk)
            self.assertEqual(selectors.unread_notice_count(found), 2)
        self.assertEqual(selectors.unread_notice_count(self.plain), 2)  # read otherwise: counted
        services.notices_mark_read(member=found)
        self.assertEqual(selectors.unread_notice_count(found), 0)
        self.assertEqual(self.backend.get_user(self.plain.pk).unread_notices, 0)

    def test_the_menu_counts_new_notices_and_none_once_read(self):
        services.notify(member=self.plain, kind="message", text="One")
        services.notify(member=self.plain, kind="message", text="Two")
        self.client.force_login(self.plain)
        self.assertContains(self.client.get(reverse("privacy:export")), "2 new notices")
        self.client.post(reverse("accounts:notices_read"))
        self.assertNotContains(self.client.get(reverse("privacy:export")), "new notice")

    def test_a_removed_role_is_gone_on_the_next_read(self):
        RoleGrant.objects.filter(member=self.organizer, role=Role.SAFETY).update(
            removed_at=timezone.now()
        )
        self.assertEqual(self.backend.get_user(self.organizer.pk).roles, {"triager"})

    def test_an_inactive_member_or_an_unknown_key_finds_no_one(self):
        self.plain.is_active = False
        self.plain.save()
        self.assertIsNone(self.backend.get_user(self.plain.pk))
        self.assertIsNone(self.backend.get_user(10**9))
        self.assertIsNone(self.backend.get_user("1"))
        self.assertIsNone(self.backend.get_user(None))

    def test_a_request_reads_the_member_once_and_the_menu_shows_their_roles(self):
        self.client.force_login(self.organizer)
        self.client.get(reverse("privacy:export"))  # the session warmed up
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("privacy:export"))
        self.assertContains(response, "Reports")  # the safety officer's menu
        # with the session, in its query (accounts/sessions.py)
        member_reads = [q for q in queries if '"accounts_member"' in q["sql"]]
        self.assertEqual(len(member_reads), 1)
        self.assertIn('FROM "accounts_session"', member_reads[0]["sql"])
        self.assertFalse([q for q in queries if q["sql"].startswith('SELECT "accounts_rolegrant"')])
        self.assertEqual(get_user(response.wsgi_request), self.organizer)

    def test_a_member_logs_in_through_the_form_and_an_outsider_is_refused(self):
        login = reverse("accounts:login")
        response = self.client.post(login, {"username": "pam", "password": "wrong password here"})
        self.assertEqual(response.status_code, 422)
        self.assertNotIn("_auth_user_id", self.client.session)
        export = reverse("privacy:export")
        self.assertRedirects(self.client.get(export), f"{login}?next={export}")
        self.client.post(login, {"username": "pam", "password": PASSWORD})
        self.assertEqual(self.client.session["_auth_user_backend"], BACKEND)
        self.assertEqual(self.client.get(export).status_code, 200)
