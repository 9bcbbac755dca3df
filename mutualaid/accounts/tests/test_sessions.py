"""A request reads its session and its member in one query (accounts/sessions.py), and Django's
auth still checks that member as it checks any: a password changed elsewhere, an account made
inactive, an expired session, a removed role, each holds on the very next request."""

import importlib
from datetime import timedelta

from django.apps import apps
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session as DjangoSession
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mutualaid.accounts import services
from mutualaid.accounts.backends import MemberBackend, read_with
from mutualaid.accounts.models import Role, RoleGrant, Session
from mutualaid.accounts.sessions import SessionStore
from mutualaid.test import PASSWORD, BaseTestCase, make_member

EXPORT = reverse("privacy:export")


def session_reads(queries):
    return [q["sql"] for q in queries if 'FROM "accounts_session"' in q["sql"]]


class SessionWithMemberTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.member = make_member("sam", area=self.north, roles=[Role.TRIAGER])
        self.client.force_login(self.member)
        self.client.get(EXPORT)  # renewed once: later pages write nothing

    def test_a_page_reads_the_session_and_the_member_in_one_query(self):
        services.notify(member=self.member, kind="message", text="One")
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(EXPORT)
        self.assertContains(response, "1 new notice")
        self.assertContains(response, "Organize")  # the triager's menu: the live roles came too
        reads = session_reads(queries)
        self.assertEqual(len(reads), 1)
        self.assertIn('"accounts_member"', reads[0])
        self.assertEqual(len(queries), 1)  # nothing else: the page is text
        user = response.wsgi_request.user
        self.assertEqual(user, self.member)
        self.assertEqual((user.roles, user.unread_notices), ({"triager"}, 1))
        self.assertEqual(user.home_area_code, self.north.code)

    def test_it_reads_what_the_backend_reads(self):
        response = self.client.get(EXPORT)
        with_session = response.wsgi_request.user._wrapped
        alone = MemberBackend().get_user(self.member.pk)
        for name in ("pk", "handle", "password", "level", "live_roles", "unread_notices",
                     "home_area_code", "language", "suspended_at", "is_active"):  # fmt: skip
            with self.subTest(name=name):
                self.assertEqual(getattr(with_session, name), getattr(alone, name))

    def test_a_removed_role_is_gone_on_the_next_request(self):
        self.assertContains(self.client.get(EXPORT), "Organize")
        RoleGrant.objects.filter(member=self.member).update(removed_at=timezone.now())
        self.assertNotContains(self.client.get(EXPORT), "Organize")

    def test_a_password_changed_elsewhere_ends_this_session(self):
        self.member.set_password("another password 42")
        self.member.save()
        response = self.client.get(EXPORT)
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={EXPORT}")
        self.assertFalse(Session.objects.filter(member=self.member).exists())  # flushed

    def test_an_inactive_member_is_logged_out(self):
        self.member.is_active = False
        self.member.save()
        self.assertEqual(self.client.get(EXPORT).status_code, 302)

    def test_an_expired_session_logs_nobody_in(self):
        Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
        self.assertEqual(self.client.get(EXPORT).status_code, 302)

    def test_a_member_gone_takes_their_sessions_along(self):
        key = self.client.session.session_key
        self.member.delete()
        self.assertFalse(Session.objects.filter(session_key=key).exists())
        self.assertEqual(self.client.get(EXPORT).status_code, 302)


class SessionRowTestCase(BaseTestCase):
    def test_the_row_names_the_member_logged_in_and_nobody_after_log_out(self):
        client = Client()
        client.post(reverse("accounts:login"), {"username": "vic", "password": PASSWORD})
        key = client.cookies["sessionid"].value
        self.assertEqual(Session.objects.get(session_key=key).member, self.volunteer)
        client.post(reverse("accounts:logout"))
        self.assertFalse(Session.objects.filter(session_key=key).exists())
        self.assertFalse(Session.objects.filter(member=self.volunteer).exists())

    def test_a_visitors_session_names_nobody(self):
        session = SessionStore()
        session["anything"] = 1
        session.save()
        row = Session.objects.get(session_key=session.session_key)
        self.assertIsNone(row.member)
        loaded = SessionStore(session.session_key)
        self.assertEqual(loaded["anything"], 1)
        self.assertIsNone(loaded.member)

    def test_an_unknown_or_hostile_key_finds_nothing(self):
        for key in ("x" * 40, "y" * 5000, "a' OR '1'='1' --", "\u00e9" * 40):
            with self.subTest(key=key[:20]):
                session = SessionStore(key)
                self.assertNotIn(SESSION_KEY, session)
                self.assertIsNone(session.member)

    def test_the_backend_takes_the_sessions_member_only_when_it_is_the_one_asked_for(self):
        session = SessionStore()
        session[SESSION_KEY] = str(self.volunteer.pk)
        session.save()
        loaded = SessionStore(session.session_key)
        loaded.load()
        self.assertEqual(loaded.member, self.volunteer)
        backend = MemberBackend()
        with read_with(loaded), self.assertNumQueries(0):
            self.assertIs(backend.get_user(self.volunteer.pk), loaded.member)
        with read_with(loaded), self.assertNumQueries(1):  # another member: their own query
            self.assertEqual(backend.get_user(self.requester.pk), self.requester)
        with self.assertNumQueries(1):  # outside a request's read: a query
            self.assertIsNot(backend.get_user(self.volunteer.pk), loaded.member)


class UpgradeKeepsSessionsTestCase(BaseTestCase):
    """The migration that brought the table moves the live sessions of Django's own into it."""

    def test_live_sessions_are_moved_with_their_member(self):
        migration = importlib.import_module("mutualaid.accounts.migrations.0012_session")
        Session.objects.all().delete()

        def old_session(data, *, expired=False):
            store = DjangoSessionStore()
            store.update(data)
            store.create()
            if expired:
                DjangoSession.objects.filter(session_key=store.session_key).update(
                    expire_date=timezone.now() - timedelta(days=1)
                )
            return store.session_key

        logged_in = old_session(
            {
                SESSION_KEY: str(self.volunteer.pk),
                BACKEND_SESSION_KEY: "mutualaid.accounts.backends.MemberBackend",
                HASH_SESSION_KEY: self.volunteer.get_session_auth_hash(),
            }
        )
        visitor = old_session({"django_language": "es"})
        expired = old_session({SESSION_KEY: str(self.requester.pk)}, expired=True)
        gone = old_session({SESSION_KEY: "999999999"})
        migration.copy_live_sessions(apps, connection.schema_editor())
        self.assertEqual(
            dict(Session.objects.values_list("session_key", "member")),
            {logged_in: self.volunteer.pk, visitor: None},
        )
        self.assertNotIn(expired, Session.objects.values_list("session_key", flat=True))
        self.assertNotIn(gone, Session.objects.values_list("session_key", flat=True))
        self.assertFalse(DjangoSession.objects.exists())  # moved, not left behind
        client = Client()
        client.cookies["sessionid"] = logged_in
        response = client.get(EXPORT)
        self.assertEqual((response.status_code, response.wsgi_request.user), (200, self.volunteer))
