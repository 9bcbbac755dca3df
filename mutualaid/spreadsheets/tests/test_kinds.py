"""How each kind reads a file's columns and cells."""

from datetime import date

from django.test import SimpleTestCase

from ..kinds import KINDS, clean_cell, read_date, read_days


class GuessTestCase(SimpleTestCase):
    def test_google_forms_headers(self):
        headers = [
            "Timestamp",
            "Email Address",
            "Your name",
            "What do you need help with? (groceries, rides...)",
            "Kind of help",
            "Phone number",
            "Street address",
            "Address line 2",
            "Zip Code",
            "How soon do you need it?",
            "Anything else we should know?",
            "Do you consent to being contacted?",
        ]
        self.assertEqual(
            KINDS["needs"].guess(headers),
            [
                "timestamp",
                "email",
                "",
                "summary",
                "category",
                "phone",
                "address",
                "address",
                "postcode",
                "urgency",
                "details",
                "consent",
            ],
        )

    def test_airtable_headers_and_a_field_taken_once(self):
        headers = ["Name", "Type", "Website", "Phone", "Phone"]
        self.assertEqual(KINDS["resources"].guess(headers), ["name", "kind", "link", "phone", ""])
        self.assertEqual(
            KINDS["members"].guess(["Username", "E-mail", "Languages"]),
            ["handle", "email", "languages"],
        )

    def test_several_columns_of_one_field_are_joined(self):
        needs = KINDS["needs"]
        mapping = ["address", "address", "details", "details", "summary", "summary"]
        values = needs.values(["1 Elm", "Apt 2", "one", "two", "first", "second"], mapping)
        self.assertEqual(values["address"], "1 Elm, Apt 2")
        self.assertEqual(values["details"], "one\ntwo")
        self.assertEqual(values["summary"], "first")


class CellTestCase(SimpleTestCase):
    def test_cells(self):
        self.assertEqual(clean_cell('  ="00123" '), "00123")
        self.assertEqual(clean_cell("'=SUM(A1)"), "=SUM(A1)")
        self.assertEqual(clean_cell("'tis"), "'tis")

    def test_days(self):
        cases = {
            "Monday, Wednesday": [0, 2],
            "weekends": [5, 6],
            "Mon-Fri": [0, 1, 2, 3, 4],
            "Fri to Mon": [0, 4, 5, 6],
            "lunes y martes": [0, 1],
            "Tuesdays & Thursdays": [1, 3],
            "any day": [],
            "Weekdays, weekends": [],
        }
        for text, days in cases.items():
            with self.subTest(text):
                self.assertEqual(read_days(text), days)

    def test_dates(self):
        self.assertEqual(read_date("2024-05-01", month_first=True), date(2024, 5, 1))
        self.assertEqual(read_date("5/1/2024 14:03:00", month_first=True), date(2024, 5, 1))
        self.assertEqual(read_date("5/1/2024", month_first=False), date(2024, 1, 5))
        self.assertEqual(read_date("25/12/24", month_first=True), date(2024, 12, 25))
        self.assertEqual(read_date("May 1, 2024", month_first=True), date(2024, 5, 1))
        self.assertIsNone(read_date("soon", month_first=True))
        self.assertIsNone(read_date("2024-13-45", month_first=True))
