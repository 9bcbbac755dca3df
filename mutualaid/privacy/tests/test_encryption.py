from io import StringIO

from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from conftest import TEST_FIELD_KEYS
from mutualaid.accounts import services as accounts_services
from mutualaid.accounts.models import Member
from mutualaid.aid import services
from mutualaid.aid.models import ContactShare, Message, Need
from mutualaid.lib.crypto import KeyRing, SealError, new_key_entry
from mutualaid.safety import services as safety_services
from mutualaid.safety.models import Reason, Report, ReportAction
from mutualaid.test import BaseTestCase, make_member
from mutualaid.trust import services as trust_services
from mutualaid.trust.models import Invite, Level, Role, TrustEvent, TrustEventKind, Vouch

CANARY = "canary-7f3a-evicted-on-friday"


def raw_column(table, column):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608 (fixed names)
        return [row[0] for row in cursor.fetchall()]


def raw_text_everywhere() -> dict[str, list[str]]:
    """Every text value of every table of the database, as stored: {"table.column": [values]}."""
    found: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("utf-8", "replace")
                    if isinstance(value, str) and value:
                        found.setdefault(f"{table}.{column}", []).append(value)
    return found


def columns_holding(text: str) -> list[str]:
    return sorted(
        name for name, values in raw_text_everywhere().items() if any(text in v for v in values)
    )


def write_private_words(case) -> dict[str, object]:
    """Through the real services, every other kind of private words about a person: a report's
    details, an officer's warning and suspension notes, vouch and invitation notes (the invitation
    used, so its note is copied into a vouch), suspension reasons, and an email. Each holds CANARY.
    Returns the rows written, by name."""
    officer = make_member("sam", roles=[Role.SAFETY])
    newt = make_member("newt", level=Level.NEWCOMER)
    vouch = trust_services.vouch_give(
        voucher=case.volunteer, vouchee=newt, note=f"Her landlord {CANARY}"
    )
    invite = trust_services.invite_create(inviter=case.volunteer, note=f"Cousin, {CANARY}")
    joined = accounts_services.member_sign_up(
        handle="newbie", password="a long enough passphrase", email=f"{CANARY}@example.org"
    )
    invited_vouch = trust_services.invite_use(invite=invite, member=joined)
    revoked = trust_services.vouch_give(
        voucher=case.organizer, vouchee=joined, note=f"A friend, {CANARY}"
    )
    trust_services.vouch_revoke(vouch=revoked, by=case.organizer, reason=f"Mistaken, {CANARY}")

    warned = safety_services.report_file(
        reporter=case.requester,
        reason=Reason.HARASSMENT,
        details=f"He shouted at me, {CANARY}",
        member=case.outsider,
    )
    safety_services.report_handle(
        report=warned, officer=officer, action=ReportAction.WARN, note=f"Be kind, {CANARY}"
    )
    suspended = safety_services.report_file(
        reporter=case.requester, reason=Reason.SCAM, details=f"Asked {CANARY}", member=newt
    )
    safety_services.report_handle(
        report=suspended,
        officer=officer,
        action=ReportAction.SUSPEND,
        note=f"Scamming, {CANARY}",
        flag_branch=True,
    )
    trust_services.member_suspend(
        member=case.outsider, by=officer, reason=f"Threats, {CANARY}", flag_branch=True
    )
    return {
        "vouch": vouch,
        "invite": invite,
        "invited_vouch": invited_vouch,
        "revoked": revoked,
        "joined": joined,
        "warned": warned,
        "suspended": suspended,
        "newt": newt,
    }


# Where the private words about a person are kept: each once, sealed.
SEALED_COLUMNS = [
    ("accounts_member", "email"),
    ("accounts_member", "suspension_reason"),
    ("safety_report", "details"),
    ("safety_report", "action_note"),
    ("trust_vouch", "note"),
    ("trust_vouch", "revoke_reason"),
    ("trust_invite", "note"),
]


