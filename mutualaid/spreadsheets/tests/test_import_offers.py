"""Offers of members already on the network, through aid.services.offer_post."""

from django.test import override_settings

from mutualaid.aid.models import Offer, OfferKind
from mutualaid.lib.refusal import Refusal
from mutualaid.test import make_member
from mutualaid.trust.models import Level

from .base import ImportTestCase, csv_text

# An Airtable export of a volunteers' offers table.
HEADERS = [
    "Created",
    "Handle",
    "What can you offer?",
    "Kinds of help",
    "Areas",
    "Once or ongoing",
    "Which days are you available?",
]


class OffersImportTestCase(ImportTestCase):
    def test_it_posts_each_offer_for_its_member(self):
        rows = [
            HEADERS,
            [
                "2024-05-01",
                "vic",
                "I can shop on Saturdays",
                "Groceries, Rides",
                "Northside, Central",
                "Ongoing",
                "Saturday, Sunday",
            ],
            ["2024-05-02", "@VIC", "A car seat to give", "Other", "Central", "once", ""],
        ]
        report = self.run_import("offers", csv_text(rows))

        self.assertEqual((report.imported, report.rejected), (2, []))
        ongoing = Offer.objects.get(summary="I can shop on Saturdays")
        self.assertEqual(ongoing.offerer, self.volunteer)
        self.assertEqual(ongoing.kind, OfferKind.ONGOING)
        self.assertEqual(set(ongoing.categories.all()), {self.groceries, self.rides})
        self.assertEqual(set(ongoing.areas.all()), {self.north, self.central})
        self.assertEqual(ongoing.available_days, [5, 6])
        self.assertEqual(Offer.objects.get(summary="A car seat to give").kind, OfferKind.ONE_OFF)
        again = self.run_import("offers", csv_text(rows))
        self.assertEqual((again.imported, again.skipped), (0, 2))
        self.assertEqual(Offer.objects.count(), 2)

    def test_a_member_is_found_by_email_too(self):
        self.volunteer.email = "vic@example.org"
        self.volunteer.save(update_fields=["email"])
        rows = [
            ["Email address", "Offer", "Category", "Area"],
            ["VIC@example.org", "Rides to the clinic", "rides", "Central"],
        ]
        report = self.run_import("offers", csv_text(rows))
        self.assertEqual(report.imported, 1)
        self.assertEqual(Offer.objects.get().offerer, self.volunteer)

    def test_rejected_rows_say_why(self):
        rows = [
            HEADERS,
            ["", "nobody-here", "Rides", "Rides", "Central", "", ""],  # 2
            ["", "vic", "Call me at 415 555 2671", "Rides", "Central", "", ""],  # 3
            ["", "vic", "Rides", "Rides", "Atlantis", "", ""],  # 4
            ["", "vic", "Rides", "Rides", "Central", "", "Someday"],  # 5
            ["", "vic", "Rides", "", "Central", "", ""],  # 6
        ]
        report = self.run_import("offers", csv_text(rows))
        lines = dict(report.rejected)
        self.assertEqual(report.imported, 0)
        self.assertEqual(lines[2], "No member has this handle or email: import the members first.")
        self.assertIn("the public would see it", lines[3])
        self.assertNotIn("2671", lines[3])
        self.assertEqual(lines[4], "Areas they can reach: “Atlantis” is not one of the choices.")
        self.assertEqual(lines[5], "Days available: “Someday” is not one of the choices.")
        self.assertEqual(lines[6], "Kinds of help: none given.")
        self.assertFalse(Offer.objects.exists())

    @override_settings(RATE_LIMITS={"newcomer-posts": (1, 3600)})
    def test_a_newcomers_offers_count_against_the_organizer_who_is_free(self):
        newt = make_member("newt", level=Level.NEWCOMER)
        rows = [HEADERS] + [
            ["", "newt", f"Offer {n}", "Rides", "Central", "", ""] for n in range(3)
        ]
        report = self.run_import("offers", csv_text(rows))
        self.assertEqual(report.imported, 3)
        self.assertEqual(Offer.objects.filter(offerer=newt).count(), 3)

    def test_only_organizers_who_take_calls(self):
        rows = [HEADERS, ["", "vic", "Rides", "Rides", "Central", "", ""]]
        for member in (self.outsider, self.admin):
            with self.subTest(member.handle), self.assertRaises(Refusal):
                self.run_import("offers", csv_text(rows), by=member)
        self.assertFalse(Offer.objects.exists())
