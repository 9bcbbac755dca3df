"""Resources through aid.resources.resource_upsert: found by their name and kind, brought up to
date or added, by organizers who keep the directory."""

from mutualaid.aid.models import Resource, ResourceKind
from mutualaid.lib.refusal import Refusal

from .base import ImportTestCase, csv_text

HEADERS = [
    "Organization",
    "Type",
    "Description",
    "Opening hours",
    "Website",
    "Phone",
    "Areas",
    "Services",
    "Address",
]


class ResourcesImportTestCase(ImportTestCase):
    def test_it_adds_and_updates_the_directory(self):
        rows = [
            HEADERS,
            [
                "Eastside Food Bank",
                "Food pantry",
                "Free groceries",
                "Tue 9-12",
                "eastside.example.org",
                "(415) 555-0100",
                "Northside; Central",
                "Groceries",
                "",
            ],
            ["Crisis Line", "Hotline", "", "24/7", "", "988", "", "", ""],
            ["Warm Nights", "Shelter", "", "", "", "", "", "Housing", "12 Maple Street"],
        ]
        report = self.run_import(
            "resources",
            csv_text(rows),
            by=self.admin,
            lookup="street,area\nMaple Street,Southside\n",
        )

        self.assertEqual((report.imported, report.rejected), (3, []))
        bank = Resource.objects.get(name="Eastside Food Bank")
        self.assertEqual(bank.kind, ResourceKind.FOOD_BANK)
        self.assertEqual(bank.link, "https://eastside.example.org")
        self.assertEqual(bank.phone, "+14155550100")
        self.assertEqual(set(bank.areas.all()), {self.north, self.central})
        self.assertEqual(list(bank.categories.all()), [self.groceries])
        self.assertEqual(Resource.objects.get(name="Crisis Line").phone, "988")
        shelter = Resource.objects.get(name="Warm Nights")
        self.assertEqual(list(shelter.areas.all()), [self.south])
        # The same file again: nothing; the row changed: the same resource, brought up to date.
        self.assertEqual(
            self.run_import(
                "resources",
                csv_text(rows),
                by=self.admin,
                lookup="street,area\nMaple Street,Southside\n",
            ).skipped,
            3,
        )
        rows[1][3] = "Tue and Thu 9-12"
        changed = self.run_import("resources", csv_text(rows[:2]), by=self.admin)
        self.assertEqual(changed.imported, 1)
        self.assertEqual(Resource.objects.count(), 3)
        self.assertEqual(Resource.objects.get(name="Eastside Food Bank").hours, "Tue and Thu 9-12")

    def test_rejected_rows_name_their_column(self):
        rows = [
            HEADERS,
            ["", "Hotline", "", "", "", "", "", "", ""],
            ["Somewhere", "Spaceport", "", "", "", "", "", "", ""],
            ["Bad link", "Other", "", "", "javascript:alert(1)", "", "", "", ""],
            ["Bad phone", "Other", "", "", "", "12", "", "", ""],
        ]
        report = self.run_import("resources", csv_text(rows), by=self.admin)
        lines = dict(report.rejected)
        self.assertEqual(report.imported, 0)
        self.assertEqual(lines[2], "Name: Give the resource its name.")
        self.assertEqual(lines[3], "What it is: “Spaceport” is not one of the choices.")
        self.assertTrue(lines[4].startswith("Link: "))
        self.assertTrue(lines[5].startswith("Phone: "))
        self.assertFalse(Resource.objects.exists())

    def test_only_who_keeps_the_directory(self):
        rows = [HEADERS, ["Crisis Line", "Hotline", "", "", "", "988", "", "", ""]]
        for member in (self.outsider, self.dispatcher):
            with self.subTest(member.handle), self.assertRaises(Refusal):
                self.run_import("resources", csv_text(rows), by=member)
        self.assertFalse(Resource.objects.exists())
