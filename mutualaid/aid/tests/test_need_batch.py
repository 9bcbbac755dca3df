"""NeedBatch: needs an organizer records many at once (an import), each meeting need_post's rules
as it is added, and all written together with their timeline rows."""

from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from mutualaid.accounts.models import Level
from mutualaid.aid import services
from mutualaid.aid.models import EventKind, Need, NeedStatus, TimelineEvent, Urgency
from mutualaid.lib.refusal import Refusal
from mutualaid.network.models import NetworkSettings
from mutualaid.test import BaseTestCase, changes_nothing, make_member
from mutualaid.trust.models import Role


class NeedBatchTestCase(BaseTestCase):
    def setUp(self):
        cache.clear()

    def add(self, batch, **values):
        fields = {
            "requester": self.requester,
            "category": self.groceries,
            "area": self.north,
            "summary": "Groceries for a family of four",
            "details": "Flat 3B, ring twice.",
            "urgency": Urgency.SOON,
        }
        return batch.add(**{**fields, **values})

    def refused(self, batch, code, **values):
        with self.assertRaises(Refusal) as refusal:
            self.add(batch, **values)
        self.assertEqual(refusal.exception.code, code)

    def test_each_need_meets_need_posts_rules_as_it_is_added(self):
        batch = services.NeedBatch(taken_in_by=self.organizer)
        suspended = make_member("sam", level=Level.SUSPENDED)
        with changes_nothing(self):
            self.refused(batch, "personal_details", summary="Call me on 415-555-2671")
            self.refused(batch, "empty", summary="  ")
            self.refused(batch, "too_long", details="x" * 20_000)
            self.refused(batch, "invalid", urgency="yesterday")
            self.refused(batch, "suspended", requester=suspended)
        self.assertEqual(batch.needs, [])  # a refused need is not kept

    def test_only_organizers_who_take_calls_record_them(self):
        batch = services.NeedBatch(taken_in_by=self.volunteer)
        with changes_nothing(self):
            self.refused(batch, "forbidden")

    @override_settings(RATE_LIMITS={"newcomer-posts": (1, 3600)})
    def test_the_newcomers_limit_counts_against_the_organizer_who_is_free_of_it(self):
        newcomer = make_member("nia", level=Level.NEWCOMER)
        dispatcher = make_member("dani", level=Level.NEWCOMER, roles=[Role.DISPATCHER])
        batch = services.NeedBatch(taken_in_by=dispatcher)
        for _n in range(3):
            self.add(batch, requester=newcomer)
        batch.write()
        self.assertEqual(Need.objects.filter(requester=newcomer).count(), 3)

    def test_it_writes_the_needs_and_their_timelines_in_one_insert_each(self):
        NetworkSettings.load()
        self.organizer.roles  # noqa: B018 (read once, as the importer's are)
        batch = services.NeedBatch(taken_in_by=self.organizer)
        added = [self.add(batch, summary=f"Groceries, week {n}") for n in range(5)]
        self.assertFalse(Need.objects.exists())  # nothing written until write()

        with CaptureQueriesContext(connection) as queries:
            written = batch.write()

        statements = [query["sql"].split()[0] for query in queries.captured_queries]
        self.assertEqual(statements, ["INSERT", "INSERT"])
        self.assertEqual(written, added)
        for need in written:
            need.refresh_from_db()
            self.assertEqual(need.status, NeedStatus.OPEN)
            self.assertEqual(need.details, "Flat 3B, ring twice.")
            self.assertEqual(
                [(e.kind, e.actor_id) for e in need.events.order_by("pk")],
                [
                    (EventKind.NEED_POSTED, self.requester.pk),
                    (EventKind.NEED_TAKEN_IN, self.organizer.pk),
                ],
            )
        self.assertEqual(TimelineEvent.objects.count(), 10)

    def test_the_details_are_sealed_as_need_posts_are(self):
        batch = services.NeedBatch(taken_in_by=self.organizer)
        self.add(batch, details="Door code 4471")
        batch.write()
        with connection.cursor() as cursor:
            cursor.execute("SELECT details FROM aid_need")
            (stored,) = cursor.fetchone()
        self.assertNotIn("4471", stored)
        self.assertEqual(Need.objects.get().details, "Door code 4471")

    def test_triage_first_applies(self):
        network = NetworkSettings.load()
        network.triage_first = True
        batch = services.NeedBatch(taken_in_by=self.organizer, network=network)
        self.add(batch)
        batch.write()
        self.assertEqual(Need.objects.get().status, NeedStatus.TRIAGE)

    def test_the_same_need_posted_alone_is_the_same(self):
        batch = services.NeedBatch(taken_in_by=self.organizer)
        self.add(batch)
        (together,) = batch.write()
        alone = self.post_need(details="Flat 3B, ring twice.", taken_in_by=self.organizer)
        fields = ["status", "requester", "category", "area", "summary", "details", "urgency"]
        fields += ["priority", "visibility", "anonymous", "recurrence", "needed_by"]
        together.refresh_from_db()
        alone.refresh_from_db()
        self.assertEqual(
            {name: getattr(together, name) for name in fields},
            {name: getattr(alone, name) for name in fields},
        )
