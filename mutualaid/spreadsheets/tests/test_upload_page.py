"""The upload page, end to end: a CSV and its lookup in, the columns matched (guessed, changed),
a dry run that writes nothing, then the import; for the organizers whose roles import each kind
and nobody else, the uploaded file theirs alone."""

import csv
import io
from unittest import mock

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutualaid.aid.models import Need
from mutualaid.test import make_member, snapshot
from mutualaid.trust.models import Level, Role

from ..models import ImportedRow, ImportRecord, Upload, UploadState
from .base import FORM_HEADERS, LOOKUP, ImportTestCase, csv_text, database_text, form_row

START = reverse("spreadsheets:import")


def upload_file(text: str, name="needs.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


class UploadPageTestCase(ImportTestCase):
    def setUp(self):
        super().setUp()
        self.rows = [
            FORM_HEADERS,
            form_row(0),
            form_row(1, summary="Call me on 415 555 2671"),
            form_row(2),
            form_row(0),  # the first row again
        ]

    def upload(self, member=None, *, text=None, lookup=LOOKUP, kind="needs"):
        self.client.force_login(member or self.dispatcher)
        data = {"kind": kind, "file": upload_file(text or csv_text(self.rows))}
        if lookup:
            data["lookup"] = upload_file(lookup, "lookup.csv")
        return self.client.post(START, data)

    def mapping(self, upload, **changes):
        data = {f"column_{i}": name for i, name in enumerate(upload.mapping)}
        data.update(changes)
        return data

    def run_step(self, upload, action, **changes):
        data = {**self.mapping(upload, **changes), "consent": "on", "action": action}
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(reverse("spreadsheets:upload", args=[upload.code]), data)

    def test_upload_match_check_then_import(self):
        response = self.upload()
        upload = Upload.objects.get()
        page = reverse("spreadsheets:upload", args=[upload.code])
        self.assertRedirects(response, page)
        self.assertEqual(upload.rows, 4)

        # The mapping preview: each column, its first cells, its guessed field.
        response = self.client.get(page)
        self.assertContains(response, "What do you need?")
        self.assertContains(response, "Groceries for the week (0)")
        form = response.context["form"]
        self.assertEqual(form["column_4"].value(), "summary")
        self.assertEqual(form["column_1"].value(), "")  # "Your name": not imported
        self.assertNotContains(response, "Import it")

        # The dry run: the report, and nothing written.
        before = snapshot()
        self.assertRedirects(self.run_step(upload, "check"), page)
        self.assertEqual(snapshot(), before)
        response = self.client.get(page)
        report = response.context["report"]
        self.assertTrue(report.dry_run)
        self.assertEqual((report.imported, report.skipped), (2, 1))
        self.assertEqual([line for line, _reason in report.rejected], [3])
        self.assertContains(response, "Dry run: nothing was imported")
        self.assertContains(response, "<td>3</td>", html=True)
        self.assertNotContains(response, "555 2671</td>")
        self.assertContains(response, "Import it")

        # The import.
        self.assertRedirects(self.run_step(upload, "import"), page)
        self.assertEqual(Need.objects.count(), 2)
        upload.refresh_from_db()
        self.assertEqual(upload.state, UploadState.IMPORTED)
        self.assertEqual((upload.content, upload.lookup), ("", ""))
        record = ImportRecord.objects.get()
        self.assertEqual(
            (record.actor, record.kind, record.new),
            (self.dispatcher, "needs", {"rows": 4, "imported": 2, "skipped": 1, "rejected": 1}),
        )
        response = self.client.get(page)
        self.assertContains(response, "The file and its lookup are deleted")
        self.assertIsNone(response.context["form"])
        rejected = self.client.get(reverse("spreadsheets:upload_rejected", args=[upload.code]))
        text = b"".join(rejected.streaming_content).decode("utf-8-sig")
        lines = list(csv.reader(io.StringIO(text)))
        self.assertEqual(lines[0], ["Line", "Reason"])
        self.assertEqual(lines[1][0], "3")
        self.assertTrue(lines[1][1].startswith("Public summary: It looks like"))
        # Nothing of the addresses stays anywhere.
        stored = database_text()
        self.assertNotIn("Maple St", stored)
        self.assertNotIn("Neighbor Number", stored)

        # The same file, uploaded again: every row skipped.
        self.upload()
        again = Upload.objects.latest("pk")
        self.run_step(again, "check")
        self.run_step(again, "import")
        again.refresh_from_db()
        self.assertIn('"imported": 0, "skipped": 3', again.report)
        self.assertEqual(Need.objects.count(), 2)
        self.assertEqual(ImportedRow.objects.count(), 2)

    def test_the_columns_are_matched_as_the_organizer_says(self):
        self.upload()
        upload = Upload.objects.get()
        self.run_step(upload, "check", column_7="")  # the notes: not imported
        self.run_step(Upload.objects.get(), "import", column_7="")
        self.assertEqual(set(Need.objects.values_list("details", flat=True)), {""})

        self.upload()
        second = Upload.objects.latest("pk")
        response = self.run_step(
            second, "check", column_4="", column_5="details", column_6="details"
        )
        self.assertEqual(response.status_code, 422)
        self.assertContains(
            response,
            "No column of the file is matched to: Public summary, Kind of help",
            status_code=422,
        )
        response = self.run_step(second, "check", column_3="summary")
        self.assertContains(response, "is already chosen for another column", status_code=422)
        second.refresh_from_db()
        self.assertEqual(second.state, UploadState.MAPPING)

    def test_consent_is_confirmed_before_a_run(self):
        self.upload()
        upload = Upload.objects.get()
        data = {**self.mapping(upload), "action": "check"}
        response = self.client.post(reverse("spreadsheets:upload", args=[upload.code]), data)
        self.assertContains(response, "Confirm that the people", status_code=422)
        upload.refresh_from_db()
        self.assertEqual(upload.state, UploadState.MAPPING)

    def test_a_file_that_is_no_csv_is_refused_clearly(self):
        self.client.force_login(self.dispatcher)
        workbook = SimpleUploadedFile("needs.xlsx", b"PK\x03\x04" + b"\x00" * 50)
        response = self.client.post(START, {"kind": "needs", "file": workbook})
        self.assertContains(response, "This is a spreadsheet file, not a CSV", status_code=422)
        response = self.upload(lookup="street,area\nMaple Street,Atlantis\n")
        self.assertContains(response, "name no area of the network", status_code=422)
        self.assertFalse(Upload.objects.exists())

    def test_a_file_too_large_is_refused_and_never_written_to_disk(self):
        with mock.patch.dict("mutualaid.spreadsheets.forms.LIMITS", {"file": 5000}):
            response = self.upload(text=csv_text([FORM_HEADERS] + [form_row(n) for n in range(60)]))
        self.assertContains(response, "The file is larger than", status_code=422)
        self.assertFalse(Upload.objects.exists())
        # Larger than Django keeps in memory (2.5 MB): still no temporary file.
        big = csv_text([FORM_HEADERS] + [form_row(n) for n in range(17_000)])
        self.assertGreater(len(big), 2_700_000)
        with mock.patch(
            "django.core.files.uploadhandler.TemporaryFileUploadHandler.new_file",
            side_effect=AssertionError("written to disk"),
        ):
            self.assertEqual(self.upload(text=big).status_code, 302)
        self.assertEqual(Upload.objects.get().rows, 17_000)

    def test_who_may_import_what(self):
        self.assertRedirects(self.client.get(START), f"{reverse('accounts:login')}?next={START}")
        for member in (
            self.outsider,
            make_member("newt", level=Level.NEWCOMER),
            make_member("saf", roles=[Role.SAFETY]),
        ):
            with self.subTest(member.handle):
                self.client.force_login(member)
                self.assertEqual(self.client.get(START).status_code, 403)
                self.assertEqual(self.upload(member).status_code, 403)
        self.client.force_login(self.admin)
        kinds = [
            name for name, _label in self.client.get(START).context["form"].fields["kind"].choices
        ]
        self.assertEqual(kinds, ["members", "resources"])
        self.assertContains(self.upload(self.admin), "Select a valid choice", status_code=422)
        self.client.force_login(self.dispatcher)
        kinds = [
            name for name, _label in self.client.get(START).context["form"].fields["kind"].choices
        ]
        self.assertEqual(kinds, ["needs", "offers"])
        self.assertFalse(Upload.objects.exists())

    def test_an_upload_is_its_uploaders_alone(self):
        self.upload()
        upload = Upload.objects.get()
        urls = [
            reverse("spreadsheets:upload", args=[upload.code]),
            reverse("spreadsheets:upload_rejected", args=[upload.code]),
        ]
        other = make_member("dora", roles=[Role.DISPATCHER])
        for url in urls:
            self.client.force_login(other)
            self.assertEqual(self.client.get(url).status_code, 404)
            self.client.force_login(self.outsider)
            self.assertEqual(self.client.get(url).status_code, 404)
            self.client.logout()
            self.assertEqual(self.client.get(url).status_code, 302)
        # The uploader loses the role that imports needs: refused.
        self.dispatcher.role_grants.update(removed_at=upload.created_at)
        self.client.force_login(self.dispatcher)
        self.assertEqual(self.client.get(urls[0]).status_code, 403)

    def test_a_run_shows_its_progress_and_starts_once(self):
        self.upload()
        upload = Upload.objects.get()
        page = reverse("spreadsheets:upload", args=[upload.code])
        with mock.patch("mutualaid.spreadsheets.services._hand_to_worker") as worker:
            self.run_step(upload, "check")
            self.run_step(upload, "import")  # while the check runs: refused
        worker.assert_called_once()
        response = self.client.get(page)
        self.assertContains(response, "<progress", count=1)
        self.assertContains(response, 'hx-trigger="every 2s"')
        self.assertNotIn("HX-Refresh", self.client.get(page, headers={"HX-Request": "true"}))
        from ..services import upload_run

        upload_run(upload_id=upload.pk, dry_run=True)
        polled = self.client.get(page, headers={"HX-Request": "true"})
        self.assertEqual(polled["HX-Refresh"], "true")

    def test_the_page_takes_a_fixed_number_of_queries(self):
        def checked(count):
            rows = [FORM_HEADERS] + [form_row(n, kind="Astrology") for n in range(count)]
            self.upload(text=csv_text(rows))
            upload = Upload.objects.latest("pk")
            self.run_step(upload, "check")
            return reverse("spreadsheets:upload", args=[upload.code])

        few, many = checked(2), checked(300)
        counts = []
        for page in (few, many):
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(page)
            counts.append(len(queries))
        self.assertEqual(len(response.context["rejected"]), 100)
        self.assertContains(response, "The first 100 are listed here")
        self.assertEqual(counts[0], counts[1])
