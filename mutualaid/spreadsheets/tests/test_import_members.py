"""Members from a roster: accounts through accounts.services, with the sign-up form's handle
rules, by admins who configure the network."""

from mutualaid.accounts.models import Member
from mutualaid.lib.refusal import Refusal
from mutualaid.spreadsheets.models import ImportRecord
from mutualaid.test import make_member
from mutualaid.trust.models import Level, Role

from .base import LOOKUP, ImportTestCase, csv_text, database_text

# A Google Sheet of volunteers.
HEADERS = [
    "Timestamp",
    "Full name",
    "Username",
    "Email",
    "Phone",
    "Home address",
    "Languages spoken",
    "Availability",
]


class MembersImportTestCase(ImportTestCase):
    def test_each_row_becomes_a_member_without_a_password(self):
        rows = [
            HEADERS,
            [
                "5/1/2024",
                "Maria Lopez",
                "maria_l",
                "Maria@Example.org",
                "415 555 2671",
                "88 Elm Rd, flat 2",
                "Spanish, English",
                "Weekends",
            ],
            ["5/1/2024", "Ken Park", "kenp", "ken@example.org", "", "", "", "Mon-Wed"],
        ]
        report = self.run_import("members", csv_text(rows), by=self.admin, lookup=LOOKUP)

        self.assertEqual((report.imported, report.rejected), (2, []))
        maria = Member.objects.get(handle="maria_l")
        self.assertEqual(maria.email, "Maria@Example.org")
        self.assertFalse(maria.has_usable_password())
        self.assertEqual(maria.level, Level.NEWCOMER)
        self.assertEqual(maria.home_area, self.central)  # Elm Road, by the lookup
        self.assertEqual(maria.languages, ["en", "es"])
        self.assertEqual(maria.available_days, [5, 6])
        ken = Member.objects.get(handle="kenp")
        self.assertIsNone(ken.home_area)
        self.assertEqual(ken.available_days, [0, 1, 2])
        stored = database_text()
        for private in ("Maria Lopez", "Ken Park", "88 Elm", "555 2671", "Maria@Example.org"):
            self.assertNotIn(private, stored)
        self.assertEqual(ImportRecord.objects.get().kind, "members")
        again = self.run_import("members", csv_text(rows), by=self.admin, lookup=LOOKUP)
        self.assertEqual((again.imported, again.skipped), (0, 2))

    def test_the_sign_up_rules_meet_each_row(self):
        rows = [
            HEADERS,
            ["", "", "rosa", "new@example.org", "", "", "", ""],  # 2: taken
            ["", "", "admin", "a@example.org", "", "", "", ""],  # 3: reserved
            ["", "", "ana5551234567", "b@example.org", "", "", "", ""],  # 4: a phone number
            ["", "", "okay_handle", "not an email", "", "", "", ""],  # 5
            ["", "", "another", "", "", "", "", ""],  # 6: no email
            ["", "", "third", "c@example.org", "", "", "Klingon", ""],  # 7
            ["", "", "fourth", "d@example.org", "", "1 Nowhere Lane", "", ""],  # 8
        ]
        report = self.run_import("members", csv_text(rows), by=self.admin, lookup=LOOKUP)
        lines = dict(report.rejected)
        self.assertEqual(report.imported, 0)
        for line in (2, 3, 4):
            self.assertEqual(lines[line], "Handle: That handle can't be used. Choose another.")
        self.assertEqual(lines[5], "Email: not an email address.")
        self.assertEqual(lines[6], "Email: not an email address.")
        self.assertEqual(lines[7], "Languages they speak: “Klingon” is not one of the choices.")
        self.assertEqual(lines[8], "No area found for the address.")
        self.assertFalse(Member.objects.filter(handle__in=["okay_handle", "third", "fourth"]))

    def test_an_email_a_member_has_is_refused(self):
        self.volunteer.email = "vic@example.org"
        self.volunteer.save(update_fields=["email"])
        rows = [HEADERS, ["", "", "vic2", "VIC@example.org", "", "", "", ""]]
        report = self.run_import("members", csv_text(rows), by=self.admin)
        self.assertEqual(report.rejected, [(2, "Email: a member already has it.")])

    def test_only_admins_who_configure_import_members(self):
        rows = [HEADERS, ["", "", "newone", "n@example.org", "", "", "", ""]]
        for member in (self.outsider, self.dispatcher, make_member("tri", roles=[Role.TRIAGER])):
            with self.subTest(member.handle), self.assertRaises(Refusal):
                self.run_import("members", csv_text(rows), by=member)
        self.assertFalse(Member.objects.filter(handle="newone").exists())

    def test_consent_is_asked_for_members_too(self):
        rows = [HEADERS, ["", "", "newone", "n@example.org", "", "", "", ""]]
        with self.assertRaises(Refusal) as refusal:
            self.run_import("members", csv_text(rows), by=self.admin, consent=False)
        self.assertEqual(refusal.exception.code, "consent")
