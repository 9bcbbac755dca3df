"""Needs from a request form's export: each row through the intake's services (a caller the
organizers speak for, then aid.services.need_post), whole or not at all, and once."""

from unittest import mock

from django.test import override_settings

from mutualaid.accounts.models import Member, ProxyContact
from mutualaid.aid.models import EventKind, Need, NeedStatus, TimelineEvent, Urgency
from mutualaid.lib.refusal import Refusal
from mutualaid.network.models import NetworkSettings
from mutualaid.test import make_member, snapshot
from mutualaid.trust.models import Role

from ..kinds import KINDS
from ..models import ImportedCaller, ImportedRow, ImportRecord
from .base import FORM_HEADERS, LOOKUP, ImportTestCase, csv_text, database_text, form_row


class NeedsImportTestCase(ImportTestCase):
    def test_it_records_each_row_as_a_callers_need(self):
        report = self.run_import("needs", self.needs_file(3), lookup=LOOKUP)

        self.assertEqual((report.imported, report.skipped, report.rejected), (3, 0, []))
        needs = list(Need.objects.order_by("pk"))
        self.assertEqual(len(needs), 3)
        first = needs[0]
        self.assertEqual(first.summary, "Groceries for the week (0)")
        self.assertEqual(first.details, "Ring twice at the side door (0).")
        self.assertEqual(first.area, self.north)  # 10 Maple St: the lookup's Maple Street
        self.assertEqual(first.category, self.groceries)
        self.assertEqual(first.urgency, Urgency.TODAY)
        self.assertEqual(first.status, NeedStatus.OPEN)
        proxy = ProxyContact.objects.get(member=first.requester)
        self.assertEqual(proxy.taken_by, self.dispatcher)
        self.assertEqual(proxy.contact, "+14155552000")
        self.assertTrue(first.requester.handle.startswith("caller-"))
        self.assertEqual(
            list(first.events.order_by("pk").values_list("kind", "actor")),
            [
                (EventKind.NEED_POSTED, first.requester_id),
                (EventKind.NEED_TAKEN_IN, self.dispatcher.pk),
            ],
        )
        record = ImportRecord.objects.get()
        self.assertEqual(record.actor, self.dispatcher)
        self.assertEqual(record.new, {"rows": 3, "imported": 3, "skipped": 0, "rejected": 0})

    def test_the_same_file_again_makes_nothing_twice(self):
        text = self.needs_file(4)
        self.run_import("needs", text, lookup=LOOKUP)
        before = snapshot()

        again = self.run_import("needs", text, lookup=LOOKUP)

        self.assertEqual((again.imported, again.skipped, again.rejected), (0, 4, []))
        self.assertEqual(snapshot(), before)
        self.assertEqual(ImportedRow.objects.count(), 4)

    def test_a_row_repeated_in_the_file_is_imported_once(self):
        row = form_row(1)
        text = csv_text([FORM_HEADERS, row, row, [" " + cell + " " for cell in row]])
        report = self.run_import("needs", text, lookup=LOOKUP)
        self.assertEqual((report.imported, report.skipped), (1, 2))

    def test_rows_with_the_same_phone_are_one_callers(self):
        text = csv_text(
            [
                FORM_HEADERS,
                form_row(1, phone="415 555 2671"),
                form_row(2, phone="(415) 555-2671"),
                form_row(3, phone="+1 415 555 2672"),
            ]
        )
        self.run_import("needs", text, lookup=LOOKUP)
        self.assertEqual(ProxyContact.objects.count(), 2)
        self.assertEqual(ImportedCaller.objects.count(), 2)
        # A later file with the same caller adds their need to theirs.
        self.run_import(
            "needs", csv_text([FORM_HEADERS, form_row(9, phone="4155552671")]), lookup=LOOKUP
        )
        self.assertEqual(ProxyContact.objects.count(), 2)
        counts = [
            Need.objects.filter(requester=proxy.member).count()
            for proxy in ProxyContact.objects.all()
            if proxy.contact == "+14155552671"
        ]
        self.assertEqual(counts, [3])

    def test_rejected_rows_say_their_line_and_why_and_leave_nothing(self):
        rows = [
            FORM_HEADERS,
            form_row(0),  # line 2: fine
            form_row(1, summary="Call Maria at 415 555 2671"),  # 3: the doxxing guard
            form_row(2, kind="Astrology"),  # 4
            form_row(3, urgency="Yesterday"),  # 5
            form_row(4, address="1 Nowhere Lane"),  # 6: the lookup has no such street
            form_row(5, phone="12"),  # 7: no number one can call
            [],  # a blank line
            form_row(6, summary=" "),  # 9
        ]
        report = self.run_import("needs", csv_text(rows), lookup=LOOKUP)

        self.assertEqual(report.imported, 1)
        lines = dict(report.rejected)
        self.assertEqual(sorted(lines), [3, 4, 5, 6, 7, 9])
        self.assertIn("Public summary", lines[3])
        self.assertIn("phone number, an email or a street address", lines[3])
        self.assertNotIn("555", lines[3])
        self.assertIn("“Astrology”", lines[4])
        self.assertIn("“Yesterday”", lines[5])
        self.assertEqual(lines[6], "No area found for the address.")
        self.assertEqual(
            lines[7], "Phone: That is not a phone number we can call. Check it with them."
        )
        self.assertEqual(lines[9], "Public summary: Write a few words first.")
        # The rejected rows' callers were rolled back with them.
        self.assertEqual(ProxyContact.objects.count(), 1)
        self.assertEqual(Member.objects.filter(handle__startswith="caller-").count(), 1)
        self.assertEqual(ImportedRow.objects.count(), 1)

    def test_a_row_that_fails_half_way_leaves_nothing(self):
        text = self.needs_file(3)
        real = Need.objects.bulk_create

        def fails_on_the_second(needs, *args, **kwargs):
            if any(need.summary.endswith("(1)") for need in needs):
                raise RuntimeError("the disk is full")
            return real(needs, *args, **kwargs)

        with (
            mock.patch.object(Need.objects, "bulk_create", side_effect=fails_on_the_second),
            self.assertRaises(RuntimeError),
        ):
            self.run_import("needs", text, lookup=LOOKUP)
        # The batch the failing row was in is all gone (its callers, written before its needs,
        # too); nothing of the failing row stands.
        self.assertFalse(Need.objects.exists())
        self.assertFalse(ProxyContact.objects.exists())
        self.assertFalse(Member.objects.filter(handle__startswith="caller-").exists())
        # A refusal in the middle of a row (its caller checked, its need refused) is the row's
        # alone: its caller is not made, and the rows after it land.
        with mock.patch(
            "mutualaid.aid.services.public_summary",
            side_effect=[
                "fine",
                Refusal("No.", code="personal_details"),
                "fine too",
            ],
        ):
            report = self.run_import("needs", text, lookup=LOOKUP)
        self.assertEqual((report.imported, [line for line, _ in report.rejected]), (2, [3]))
        self.assertEqual(ProxyContact.objects.count(), 2)
        self.assertEqual(Need.objects.count(), 2)

    def test_a_batch_another_import_raced_is_done_again_row_by_row(self):
        from django.db import IntegrityError

        real = ImportedRow.objects.bulk_create
        calls = []

        def raced(rows, *args, **kwargs):
            calls.append(len(rows))
            if len(calls) == 1:
                raise IntegrityError("UNIQUE constraint failed")
            return real(rows, *args, **kwargs)

        with mock.patch.object(ImportedRow.objects, "bulk_create", side_effect=raced):
            report = self.run_import("needs", self.needs_file(3), lookup=LOOKUP)
        self.assertEqual((report.imported, report.rejected), (3, []))
        self.assertEqual(calls, [3])  # the second time, each row wrote its own
        self.assertEqual(ImportedRow.objects.count(), 3)
        self.assertEqual(ImportedCaller.objects.count(), 3)
        self.assertEqual(Need.objects.count(), 3)

    def test_a_dry_run_writes_nothing_and_says_the_same(self):
        text = csv_text(
            [FORM_HEADERS, form_row(0), form_row(1, summary="Call 415 555 2671"), form_row(0)]
        )
        before, records = snapshot(), database_text()

        dry = self.run_import("needs", text, lookup=LOOKUP, dry_run=True)

        self.assertEqual(snapshot(), before)
        self.assertEqual(database_text(), records)
        real = self.run_import("needs", text, lookup=LOOKUP)
        self.assertEqual(
            (dry.imported, dry.skipped, dry.rejected),
            (real.imported, real.skipped, real.rejected),
        )
        self.assertEqual((real.imported, real.skipped, len(real.rejected)), (1, 1, 1))

    def test_addresses_are_dropped_and_stored_nowhere(self):
        address = "1234 Maple Street, Apartment 9Z"
        rows = [
            FORM_HEADERS + ["ZIP", "Location"],
            form_row(0, address=address) + ["94110", "37.7599, -122.4148"],
            form_row(1, address=" ") + ["94110", "37.7599, -122.4148"],
            form_row(2, address="77 Nowhere Lane") + ["", ""],
        ]
        # The SQL log, with its parameters, as a server logging at DEBUG writes it.
        with self.assertLogs("django.db.backends", level="DEBUG") as logs:
            report = self.run_import("needs", csv_text(rows), lookup=LOOKUP)
            self.run_import("needs", csv_text(rows), lookup=LOOKUP, dry_run=True)

        self.assertEqual(report.imported, 2)
        self.assertEqual(Need.objects.get(summary__endswith="(0)").area, self.north)
        self.assertEqual(Need.objects.get(summary__endswith="(1)").area, self.south)  # the ZIP
        self.assertEqual(report.rejected, [(4, "No area found for the address.")])
        stored = database_text()
        logged = "\n".join(logs.output)
        for text in (address, "1234 Maple", "Apartment 9Z", "94110", "37.7599", "Nowhere Lane"):
            self.assertNotIn(text, stored)
            self.assertNotIn(text, logged)
        self.assertNotIn("Neighbor Number", stored)  # names are left out too

    def test_the_doxxing_guard_meets_every_row(self):
        for summary in (
            "Text me: 415-555-2671",
            "Write to rosa@example.org",
            "Come to 12 Oak Street",
        ):
            with self.subTest(summary):
                text = csv_text([FORM_HEADERS, form_row(5, summary=summary)])
                report = self.run_import("needs", text, lookup=LOOKUP)
                self.assertEqual(report.imported, 0)
                self.assertEqual(report.rejected[0][0], 2)
                self.assertNotIn(summary.split()[-1], report.rejected[0][1])
        self.assertFalse(Need.objects.exists())

    def test_only_open_needs_are_imported(self):
        headers = FORM_HEADERS + ["Status"]
        rows = [headers, form_row(0) + ["Open"], form_row(1) + ["Done"], form_row(2) + [""]]
        report = self.run_import("needs", csv_text(rows), lookup=LOOKUP)
        self.assertEqual(report.imported, 2)
        self.assertEqual(
            report.rejected, [(3, "Its status is “Done”: only open needs are imported.")]
        )

    def test_without_consent_the_file_is_refused(self):
        with self.assertRaises(Refusal) as refusal:
            self.run_import("needs", self.needs_file(1), lookup=LOOKUP, consent=False)
        self.assertEqual(refusal.exception.code, "consent")
        # A consent column speaks for each row instead.
        rows = [
            FORM_HEADERS + ["I agree to be contacted"],
            form_row(0) + ["Yes"],
            form_row(1) + [""],
        ]
        report = self.run_import("needs", csv_text(rows), lookup=LOOKUP, consent=False)
        self.assertEqual(report.imported, 1)
        self.assertEqual(report.rejected, [(3, "No “yes” in the consent column: not recorded.")])

    def test_only_organizers_who_take_calls_import_needs(self):
        for member in (
            self.outsider,
            make_member("saf", roles=[Role.SAFETY]),
            self.admin,
        ):
            with self.subTest(member.handle), self.assertRaises(Refusal) as refusal:
                self.run_import("needs", self.needs_file(1), by=member, lookup=LOOKUP)
            self.assertEqual(refusal.exception.code, "forbidden")
        self.assertFalse(Need.objects.exists())
        self.assertFalse(ImportRecord.objects.exists())

    def test_a_missing_required_column_refuses_the_file(self):
        rows = [["Timestamp", "Phone"], ["5/1/2024", "415 555 2671"]]
        with self.assertRaises(Refusal) as refusal:
            self.run_import("needs", csv_text(rows))
        self.assertIn("Public summary", str(refusal.exception))

    def test_imported_needs_tell_nobody_one_by_one(self):
        with mock.patch("mutualaid.aid.services.events.emit") as emit:
            self.run_import("needs", self.needs_file(3), lookup=LOOKUP)
        self.assertEqual(Need.objects.count(), 3)
        emit.assert_not_called()

    def test_triage_first_applies(self):
        NetworkSettings.objects.filter(pk=NetworkSettings.load().pk).update(triage_first=True)
        self.run_import("needs", self.needs_file(2), lookup=LOOKUP)
        self.assertEqual(set(Need.objects.values_list("status", flat=True)), {NeedStatus.TRIAGE})

    @override_settings(RATE_LIMITS={"newcomer-posts": (1, 3600)})
    def test_the_organizer_is_free_of_the_newcomers_limit(self):
        report = self.run_import("needs", self.needs_file(4), lookup=LOOKUP)
        self.assertEqual(report.imported, 4)

    def test_the_fingerprint_is_keyed(self):
        import hashlib

        text = self.needs_file(1)
        self.run_import("needs", text, lookup=LOOKUP)
        stored = ImportedRow.objects.get().fingerprint
        values = KINDS["needs"].values(form_row(0), KINDS["needs"].guess(FORM_HEADERS))
        plain = "\x1e".join(
            ["needs"] + [f"{k}\x1f{v.casefold()}" for k, v in sorted(values.items())]
        )
        self.assertNotEqual(stored, hashlib.sha256(plain.encode()).hexdigest())
        with override_settings(SECRET_KEY="another-secret-key-for-this-test-only"):
            from ..kinds import fingerprint

            self.assertNotEqual(fingerprint("needs", values), stored)
        self.assertEqual(TimelineEvent.objects.filter(kind=EventKind.NEED_TAKEN_IN).count(), 1)
