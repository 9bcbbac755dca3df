"""A new reference code for a caller organizers speak for: the old code stops working at once, the
new one takes their account over, and who gave it, when, is written down in the same
transaction (accounts.services.proxy_new_reference)."""

import json
from unittest import mock

from django.db import DatabaseError, connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from conftest import LOG_WATCH
from mutualaid.accounts import services
from mutualaid.accounts.models import Level, Member, ProxyChange, ProxyContact, Role
from mutualaid.lib.refusal import Refusal
from mutualaid.privacy.services import member_delete
from mutualaid.test import BaseTestCase, make_member

from .test_proxy import NEW_PASSWORD, make_proxy


class ProxyNewReferenceTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.member, self.old = make_proxy(self.organizer)
        self.proxy = self.member.proxy

    def refused(self, code, **values):
        values = {"by": self.organizer, "proxy": self.proxy, **values}
        before = list(ProxyContact.objects.values().order_by("pk"))
        with self.assertRaises(Refusal) as refusal:
            services.proxy_new_reference(**values)
        self.assertEqual(refusal.exception.code, code)
        self.assertEqual(list(ProxyContact.objects.values().order_by("pk")), before)
        self.assertFalse(ProxyChange.objects.exists())
        return refusal.exception

    def test_the_old_code_stops_working_and_the_new_one_takes_the_account_over(self):
        new = services.proxy_new_reference(by=self.organizer, proxy=self.proxy)

        self.assertRegex(new, r"^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$")
        self.assertNotEqual(new, self.old)
        self.assertIsNone(services.proxy_by_reference(self.old))
        with self.assertRaises(Refusal) as refusal:
            services.proxy_take_over(code=self.old, password=NEW_PASSWORD)
        self.assertEqual(refusal.exception.code, "reference")
        self.assertTrue(ProxyContact.objects.get(pk=self.proxy.pk).is_relayed())

        self.assertEqual(services.proxy_by_reference(new.lower()).pk, self.proxy.pk)
        taken = services.proxy_take_over(code=new, password=NEW_PASSWORD)
        self.assertEqual(taken.pk, self.member.pk)
        self.assertTrue(Member.objects.get(pk=self.member.pk).check_password(NEW_PASSWORD))

    def test_only_its_hash_is_kept(self):
        new = services.proxy_new_reference(by=self.organizer, proxy=self.proxy)

        stored = ProxyContact.objects.get(pk=self.proxy.pk).reference_hash
        self.assertEqual(stored, services.reference_digest(new))
        self.assertEqual(self.proxy.reference_hash, stored)
        self.assertNotIn(new.replace("-", ""), stored.upper())

    def test_it_writes_who_gave_it_and_when(self):
        new = services.proxy_new_reference(by=self.organizer, proxy=self.proxy)
        again = services.proxy_new_reference(by=self.organizer, proxy=self.proxy)

        first, second = ProxyChange.objects.order_by("pk")
        for change in (first, second):
            self.assertEqual(
                (change.actor, change.proxy, change.action),
                (self.organizer, self.proxy, ProxyChange.Action.NEW_REFERENCE),
            )
        self.assertEqual(first.old, {"issued_at": self.proxy.created_at.isoformat()})
        self.assertEqual(first.new, {"issued_at": first.created_at.isoformat()})
        self.assertEqual(second.old, first.new)  # the code it replaced: the one given before
        written = json.dumps(list(ProxyChange.objects.values()), default=str).upper()
        for code in (self.old, new, again):
            self.assertNotIn(code.replace("-", ""), written.replace("-", ""))
        self.assertNotIn(services.reference_digest(again).upper(), written)

    def test_the_audit_row_stays_when_the_caller_or_the_organizer_leaves(self):
        organizer = make_member("dex", roles=[Role.DISPATCHER])
        services.proxy_new_reference(by=organizer, proxy=self.proxy)
        member_delete(member=self.member)
        member_delete(member=organizer)

        change = ProxyChange.objects.get()
        self.assertEqual((change.proxy, change.actor), (None, None))
        self.assertEqual(change.action, ProxyChange.Action.NEW_REFERENCE)

    def test_the_code_and_the_audit_row_are_one_transaction(self):
        with (
            mock.patch.object(
                ProxyChange.objects, "create", side_effect=DatabaseError("disk I/O error")
            ),
            self.assertRaises(DatabaseError),
        ):
            services.proxy_new_reference(by=self.organizer, proxy=self.proxy)

        self.assertEqual(services.proxy_by_reference(self.old).pk, self.proxy.pk)
        self.assertFalse(ProxyChange.objects.exists())

    def test_a_caller_who_took_their_account_over_keeps_their_own(self):
        services.proxy_take_over(code=self.old, password=NEW_PASSWORD)
        self.proxy.refresh_from_db()
        self.refused("stale")

    def test_a_caller_taken_over_a_moment_ago_is_refused_too(self):
        stale = ProxyContact.objects.get(pk=self.proxy.pk)  # read before the take-over
        services.proxy_take_over(code=self.old, password=NEW_PASSWORD)
        self.refused("stale", proxy=stale)

    def test_a_caller_whose_account_is_closed_is_refused(self):
        Member.objects.filter(pk=self.member.pk).update(is_active=False)
        self.refused("stale", proxy=ProxyContact.objects.select_related("member").get())

    def test_only_organizers_who_take_calls_give_one(self):
        for member in (
            self.volunteer,
            self.outsider,
            make_member("newt", level=Level.NEWCOMER),
            make_member("saf", roles=[Role.SAFETY]),
            make_member("adm", roles=[Role.ADMIN]),
            self.member,  # the caller themself
        ):
            with self.subTest(member.handle):
                self.refused("forbidden", by=member)
        self.refused("forbidden", by=None)
        self.assertEqual(services.proxy_by_reference(self.old).pk, self.proxy.pk)

    def test_triagers_and_dispatchers_give_one(self):
        for role in (Role.TRIAGER, Role.DISPATCHER):
            with self.subTest(role):
                organizer = make_member(f"org-{role}", roles=[role])
                new = services.proxy_new_reference(by=organizer, proxy=self.proxy)
                self.assertEqual(services.proxy_by_reference(new).pk, self.proxy.pk)

    @override_settings(RATE_LIMITS={"new-references": (2, 3600)})
    def test_each_organizer_is_limited(self):
        services.proxy_new_reference(by=self.organizer, proxy=self.proxy)
        last = services.proxy_new_reference(by=self.organizer, proxy=self.proxy)

        refusal = self.refused_after_two(last)
        self.assertGreater(refusal.retry_after, 0)
        other = make_member("dex", roles=[Role.DISPATCHER])
        services.proxy_new_reference(by=other, proxy=self.proxy)  # counted apart

    def refused_after_two(self, last):
        with self.assertRaises(Refusal) as refusal:
            services.proxy_new_reference(by=self.organizer, proxy=self.proxy)
        self.assertEqual(refusal.exception.code, "rate_limited")
        self.assertEqual(ProxyChange.objects.count(), 2)
        self.assertEqual(services.proxy_by_reference(last).pk, self.proxy.pk)
        return refusal.exception

    def test_a_code_read_before_a_new_one_was_given_does_not_take_the_account_over(self):
        """The take-over's compare-and-set holds the code it read: a new code given between its
        read and its write leaves the account as it was."""
        read = services.proxy_by_reference
        given = []

        def read_then_new_code(code):
            proxy = read(code)
            elsewhere = ProxyContact.objects.select_related("member").get(pk=proxy.pk)
            given.append(services.proxy_new_reference(by=self.organizer, proxy=elsewhere))
            return proxy

        with (
            mock.patch.object(services, "proxy_by_reference", side_effect=read_then_new_code),
            self.assertRaises(Refusal),
        ):
            services.proxy_take_over(code=self.old, password=NEW_PASSWORD)

        self.assertTrue(ProxyContact.objects.get(pk=self.proxy.pk).is_relayed())
        self.assertFalse(Member.objects.get(pk=self.member.pk).has_usable_password())
        services.proxy_take_over(code=given[0], password=NEW_PASSWORD)

    def test_it_writes_in_a_fixed_number_of_statements_and_logs_no_code(self):
        with CaptureQueriesContext(connection) as queries:
            new = services.proxy_new_reference(by=self.organizer, proxy=self.proxy)
        writes = [q["sql"].split()[0] for q in queries.captured_queries]
        self.assertEqual(writes.count("UPDATE"), 1)
        self.assertEqual(writes.count("INSERT"), 1)
        self.assertEqual([line for line in LOG_WATCH.lines if new in line], [])
        self.assertEqual(
            [line for line in LOG_WATCH.lines if new.replace("-", "") in line.upper()], []
        )
