"""Search for organizers: words in public summaries and handles (the database's own full-text
index, on SQLite and PostgreSQL alike), filters, a fixed query count; private text never found."""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutualaid.aid import services as aid
from mutualaid.aid.models import Need, NeedStatus, Priority, Urgency
from mutualaid.dispatch import search
from mutualaid.test import CANARY, BaseTestCase, make_member, share_private_text
from mutualaid.trust.models import Level, Role

MARCH = datetime(2026, 3, 2, 12, 0, tzinfo=ZoneInfo("UTC"))


class SearchTestCase(BaseTestCase):
    url = reverse("dispatch:search")

    def setUp(self):
        self.client.force_login(self.organizer)

    def found(self, **query) -> list[str]:
        response = self.client.get(self.url, query)
        self.assertEqual(response.status_code, 200, response.context["form"].errors)
        return [
            getattr(item, "summary", None) or item.handle
            for item in response.context["page"].object_list
        ]

    def test_it_refuses_who_does_not_see_every_need(self):
        self.client.logout()
        self.assertRedirects(
            self.client.get(self.url), f"{reverse('accounts:login')}?next={self.url}"
        )
        for member in (self.outsider, make_member("newt", level=Level.NEWCOMER)):
            with self.subTest(member=member.handle):
                self.client.force_login(member)
                self.assertEqual(self.client.get(self.url).status_code, 403)
        for role in (Role.TRIAGER, Role.DISPATCHER, Role.SAFETY, Role.ADMIN):
            with self.subTest(role=role):
                self.client.force_login(make_member(f"{role}1", roles=[role]))
                self.assertEqual(self.client.get(self.url, {"q": "x"}).status_code, 200)

    def test_it_finds_words_in_summaries_and_handles(self):
        self.post_need(summary="Winter coats for two children")
        self.post_need(summary="A ride to the pharmacy")
        self.post_offer(summary="I can lend winter boots")
        self.assertEqual(self.found(q="winter"), ["Winter coats for two children"])
        self.assertEqual(self.found(q="WINTER child"), ["Winter coats for two children"])
        self.assertEqual(self.found(q="pharm"), ["A ride to the pharmacy"])  # a word's start
        self.assertEqual(self.found(q="coats pharmacy"), [])
        self.assertEqual(self.found(q="winter", kind="offers"), ["I can lend winter boots"])
        self.assertEqual(self.found(q="vi", kind="members"), ["vic"])
        self.assertEqual(self.found(q='"; DROP TABLE aid_need; --'), [])

    def test_an_edited_summary_is_found_by_its_new_words_only(self):
        need = self.post_need(summary="Soup for the weekend")
        aid.need_edit(need=need, member=self.requester, summary="Bread for the weekend")
        self.assertEqual(self.found(q="soup"), [])
        self.assertEqual(self.found(q="bread"), ["Bread for the weekend"])
        Need.objects.filter(pk=need.pk).update(summary="Milk for the weekend")
        self.assertEqual(self.found(q="milk"), ["Milk for the weekend"])

    def test_private_text_is_never_found(self):
        need = self.claimed_need(summary="Groceries", details=f"Flat 3B {CANARY} zebra")
        share_private_text(need)
        for kind in ("needs", "offers", "members"):
            for words in ("zebra", "canary", "6b1d", "Door code 4471", "Flat 3B"):
                with self.subTest(kind=kind, words=words):
                    self.assertEqual(self.found(q=words, kind=kind), [])
        response = self.client.get(self.url, {"q": "groceries"})
        self.assertNotContains(response, CANARY)

    def test_filters(self):
        with time_machine.travel(MARCH, tick=False):
            old = self.post_need(summary="Old rides need", category=self.rides, area=self.south)
        urgent = self.post_need(summary="Urgent high", urgency=Urgency.TODAY, priority="high")
        held = self.claimed_need(summary="Held by vic")
        aid.need_cancel(need=old, member=self.requester)
        cases = [
            ({"category": "rides"}, ["Old rides need"]),
            ({"area": str(self.south.code)}, ["Old rides need"]),
            ({"status": "cancelled"}, ["Old rides need"]),
            ({"urgency": "today"}, ["Urgent high"]),
            ({"priority": Priority.HIGH}, ["Urgent high"]),
            ({"until": "2026-03-02"}, ["Old rides need"]),
            ({"since": "2026-03-03", "status": NeedStatus.CLAIMED}, [held.summary]),
            ({"volunteer": "@VIC"}, [held.summary]),
            ({"kind": "offers", "volunteer": "vic"}, []),
            ({"kind": "members", "status": "newcomer"}, []),
        ]
        for query, expected in cases:
            with self.subTest(query=query):
                self.assertEqual(self.found(**query), expected)
        self.assertIn(urgent.summary, self.found(q="urgent"))

    def test_bad_filters_get_a_clear_message(self):
        for query, message in [
            ({"kind": "offers", "status": "claimed"}, "Choose a status of the kind"),
            ({"since": "2026-05-01", "until": "2026-04-01"}, "end date comes before"),
            ({"since": "yesterday"}, "Enter a valid date"),
            ({"volunteer": "nobody-here"}, "No active member has that handle"),
            ({"kind": "everything"}, "Select a valid choice"),
            ({"area": "not-a-code"}, "Choose one of the areas listed"),
        ]:
            with self.subTest(query=query):
                response = self.client.get(self.url, query)
                self.assertContains(response, message, status_code=400)

    def test_it_pages_in_a_fixed_number_of_queries(self):
        def measure(kind):
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(
                    self.url, {"q": "help", "kind": kind, "category": "groceries"}
                )
            self.assertTrue(response.context["page"].object_list)
            return len(queries)

        self.post_need(summary="Help with groceries")
        self.post_offer(summary="Help with shopping")
        few = {kind: measure(kind) for kind in ("needs", "offers")}
        for i in range(55):
            self.post_need(summary=f"Help number {i}")
            self.post_offer(summary=f"Help offered {i}", areas=[self.north, self.south])
        self.assertEqual({kind: measure(kind) for kind in ("needs", "offers")}, few)

    def test_the_index_is_rebuilt_when_its_triggers_are_gone(self):
        if connection.vendor != "sqlite":
            self.skipTest("PostgreSQL keeps an index when a migration alters its table")
        self.post_need(summary="Blankets please")
        search.uninstall()
        search.install()
        self.assertEqual(self.found(q="blankets"), ["Blankets please"])
        self.post_need(summary="Blankets again")
        self.assertEqual(len(self.found(q="blankets")), 2)

    def test_it_runs_on_this_database(self):
        """The suite runs on SQLite and, with DATABASE_URL, on PostgreSQL: each its own index."""
        self.assertIn(connection.vendor, ("sqlite", "postgresql"))
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("SELECT name FROM sqlite_master WHERE name = 'dispatch_need_words'")
            else:
                cursor.execute(
                    "SELECT indexname FROM pg_indexes WHERE indexname = 'dispatch_need_words'"
                )
            self.assertIsNotNone(cursor.fetchone())
        self.post_need(summary="Café con leche")
        self.assertEqual(self.found(q="café leche"), ["Café con leche"])
