"""A write the database refuses (its disk is full, or it is read-only) gets the 503 page, keeps
everything written before, and works again, the same form, once there is room.

SQLite is made full for real: ``PRAGMA max_page_count`` at the database's size, after a VACUUM
has left no free page inside it, so the next write that needs a page fails with SQLITE_FULL; and
read-only with ``PRAGMA query_only``. Both are settings of this connection, which the test
client's requests use too. These are TransactionTestCases: SQLite may roll a whole transaction
back on SQLITE_FULL, which a TestCase's own transaction would not survive, and a server commits.

PostgreSQL's disk cannot be filled here: a trigger raises the errors a full disk and a read-only
database raise (SQLSTATE 53100 and 25006), through psycopg, in a real request.
"""

import uuid
from datetime import timedelta
from unittest import skipUnless

import time_machine
from django.conf import settings
from django.db import IntegrityError, connection
from django.test import TestCase, TransactionTestCase
from django.urls import reverse
from django.utils import timezone

from mutualaid.aid.models import Category, EventKind, Message, Need, Offer
from mutualaid.aid.services import message_send, need_claim, need_post
from mutualaid.lib.disk_full import RETRY_AFTER, cannot_write
from mutualaid.test import BaseTestCase, make_areas, make_member, snapshot

NOT_SAVED = "Nothing you sent was saved; what was saved before is safe."
LOGGER = "mutualaid.lib.disk_full"


def need_form(area, **changes):
    """The posting form as a browser sends it, with its one-time key; long private details, so
    that the need takes new pages of the database."""
    data = {
        "category": "groceries",
        "summary": "Milk and bread for two",
        "details": "Ring the bell twice, then wait a little. " * 95,
        "area": str(area.code),
        "urgency": "soon",
        "needed_by": "",
        "idempotency_key": str(uuid.uuid4()),
    }
    data.update(changes)
    return data


def assert_not_saved_page(test, response):
    test.assertContains(response, "We could not save this", status_code=503)
    test.assertContains(response, NOT_SAVED, status_code=503)
    test.assertContains(response, "try again later", status_code=503)
    test.assertEqual(response["Retry-After"], str(RETRY_AFTER))


@skipUnless(connection.vendor == "sqlite", "SQLite's own limits")
class SQLiteDiskFullTestCase(TransactionTestCase):
    # The flush after each test would otherwise wipe the seeded categories for the tests after it.
    serialized_rollback = True

    def setUp(self):
        self.north, *_ = make_areas()
        self.requester = make_member("rosa", area=self.north)
        self.volunteer = make_member("vic", area=self.north)
        self.client.force_login(self.requester)
        self.addCleanup(self.make_room)

    def fill_the_disk(self):
        """No free page left inside the database, and no room to add one."""
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA page_count")
            (pages,) = cursor.fetchone()
            cursor.execute(f"PRAGMA max_page_count = {pages}")

    def make_room(self):
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA max_page_count = 1073741823")
            cursor.execute("PRAGMA query_only = OFF")

    def post_need(self, data, **headers):
        return self.client.post(reverse("aid:need_new"), data, **headers)

    def test_a_full_disk_gets_the_503_page_and_loses_nothing_written_before(self):
        first = self.post_need(need_form(self.north, summary="Milk for Monday"))
        self.assertEqual(first.status_code, 302)
        before = snapshot()
        self.fill_the_disk()

        with self.assertLogs(LOGGER, "ERROR") as logs:
            response = self.post_need(need_form(self.north))

        assert_not_saved_page(self, response)
        self.assertEqual(snapshot(), before)
        self.assertEqual(Need.objects.get().summary, "Milk for Monday")
        self.assertIn("could not write (disk full): POST /needs/new/", logs.output[0])

    def test_once_there_is_room_the_same_form_posts_its_need_once(self):
        data = need_form(self.north)
        self.fill_the_disk()
        with self.assertLogs(LOGGER, "ERROR"):
            self.assertEqual(self.post_need(data).status_code, 503)
        self.assertEqual(Need.objects.count(), 0)

        self.make_room()
        response = self.post_need(data, follow=True)
        need = Need.objects.get()
        self.assertRedirects(response, reverse("aid:need", args=[need.code]))
        self.assertContains(response, "Your need is posted.")
        self.assertEqual(need.events.filter(kind=EventKind.NEED_POSTED).count(), 1)

    def test_a_read_only_database_gets_the_503_page_too(self):
        before = snapshot()
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA query_only = ON")
        offer = {
            "summary": "A car and a free afternoon",
            "categories": ["rides"],
            "areas": [str(self.north.code)],
            "kind": "ongoing",
            "idempotency_key": str(uuid.uuid4()),
        }

        with self.assertLogs(LOGGER, "ERROR") as logs:
            response = self.client.post(reverse("aid:offer_new"), offer)

        assert_not_saved_page(self, response)
        self.assertIn("(read-only)", logs.output[0])
        self.make_room()
        self.assertEqual(snapshot(), before)
        self.assertEqual(self.client.post(reverse("aid:offer_new"), offer).status_code, 302)
        self.assertEqual(Offer.objects.count(), 1)

    def test_a_member_reading_while_the_database_is_read_only_is_not_refused(self):
        board = reverse("aid:board")
        with time_machine.travel(timezone.now() + timedelta(days=1)):  # a renewal is due
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA query_only = ON")
            with self.assertLogs("mutualaid.lib.sessions", "WARNING"):
                self.assertEqual(self.client.get(board).status_code, 200)
            self.make_room()
            self.assertIn(settings.SESSION_COOKIE_NAME, self.client.get(board).cookies)

    def test_an_htmx_message_gets_the_sentence_in_the_notice_area(self):
        need = need_post(
            requester=self.requester,
            category=Category.objects.get(slug="groceries"),
            area=self.north,
            summary="Groceries",
            urgency="today",
        )
        need_claim(need=need, member=self.volunteer)
        # Long enough that the message table's page has no room for another one like it.
        message_send(need=need, sender=self.requester, body="See you at six. " * 120)
        before = snapshot()
        self.fill_the_disk()

        with self.assertLogs(LOGGER, "ERROR"):
            response = self.client.post(
                reverse("aid:need_message", args=[need.code]),
                {"body": "The door code is 4471. " * 80, "idempotency_key": str(uuid.uuid4())},
                HTTP_HX_REQUEST="true",
            )

        self.assertContains(response, NOT_SAVED, status_code=503)
        self.assertNotContains(response, "<html", status_code=503)
        self.assertEqual(response["HX-Retarget"], "#flash")
        self.assertEqual(response["HX-Reswap"], "innerHTML")
        self.assertEqual(snapshot(), before)
        self.assertEqual(Message.objects.count(), 1)


