from io import StringIO

from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from conftest import TEST_FIELD_KEYS
from mutualaid.aid import services
from mutualaid.aid.models import ContactShare, Message, Need
from mutualaid.lib.crypto import KeyRing, SealError, new_key_entry
from mutualaid.test import BaseTestCase

CANARY = "canary-7f3a-evicted-on-friday"


def raw_column(table, column):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608 (fixed names)
        return [row[0] for row in cursor.fetchall()]


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
