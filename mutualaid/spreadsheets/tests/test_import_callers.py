"""The callers an import of needs meets again: read with their batch, and refused once they took
their account over."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mutualaid.accounts import services as accounts
from mutualaid.accounts.models import ProxyContact
from mutualaid.aid.models import Need

from .base import FORM_HEADERS, LOOKUP, ImportTestCase, csv_text, form_row

PHONES = ["(415) 555-2671", "(415) 555-2672", "(415) 555-2673"]


class ImportCallersTestCase(ImportTestCase):
    def test_callers_recorded_before_are_read_once_for_their_batch(self):
        first = [form_row(n, phone=phone) for n, phone in enumerate(PHONES)]
        self.run_import("needs", csv_text([FORM_HEADERS, *first]), lookup=LOOKUP)
        again = [form_row(10 + n, phone=PHONES[n % 3]) for n in range(6)]

        with CaptureQueriesContext(connection) as queries:
            report = self.run_import("needs", csv_text([FORM_HEADERS, *again]), lookup=LOOKUP)

        self.assertEqual((report.imported, report.rejected), (6, []))
        member_reads = [
            query
            for query in queries.captured_queries
            if query["sql"].startswith("SELECT") and 'FROM "accounts_member"' in query["sql"]
        ]
        self.assertEqual(len(member_reads), 1)
        self.assertEqual(ProxyContact.objects.count(), 3)
        for proxy in ProxyContact.objects.all():
            self.assertEqual(Need.objects.filter(requester=proxy.member).count(), 3)

    def test_a_caller_who_took_their_account_over_posts_their_own_needs(self):
        self.run_import(
            "needs", csv_text([FORM_HEADERS, form_row(0, phone=PHONES[0])]), lookup=LOOKUP
        )
        proxy = ProxyContact.objects.get()
        code = "ABCD-EFGH"
        ProxyContact.objects.filter(pk=proxy.pk).update(
            reference_hash=accounts.reference_digest(code)
        )
        accounts.proxy_take_over(code=code, password="a long new password 42")

        rows = [form_row(1, phone=PHONES[0]), form_row(2, phone=PHONES[1])]
        report = self.run_import("needs", csv_text([FORM_HEADERS, *rows]), lookup=LOOKUP)

        self.assertEqual(report.imported, 1)
        self.assertEqual(
            report.rejected,
            [(2, "This neighbor now has their own account: they post their own needs.")],
        )
        self.assertEqual(Need.objects.filter(requester=proxy.member).count(), 1)
