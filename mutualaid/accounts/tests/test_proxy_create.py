"""proxy_create's writes: what it looks up (only a pseudonym asked for) and what it writes."""

from unittest import mock

from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from mutualaid.accounts import services
from mutualaid.accounts.models import ContactKind, Member
from mutualaid.lib.refusal import Refusal
from mutualaid.test import BaseTestCase


def take_call(organizer, **values):
    defaults = {"handle": "", "contact_kind": ContactKind.PHONE, "contact": "(415) 555-2671"}
    return services.proxy_create(
        taken_by=organizer, consent=True, region="US", **{**defaults, **values}
    )


class ProxyCreateWritesTestCase(BaseTestCase):
    def test_a_made_up_pseudonym_is_written_without_a_lookup(self):
        with CaptureQueriesContext(connection) as queries:
            member, _code = take_call(self.organizer, home_area=self.north)

        statements = [query["sql"].split()[0] for query in queries.captured_queries]
        self.assertNotIn("SELECT", statements)
        self.assertEqual(statements.count("INSERT"), 2)  # the member and their contact
        self.assertTrue(member.handle.startswith("caller-"))
        self.assertEqual(Member.objects.get(pk=member.pk).home_area, self.north)

    def test_a_made_up_pseudonym_already_taken_in_any_case_is_drawn_again(self):
        Member.objects.create_user("Caller-aaaaa")
        drawn = iter(["caller-aaaaa", "caller-bbbbb"])

        with mock.patch.object(services, "_caller_handle", lambda: next(drawn)):
            member, _code = take_call(self.organizer)

        self.assertEqual(member.handle, "caller-bbbbb")
        self.assertEqual(Member.objects.filter(handle__iexact="caller-aaaaa").count(), 1)

    def test_a_pseudonym_asked_for_and_taken_a_moment_ago_is_refused(self):
        create_user = Member.objects.create_user

        def taken_meanwhile(handle, *args, **fields):
            create_user(handle.upper())  # another organizer's, between the lookup and the insert
            return create_user(handle, *args, **fields)

        before = Member.objects.count()
        with (
            mock.patch.object(Member.objects, "create_user", taken_meanwhile),
            self.assertRaises(Refusal) as refused,
        ):
            take_call(self.organizer, handle="maria-n")

        self.assertEqual(refused.exception.code, "handle")
        self.assertEqual(Member.objects.count(), before)

    def test_create_user_checked_still_meets_the_unique_constraints(self):
        with self.assertRaises(IntegrityError):
            Member.objects.create_user("ROSA", None, checked=True)

    def test_a_caller_gets_a_fresh_unusable_password(self):
        first, _code = take_call(self.organizer)
        second, _code = take_call(self.organizer, contact="(415) 555-2672")

        self.assertFalse(first.has_usable_password())
        self.assertFalse(second.has_usable_password())
        self.assertNotEqual(first.password, second.password)
        self.assertEqual(len(first.password), 41)  # "!" and 40 random signs, as Django's
