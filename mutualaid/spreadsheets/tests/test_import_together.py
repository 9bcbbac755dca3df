"""Needs written a batch at a time: each row checked in its turn by the services' batch doors
(the same rules as a form), a row that fails rejected alone, and the rows that pass written
together, in a few INSERTs however many rows the batch holds."""

from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mutualaid.accounts.models import Member, ProxyContact
from mutualaid.aid.models import EventKind, Need, TimelineEvent
from mutualaid.dispatch.search import Criteria, search_members, search_needs

from .. import importing
from ..kinds import NeedsKind
from ..models import ImportedCaller, ImportedRow
from .base import FORM_HEADERS, LOOKUP, ImportTestCase, csv_text, database_text, form_row


def writes(queries) -> dict[str, int]:
    """INSERT statements by table."""
    counted: dict[str, int] = {}
    for query in queries.captured_queries:
        if query["sql"].startswith("INSERT INTO"):
            table = query["sql"].split()[2].strip('"')
            counted[table] = counted.get(table, 0) + 1
    return counted


class ImportTogetherTestCase(ImportTestCase):
    def test_a_bad_row_in_the_middle_of_a_batch_is_rejected_alone(self):
        rows = [
            FORM_HEADERS,
            form_row(0, phone="(415) 555-2671"),  # line 2
            form_row(1),  # 3
            form_row(2, summary="Call me on 415 555 2699", phone="(415) 555-2672"),  # 4
            form_row(3, phone="12"),  # 5: no number one can call
            form_row(4, kind="Astrology"),  # 6
            form_row(5, phone="(415) 555-2672"),  # 7: line 4's phone, its caller made here
            form_row(6, phone="415 555 2671"),  # 8: line 2's caller, made earlier in the batch
            form_row(7),  # 9
        ]
        report = self.run_import("needs", csv_text(rows), lookup=LOOKUP)

        self.assertEqual([line for line, _why in report.rejected], [4, 5, 6])
        self.assertEqual((report.imported, report.skipped), (5, 0))
        needs = list(Need.objects.order_by("pk"))
        self.assertEqual(
            [need.summary for need in needs],
            [f"Groceries for the week ({n})" for n in (0, 1, 5, 6, 7)],  # the file's order
        )
        self.assertEqual(needs[0].requester, needs[3].requester)  # lines 2 and 8: one caller
        self.assertEqual(ProxyContact.objects.count(), 4)
        self.assertEqual(ImportedCaller.objects.count(), 4)
        self.assertEqual(
            ProxyContact.objects.get(member=needs[2].requester).contact, "+14155552672"
        )
        self.assertEqual(Member.objects.filter(handle__startswith="caller-").count(), 4)
        self.assertEqual(ImportedRow.objects.count(), 5)
        self.assertEqual(
            set(ImportedRow.objects.values_list("record", flat=True)),
            {need.code for need in needs},
        )
        for need in needs:
            self.assertEqual(
                list(need.events.order_by("pk").values_list("kind", "actor")),
                [
                    (EventKind.NEED_POSTED, need.requester_id),
                    (EventKind.NEED_TAKEN_IN, self.dispatcher.pk),
                ],
            )

    def test_each_table_is_written_in_the_same_statements_however_many_rows(self):
        counted = []
        for count in (4, 12):
            text = self.needs_file(count, kind="Groceries")
            with CaptureQueriesContext(connection) as queries:
                report = self.run_import("needs", text, lookup=LOOKUP)
            self.assertEqual(report.imported, count)
            counted.append(writes(queries))
            ImportedRow.objects.all().delete()  # so that the next file is new again
        self.assertEqual(counted[0], counted[1])
        for table in (
            "accounts_member",
            "accounts_proxycontact",
            "aid_need",
            "aid_timelineevent",
            "spreadsheets_importedcaller",
            "spreadsheets_importedrow",
        ):
            self.assertEqual(counted[0][table], 1, table)

    def test_it_lands_as_the_row_by_row_import_lands(self):
        rows = [
            FORM_HEADERS,
            form_row(0, phone="(415) 555-2671"),
            form_row(1, summary="Write to rosa@example.org"),
            form_row(2, phone="415 555 2671"),
            form_row(3, urgency="Yesterday"),
            form_row(4, address="94110"),
        ]
        text = csv_text(rows)
        together = self.run_import("needs", text, lookup=LOOKUP)
        first = Need.objects.count()
        # The file is new again, and its callers too.
        ImportedRow.objects.all().delete()
        ImportedCaller.objects.all().delete()

        with mock.patch.object(NeedsKind, "together", lambda self, rows, context: None):
            alone = self.run_import("needs", text, lookup=LOOKUP)

        self.assertEqual(
            (together.imported, together.skipped, together.rejected),
            (alone.imported, alone.skipped, alone.rejected),
        )
        landed = self.landed()
        self.assertEqual(landed[:first], landed[first:])
        self.assertEqual((together.imported, ProxyContact.objects.count()), (3, 2 * 2))

    def landed(self):
        return [
            (
                need.summary,
                need.details,
                need.category_id,
                need.area_id,
                need.urgency,
                need.status,
                ProxyContact.objects.get(member=need.requester).contact,
                TimelineEvent.objects.filter(need=need).count(),
            )
            for need in Need.objects.order_by("pk")
        ]

    def test_imported_needs_and_their_callers_are_found_by_the_search(self):
        rows = [FORM_HEADERS] + [
            form_row(n, summary=f"Wheelchair ramp repair ({n})") for n in range(3)
        ]
        self.run_import("needs", csv_text(rows), lookup=LOOKUP)

        found = list(search_needs(Criteria(words="wheelchair ramp")))
        self.assertEqual(len(found), 3)
        self.assertEqual(set(found), set(Need.objects.all()))
        self.assertEqual(list(search_needs(Criteria(words="groceries"))), [])
        for member in Member.objects.filter(handle__startswith="caller-"):
            self.assertIn(member, search_members(Criteria(words=member.handle)))
        # Private text is not indexed: the details are not found.
        self.assertEqual(list(search_needs(Criteria(words="side door"))), [])

    def test_private_text_is_stored_sealed(self):
        self.run_import("needs", self.needs_file(2), lookup=LOOKUP)
        stored = database_text()
        for text in ("Ring twice", "side door", "4155552000", "555-2000"):
            self.assertNotIn(text, stored)
        need = Need.objects.order_by("pk").first()
        self.assertEqual(need.details, "Ring twice at the side door (0).")

    def test_a_batch_that_fails_is_done_again_row_by_row(self):
        real = Member.objects.bulk_create
        batches = []

        def taken_meanwhile(members, *args, **kwargs):
            # Another organizer registers the first caller's pseudonym a moment before.
            batches.append(len(members))
            Member.objects.create_user(members[0].handle.upper())
            return real(members, *args, **kwargs)

        with (
            mock.patch.object(importing, "BATCH", 3),
            mock.patch.object(Member.objects, "bulk_create", side_effect=taken_meanwhile),
        ):
            report = self.run_import("needs", self.needs_file(5), lookup=LOOKUP)

        self.assertEqual((report.imported, report.rejected), (5, []))
        self.assertEqual(batches, [3, 2])  # each refused, then done row by row
        self.assertEqual(Need.objects.count(), 5)
        self.assertEqual(ProxyContact.objects.count(), 5)
        self.assertEqual(ImportedRow.objects.count(), 5)
        self.assertEqual(ImportedCaller.objects.count(), 5)
