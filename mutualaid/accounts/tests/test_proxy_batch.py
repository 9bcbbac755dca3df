"""ProxyBatch: callers recorded many at once (an import of needs), each checked by
proxy_create's rules, and all written together."""

from unittest import mock

from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from mutualaid.accounts import services
from mutualaid.accounts.models import ContactKind, Level, Member, ProxyContact
from mutualaid.lib.refusal import Refusal
from mutualaid.test import BaseTestCase


class ProxyBatchTestCase(BaseTestCase):
    def batch(self, asking=()):
        return services.ProxyBatch(taken_by=self.organizer, region="US", asking=asking)

    def check(self, batch, **values):
        fields = {
            "handle": "",
            "contact_kind": ContactKind.PHONE,
            "contact": "(415) 555-2671",
            "consent": True,
        }
        return batch.check(**{**fields, **values})

    def refused(self, batch, code, **values):
        with self.assertRaises(Refusal) as refusal:
            self.check(batch, **values)
        self.assertEqual(refusal.exception.code, code)

    def test_each_caller_meets_proxy_creates_rules(self):
        batch = self.batch(asking=["ROSA", "maria-n", "bad handle!"])
        self.refused(batch, "consent", consent=False)
        self.refused(batch, "contact", contact="12")
        self.refused(batch, "contact", contact_kind=ContactKind.EMAIL, contact="not an email")
        self.refused(batch, "invalid", contact_kind="pigeon")
        self.refused(batch, "handle", handle="ROSA")  # rosa's, in another case
        self.refused(batch, "handle", handle="bad handle!")
        # A pseudonym asked for is taken once an earlier caller of the batch has it.
        batch.add(self.check(batch, handle="maria-n"))
        self.refused(batch, "handle", handle="Maria-N", contact="(415) 555-2672")
        self.assertEqual(Member.objects.filter(handle__iexact="maria-n").count(), 0)

    def test_it_reads_the_pseudonyms_asked_for_once_and_checks_nothing_more_in_the_database(self):
        with CaptureQueriesContext(connection) as queries:
            batch = self.batch(asking=["maria-n", "", "  ", "juan"])
            self.check(batch, handle="maria-n")
            self.check(batch, handle="juan")
            self.check(batch)
        self.assertEqual(len(queries.captured_queries), 1)
        with CaptureQueriesContext(connection) as queries:
            self.batch(asking=["", ""])
        self.assertEqual(len(queries.captured_queries), 0)

    def test_it_writes_every_caller_in_one_insert_each_for_members_and_contacts(self):
        batch = self.batch(asking=["maria-n"])
        batch.add(self.check(batch, handle="maria-n", contact="(415) 555-2671"))
        for n in range(4):
            batch.add(self.check(batch, contact=f"(415) 555-26{80 + n}"))

        with CaptureQueriesContext(connection) as queries:
            written = batch.write()

        statements = [query["sql"].split()[0] for query in queries.captured_queries]
        self.assertEqual(statements, ["SELECT", "INSERT", "INSERT"])  # the drawn pseudonyms
        self.assertEqual(len(written), 5)
        self.assertEqual(written[0][0].handle, "maria-n")
        codes = set()
        for member, code in written:
            member.refresh_from_db()
            self.assertEqual(member.level, Level.NEWCOMER)
            self.assertFalse(member.has_usable_password())
            self.assertEqual(member.home_area, None)
            proxy = ProxyContact.objects.get(member=member)
            self.assertEqual(proxy.taken_by, self.organizer)
            self.assertTrue(proxy.is_relayed())
            # The code read back works, and is kept only as its hash.
            self.assertEqual(services.proxy_by_reference(code), proxy)
            self.assertNotIn(code.replace("-", ""), proxy.reference_hash)
            codes.add(code)
        self.assertEqual(len(codes), 5)
        self.assertEqual(ProxyContact.objects.get(member=written[0][0]).contact, "+14155552671")
        with connection.cursor() as cursor:
            cursor.execute("SELECT contact FROM accounts_proxycontact")
            stored = " ".join(row[0] for row in cursor.fetchall())
        self.assertNotIn("4155552671", stored)  # sealed

    def test_a_made_up_pseudonym_taken_in_any_case_is_drawn_again(self):
        Member.objects.create_user("Caller-aaaaa")
        drawn = iter(["caller-aaaaa", "caller-bbbbb", "caller-bbbbb", "caller-ccccc"])
        batch = self.batch()
        with mock.patch.object(services, "_caller_handle", lambda: next(drawn)):
            batch.add(self.check(batch))  # caller-aaaaa: a member's
            batch.add(self.check(batch, contact="(415) 555-2672"))  # caller-bbbbb
            written = batch.write()  # caller-aaaaa again: caller-bbbbb is the batch's, then ccccc

        self.assertEqual(
            sorted(member.handle for member, _code in written), ["caller-bbbbb", "caller-ccccc"]
        )
        self.assertEqual(Member.objects.filter(handle__iexact="caller-aaaaa").count(), 1)

    def test_a_pseudonym_taken_a_moment_ago_meets_the_unique_constraint(self):
        batch = self.batch(asking=["maria-n"])
        batch.add(self.check(batch, handle="maria-n"))
        Member.objects.create_user("MARIA-N")  # another organizer's, between check and write
        with self.assertRaises(IntegrityError), transaction.atomic():
            batch.write()
        self.assertFalse(ProxyContact.objects.exists())

    def test_the_same_caller_made_alone_or_in_a_batch_is_the_same(self):
        batch = self.batch()
        batch.add(self.check(batch, home_area=self.north))
        ((together, _code),) = batch.write()
        alone, _code = services.proxy_create(
            taken_by=self.organizer,
            handle="",
            contact_kind=ContactKind.PHONE,
            contact="415 555 2671",
            consent=True,
            region="US",
            home_area=self.north,
        )
        fields = ["level", "email", "email_hash", "home_area_id", "is_active", "languages"]
        together.refresh_from_db()
        alone.refresh_from_db()
        self.assertEqual(
            {name: getattr(together, name) for name in fields},
            {name: getattr(alone, name) for name in fields},
        )
        self.assertEqual(together.proxy.contact, alone.proxy.contact)