class EncryptionAtRestTestCase(BaseTestCase):
    def setUp(self):
        self.need = self.claimed_need(details=f"I was {CANARY}")
        services.message_send(
            need=self.need, sender=self.volunteer, body=f"Sorry you were {CANARY}"
        )
        services.contact_share(need=self.need, member=self.requester, kind="text", value=CANARY)

    def test_the_database_holds_no_plaintext_of_a_private_value(self):
        for table, column in [
            ("aid_need", "details"),
            ("aid_message", "body"),
            ("aid_contactshare", "value"),
        ]:
            with self.subTest(table=table):
                values = raw_column(table, column)
                self.assertTrue(values)
                self.assertFalse([v for v in values if CANARY in v])
                self.assertTrue(all(v.startswith("t2:") for v in values if v))

    def test_the_application_reads_them_back(self):
        need = Need.objects.get(pk=self.need.pk)
        self.assertEqual(need.details, f"I was {CANARY}")
        self.assertEqual(Message.objects.get().body, f"Sorry you were {CANARY}")
        self.assertEqual(ContactShare.objects.get().value, CANARY)

    def test_a_value_swapped_into_another_row_does_not_open(self):
        other = self.post_need(details="Something else entirely")
        with connection.cursor() as cursor:
            cursor.execute("SELECT details FROM aid_need WHERE id = %s", [self.need.pk])
            (token,) = cursor.fetchone()
            cursor.execute("UPDATE aid_need SET details = %s WHERE id = %s", [token, other.pk])
        with self.assertRaises(SealError):
            Need.objects.get(pk=other.pk).details  # noqa: B018 (reading is the test)

    def test_a_value_swapped_into_another_column_does_not_open(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT details FROM aid_need WHERE id = %s", [self.need.pk])
            (token,) = cursor.fetchone()
            cursor.execute("UPDATE aid_message SET body = %s", [token])
        with self.assertRaises(SealError):
            Message.objects.get().body  # noqa: B018

    def test_encrypted_fields_cannot_be_written_around_the_seal(self):
        with self.assertRaises(TypeError):
            Need.objects.filter(pk=self.need.pk).update(details="plaintext by the back door")
        with self.assertRaises(TypeError):
            list(Need.objects.filter(details=CANARY))


class PrivateWordsAtRestTestCase(BaseTestCase):
    """Reports, officers' notes, vouch and invitation notes, suspension reasons and emails."""

    def setUp(self):
        self.rows = write_private_words(self)

    def test_no_table_of_the_database_holds_them_in_clear(self):
        self.assertIn("accounts_member.handle", columns_holding("newbie"))  # the scan reads
        self.assertEqual(columns_holding(CANARY), [])
        self.assertEqual(columns_holding(CANARY.upper()), [])

    def test_each_is_sealed_under_the_newest_key(self):
        for table, column in SEALED_COLUMNS:
            with self.subTest(table=table, column=column):
                values = [v for v in raw_column(table, column) if v]
                self.assertTrue(values)
                self.assertTrue(all(v.startswith("t2:") for v in values), values)

    def test_the_trust_record_keeps_no_copy_of_a_note_or_a_reason(self):
        kinds = [TrustEventKind.VOUCHED, TrustEventKind.INVITE_USED, TrustEventKind.SUSPENDED]
        events = TrustEvent.objects.filter(kind__in=kinds)
        self.assertEqual(events.filter(kind=TrustEventKind.SUSPENDED).count(), 2)
        self.assertEqual(set(events.values_list("note", flat=True)), {""})

    def test_the_application_reads_them_back(self):
        rows = self.rows
        self.assertEqual(Vouch.objects.get(pk=rows["vouch"].pk).note, f"Her landlord {CANARY}")
        self.assertEqual(Invite.objects.get().note, f"Cousin, {CANARY}")
        revoked = Vouch.objects.get(pk=rows["revoked"].pk)
        self.assertEqual(revoked.revoke_reason, f"Mistaken, {CANARY}")
        self.assertEqual(Vouch.objects.get(pk=rows["invited_vouch"].pk).note, f"Cousin, {CANARY}")
        warned = Report.objects.get(pk=rows["warned"].pk)
        self.assertEqual(
            (warned.details, warned.action_note),
            (f"He shouted at me, {CANARY}", f"Be kind, {CANARY}"),
        )
        suspended = Report.objects.get(pk=rows["suspended"].pk)
        self.assertEqual(
            (suspended.details, suspended.action_note), (f"Asked {CANARY}", f"Scamming, {CANARY}")
        )
        newt = Member.objects.get(pk=rows["newt"].pk)
        self.assertEqual(newt.suspension_reason, f"Scamming, {CANARY}")
        self.assertEqual(
            Member.objects.get(pk=self.outsider.pk).suspension_reason, f"Threats, {CANARY}"
        )
        self.assertEqual(Member.objects.get(handle="newbie").email, f"{CANARY}@example.org")

    def test_an_email_is_found_by_its_keyed_hash_whatever_its_case(self):
        joined = self.rows["joined"]
        for asked in (f"{CANARY}@example.org", f"  {CANARY.upper()}@Example.ORG "):
            with self.subTest(asked=asked):
                self.assertEqual(list(Member.objects.with_email(asked)), [joined])
        self.assertFalse(Member.objects.with_email("someone.else@example.org").exists())
        self.assertFalse(Member.objects.with_email("").exists())  # no email matches nobody's
        digest = Member.objects.values_list("email_hash", flat=True).get(pk=joined.pk)
        self.assertRegex(digest, r"^[0-9a-f]{64}$")

    def test_a_changed_email_changes_its_hash_and_a_removed_one_clears_it(self):
        joined = self.rows["joined"]
        accounts_services.member_update(member=joined, email="new@example.org", home_area=None)
        self.assertEqual(list(Member.objects.with_email("NEW@example.org")), [joined])
        self.assertFalse(Member.objects.with_email(f"{CANARY}@example.org").exists())
        accounts_services.member_update(member=joined, email="", home_area=None)
        joined.refresh_from_db()
        self.assertEqual((joined.email, joined.email_hash), ("", ""))

    def test_encrypted_columns_cannot_be_searched_or_written_around_the_seal(self):
        with self.assertRaises(TypeError):
            list(Member.objects.filter(email=f"{CANARY}@example.org"))
        with self.assertRaises(TypeError):
            Report.objects.update(details="plaintext by the back door")
        with self.assertRaises(TypeError):
            Vouch.objects.update(note="plaintext by the back door")


class KeyRotationTestCase(BaseTestCase):
    def test_rotation_leaves_nothing_under_an_old_key(self):
        with override_settings(FIELD_KEYS=TEST_FIELD_KEYS.split(",")[0]):  # only the old key, t1
            need = self.claimed_need(details=CANARY)
            services.message_send(need=need, sender=self.volunteer, body=CANARY)
        self.assertTrue(all(v.startswith("t1:") for v in raw_column("aid_need", "details") if v))

        newest = new_key_entry("t3")
        with override_settings(FIELD_KEYS=f"{TEST_FIELD_KEYS},{newest}"):
            out = StringIO()
            call_command("rotate_keys", stdout=out)
            self.assertIn("aid.Need.details: re-sealed 1 of 1 values", out.getvalue())
            self.assertIn("aid.Message.body: re-sealed 1 of 1 values", out.getvalue())
            for table, column in [("aid_need", "details"), ("aid_message", "body")]:
                values = [v for v in raw_column(table, column) if v]
                self.assertTrue(values)
                self.assertTrue(all(v.startswith("t3:") for v in values), values)
            self.assertEqual(Need.objects.get(pk=need.pk).details, CANARY)

        # Once rotated, the old keys can be retired: the values open with the new key alone.
        with override_settings(FIELD_KEYS=newest):
            self.assertEqual(Need.objects.get(pk=need.pk).details, CANARY)
            self.assertEqual(Message.objects.get().body, CANARY)

    def test_rotation_covers_reports_notes_reasons_and_emails(self):
        with override_settings(FIELD_KEYS=TEST_FIELD_KEYS.split(",")[0]):  # only the old key, t1
            write_private_words(self)
        for table, column in SEALED_COLUMNS:
            self.assertTrue(all(v.startswith("t1:") for v in raw_column(table, column) if v))

        newest = new_key_entry("t3")
        with override_settings(FIELD_KEYS=f"{TEST_FIELD_KEYS},{newest}"):
            out = StringIO()
            call_command("rotate_keys", stdout=out)
        for line in [
            "accounts.Member.email: re-sealed 1 of 1 values",
            "accounts.Member.suspension_reason: re-sealed 2 of 2 values",
            "safety.Report.details: re-sealed 2 of 2 values",
            "safety.Report.action_note: re-sealed 2 of 2 values",
            "trust.Vouch.note: re-sealed 3 of 3 values",
            "trust.Vouch.revoke_reason: re-sealed 1 of 1 values",
            "trust.Invite.note: re-sealed 1 of 1 values",
        ]:
            self.assertIn(line, out.getvalue())
        for table, column in SEALED_COLUMNS:
            with self.subTest(table=table, column=column):
                values = [v for v in raw_column(table, column) if v]
                self.assertTrue(values)
                self.assertTrue(all(v.startswith("t3:") for v in values), values)

        # The old keys retired, every value opens with the new key alone; the hash still finds.
        with override_settings(FIELD_KEYS=newest):
            member = Member.objects.with_email(f"{CANARY}@example.org").get()
            self.assertEqual(member.email, f"{CANARY}@example.org")
            self.assertEqual(
                Member.objects.get(pk=self.outsider.pk).suspension_reason, f"Threats, {CANARY}"
            )
            self.assertEqual(
                sorted(Report.objects.values_list("pk", flat=True)),
                sorted(r.pk for r in Report.objects.all() if CANARY in r.details + r.action_note),
            )
            self.assertTrue(all(CANARY in vouch.note for vouch in Vouch.objects.all()))
            self.assertIn(CANARY, Invite.objects.get().note)
        self.assertEqual(columns_holding(CANARY), [])

    def test_a_second_rotation_has_nothing_to_do(self):
        self.claimed_need(details=CANARY)
        call_command("rotate_keys", stdout=StringIO())
        out = StringIO()
        call_command("rotate_keys", stdout=out)
        self.assertIn("re-sealed 0 of 1 values", out.getvalue())


def test_the_key_ring_in_tests_is_valid():
    assert KeyRing.parse(TEST_FIELD_KEYS).newest == "t2"


class RotationWithoutTheOldKeyTestCase(BaseTestCase):
    def test_it_stops_with_a_clear_message_and_loses_nothing(self):
        self.claimed_need(details=CANARY)
        with (
            override_settings(FIELD_KEYS=new_key_entry("t9")),
            self.assertRaisesMessage(CommandError, "Keep every old key"),
        ):
            call_command("rotate-keys", stdout=StringIO())
        self.assertEqual(Need.objects.get().details, CANARY)