@skipUnless(connection.vendor == "postgresql", "PostgreSQL's own errors")
class PostgresDiskFullTestCase(BaseTestCase):
    def refuse_inserts(self, table, errcode):
        """Every insert into ``table`` fails as PostgreSQL fails it with ``errcode`` (dropped
        with the test's transaction)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE FUNCTION refuse_insert() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN RAISE EXCEPTION 'refused for the test' USING ERRCODE = '{errcode}'; END $$"
            )
            cursor.execute(
                f"CREATE TRIGGER refuse_insert BEFORE INSERT ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION refuse_insert()"
            )

    def setUp(self):
        self.client.force_login(self.requester)

    def test_disk_full_gets_the_503_page_and_keeps_what_was_saved(self):
        earlier = self.post_need(summary="Milk for Monday")
        before = snapshot()
        self.refuse_inserts("aid_need", "disk_full")

        with self.assertLogs(LOGGER, "ERROR") as logs:
            response = self.client.post(reverse("aid:need_new"), need_form(self.north))

        assert_not_saved_page(self, response)
        self.assertIn("(disk full)", logs.output[0])
        self.assertEqual(snapshot(), before)
        self.assertEqual(Need.objects.get().pk, earlier.pk)

    def test_a_read_only_database_gets_the_503_page(self):
        need = self.claimed_need()
        before = snapshot()
        self.refuse_inserts("aid_message", "read_only_sql_transaction")
        url = reverse("aid:need_message", args=[need.code])

        with self.assertLogs(LOGGER, "ERROR") as logs:
            response = self.client.post(url, {"body": "See you at six"})

        assert_not_saved_page(self, response)
        self.assertIn("(read-only)", logs.output[0])
        self.assertEqual(snapshot(), before)


class CannotWriteTestCase(TestCase):
    def test_other_errors_are_not_a_full_disk(self):
        area = make_areas()[0]
        try:
            type(area).objects.create(code=area.code, name="Elsewhere")
        except IntegrityError as exc:
            self.assertIsNone(cannot_write(exc))
        else:
            self.fail("a second area with the same code was saved")
        self.assertIsNone(cannot_write(ValueError("database or disk is full")))
