"""`manage.py import_csv`: the upload page's import from a terminal, with a progress bar."""

import io
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command
from django.utils import timezone

from mutualaid.aid.models import Need
from mutualaid.test import snapshot
from mutualaid.trust.models import RoleGrant

from ..models import ImportRecord
from .base import FORM_HEADERS, LOOKUP, ImportTestCase, csv_text, form_row


class ImportCsvCommandTestCase(ImportTestCase):
    def setUp(self):
        super().setUp()
        self.folder = Path(tempfile.mkdtemp())
        rows = [FORM_HEADERS, form_row(0), form_row(1, summary="Ring 415 555 2671"), form_row(2)]
        self.file = self.folder / "needs.csv"
        self.file.write_bytes(("\ufeff" + csv_text(rows)).encode())  # as Excel's CSV UTF-8
        self.lookup = self.folder / "lookup.csv"
        self.lookup.write_text(LOOKUP)

    def command(self, *args):
        out, err = io.StringIO(), io.StringIO()
        call_command("import_csv", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_it_imports_with_a_progress_bar_and_a_report(self):
        out, err = self.command(
            "needs", str(self.file), "--lookup", str(self.lookup), "--as", "dina", "--consent"
        )
        self.assertIn("What do you need? -> Public summary", err)
        self.assertIn("Your name -> not imported", err)
        self.assertIn("100%", err)
        self.assertIn("3/3 rows", err)
        self.assertIn("Imported 2, skipped 0 imported before, rejected 1 (of 3 rows).", out)
        self.assertIn("line 3: Public summary: It looks like it holds a phone number", out)
        self.assertNotIn("2671", out + err)
        self.assertEqual(Need.objects.count(), 2)
        self.assertEqual(ImportRecord.objects.get().actor, self.dispatcher)

        out, _err = self.command(
            "needs", str(self.file), "--lookup", str(self.lookup), "--as", "dina", "--consent"
        )
        self.assertIn("Imported 0, skipped 2 imported before, rejected 1", out)
        self.assertEqual(Need.objects.count(), 2)

    def test_a_dry_run_writes_nothing(self):
        before = snapshot()
        out, _err = self.command(
            "needs",
            str(self.file),
            "--lookup",
            str(self.lookup),
            "--as",
            "dina",
            "--consent",
            "--dry-run",
        )
        self.assertIn("Would import 2, skipped 0 imported before, rejected 1", out)
        self.assertEqual(snapshot(), before)
        self.assertFalse(ImportRecord.objects.exists())

    def test_it_refuses_clearly(self):
        workbook = self.folder / "needs.xlsx"
        workbook.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
        cases = [
            (("needs", str(workbook), "--as", "dina", "--consent"), "not a CSV"),
            (("needs", str(self.folder / "missing.csv"), "--as", "dina"), "No file at"),
            (("needs", str(self.file), "--as", "otto", "--consent"), "does not import needs"),
            (("needs", str(self.file), "--as", "nobody", "--consent"), "No active member"),
            (("needs", str(self.file), "--as", "dina"), "Confirm that the people"),
            (("members", str(self.file), "--as", "adam", "--consent"), "Handle, Email"),
        ]
        for args, message in cases:
            with self.subTest(args), self.assertRaisesMessage(CommandError, message):
                self.command(*args)
        self.assertFalse(Need.objects.exists())

    def test_without_as_it_takes_the_only_organizer_who_may(self):
        with self.assertRaisesMessage(CommandError, "--as HANDLE"):
            self.command("needs", str(self.file), "--consent")  # olga and dina both may
        RoleGrant.objects.filter(member=self.organizer).update(removed_at=timezone.now())
        out, _err = self.command("needs", str(self.file), "--lookup", str(self.lookup), "--consent")
        self.assertIn("Imported 2", out)
        self.assertEqual(ImportRecord.objects.get().actor, self.dispatcher)
