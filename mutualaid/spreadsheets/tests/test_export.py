"""CSV exports for organizers: private details only for a role that reads them, and recorded
as read; streamed in a fixed number of queries; refused to everyone else."""

import csv
import io

from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutualaid.aid import resources
from mutualaid.aid.models import AccessKind, PrivateAccess, ResourceKind
from mutualaid.test import CANARY, make_member
from mutualaid.trust.models import Level, Role

from ..exporting import safe_cell
from ..kinds import KINDS
from .base import ImportTestCase

NEEDS = reverse("spreadsheets:export_needs")


def rows_of(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


class ExportTestCase(ImportTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.safety = make_member("saf", roles=[Role.SAFETY])

    def export(self, member, url=NEEDS):
        self.client.force_login(member)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        return rows_of(response)

    def test_private_details_only_for_a_role_that_reads_them(self):
        need = self.post_need()
        anonymous = self.post_need(requester=self.volunteer, anonymous=True, summary="Rides")

        rows = self.export(self.dispatcher)
        self.assertEqual(rows[0][-1], "Private details")
        by_code = {row[0]: row for row in rows[1:]}
        self.assertIn(CANARY, by_code[str(need.code)][-1])
        self.assertEqual(by_code[str(need.code)][9], "Groceries for a family of four")
        self.assertEqual(by_code[str(anonymous.code)][10], "vic")  # dispatchers see handles
        for member in (self.admin, self.safety):
            with self.subTest(member.handle):
                rows = self.export(member)
                self.assertNotIn("Private details", rows[0])
                self.assertNotIn(CANARY, repr(rows))
        admin_rows = {row[0]: row for row in self.export(self.admin)[1:]}
        self.assertEqual(admin_rows[str(anonymous.code)][10], "")  # admins do not see handles

    def test_the_export_is_recorded_as_reading_each_needs_details(self):
        need = self.post_need()
        other = self.post_need(requester=self.volunteer)
        self.post_need(requester=self.dispatcher)  # their own: no record
        self.post_need(details="")  # no details: nothing read

        self.export(self.dispatcher)

        accesses = PrivateAccess.objects.order_by("need_id")
        self.assertEqual(
            list(accesses.values_list("viewer", "owner", "need", "what")),
            [
                (self.dispatcher.pk, self.requester.pk, need.pk, AccessKind.DETAILS),
                (self.dispatcher.pk, self.volunteer.pk, other.pk, AccessKind.DETAILS),
            ],
        )
        self.assertEqual(len({access.code for access in accesses}), 2)
        self.export(self.admin)
        self.assertEqual(PrivateAccess.objects.count(), 2)

    def test_a_fixed_number_of_queries(self):
        def counted():
            cache.clear()
            self.client.force_login(self.dispatcher)
            with CaptureQueriesContext(connection) as queries:
                rows = rows_of(self.client.get(NEEDS))
            return len(queries), len(rows)

        self.post_need()
        few = counted()
        for n in range(25):
            self.post_need(summary=f"Groceries {n}", requester=self.volunteer)
        many = counted()
        self.assertEqual((few[1], many[1]), (2, 27))
        self.assertEqual(few[0], many[0])
        for url in (
            reverse("spreadsheets:export_offers"),
            reverse("spreadsheets:export_resources"),
        ):
            with self.subTest(url):
                cache.clear()
                with CaptureQueriesContext(connection) as one:
                    rows_of(self.client.get(url))
                self.post_offer(summary=f"More {url}")
                cache.clear()
                with CaptureQueriesContext(connection) as two:
                    rows_of(self.client.get(url))
                self.assertEqual(len(one), len(two))

    def test_offers_and_resources(self):
        self.post_offer(categories=[self.groceries, self.rides], areas=[self.north, self.central])
        resources.resource_create(
            by=self.admin,
            name="Crisis Line",
            kind=ResourceKind.HOTLINE,
            phone="988",
            areas=[self.south],
        )
        offers = self.export(self.safety, reverse("spreadsheets:export_offers"))
        self.assertEqual(offers[1][4], "Groceries, Rides")
        self.assertEqual(offers[1][5], "Central, Northside")
        self.assertEqual(offers[1][8], "vic")
        directory = self.export(self.safety, reverse("spreadsheets:export_resources"))
        self.assertEqual(directory[1][:2], ["Crisis Line", "Hotline"])
        self.assertEqual(directory[1][6], "Southside")

    def test_an_export_reads_back_in(self):
        self.post_need()
        header = self.export(self.dispatcher)[0]
        mapping = KINDS["needs"].guess(header)
        self.assertEqual(
            dict(zip(header, mapping, strict=True)),
            {
                "Code": "",
                "Created": "timestamp",
                "Status": "status",
                "Kind of help": "category",
                "Area": "area",
                "Urgency": "urgency",
                "Needed by": "needed_by",
                "Visibility": "visibility",
                "Priority": "",
                "Summary": "summary",
                "Requester": "",
                "Private details": "details",
            },
        )

    def test_a_cell_a_spreadsheet_would_run_is_defused(self):
        self.assertEqual(safe_cell("=HYPERLINK(1)"), "'=HYPERLINK(1)")
        self.assertEqual(safe_cell("+1"), "'+1")
        self.assertEqual(safe_cell("Groceries"), "Groceries")

    def test_everyone_else_is_refused(self):
        self.post_need()
        newt = make_member("newt", level=Level.NEWCOMER)
        for url in (
            NEEDS,
            reverse("spreadsheets:export_offers"),
            reverse("spreadsheets:export_resources"),
        ):
            self.client.logout()
            self.assertEqual(self.client.get(url).status_code, 302)
            for member in (
                self.outsider,
                self.requester,
                newt,
            ):
                with self.subTest(url=url, member=member.handle):
                    self.client.force_login(member)
                    self.assertEqual(self.client.get(url).status_code, 403)
        self.assertFalse(PrivateAccess.objects.exists())

    def test_the_command(self):
        need = self.post_need()
        out = io.StringIO()
        call_command("export_csv", "needs", "--as", "dina", stdout=out)
        rows = list(csv.reader(io.StringIO(out.getvalue().removeprefix("\ufeff"))))
        self.assertEqual(rows[1][0], str(need.code))
        self.assertIn(CANARY, rows[1][-1])
        self.assertEqual(PrivateAccess.objects.get().viewer, self.dispatcher)
        with self.assertRaisesMessage(CommandError, "do not export"):
            call_command("export_csv", "needs", "--as", "otto", stdout=io.StringIO())
