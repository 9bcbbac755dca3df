"""need_post's statements: the network's settings read once (or handed in), its two timeline
events in one INSERT, and nothing looked up for an idempotency key it was not given."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mutualaid.aid import services
from mutualaid.aid.models import EventKind, NeedStatus, TimelineEvent, Urgency
from mutualaid.network.models import NetworkSettings
from mutualaid.test import BaseTestCase


class NeedPostWritesTestCase(BaseTestCase):
    def take_in(self, **values):
        return services.need_post(
            requester=self.requester,
            category=self.groceries,
            area=self.north,
            summary="Groceries for a family of four",
            details="Flat 3B",
            urgency=Urgency.SOON,
            taken_in_by=self.organizer,
            **values,
        )

    def statements(self, queries, table):
        return [
            query["sql"].split()[0]
            for query in queries.captured_queries
            if f'"{table}"' in query["sql"]
        ]

    def test_it_reads_the_networks_settings_once(self):
        NetworkSettings.load()  # the row a network has
        self.organizer.roles  # noqa: B018 (read once, as a view's request would)
        with CaptureQueriesContext(connection) as queries:
            self.take_in()

        self.assertEqual(self.statements(queries, "network_networksettings"), ["SELECT"])
        self.assertEqual(self.statements(queries, "aid_need"), ["INSERT"])

    def test_settings_handed_in_are_not_read_again(self):
        network = NetworkSettings.load()
        network.triage_first = True
        self.organizer.roles  # noqa: B018
        with CaptureQueriesContext(connection) as queries:
            need = self.take_in(network=network)

        self.assertEqual(self.statements(queries, "network_networksettings"), [])
        self.assertEqual(need.status, NeedStatus.TRIAGE)  # the settings handed in, obeyed

    def test_posted_and_taken_in_are_written_in_one_insert(self):
        with CaptureQueriesContext(connection) as queries:
            need = self.take_in()

        self.assertEqual(self.statements(queries, "aid_timelineevent"), ["INSERT"])
        events = TimelineEvent.objects.filter(need=need).order_by("pk")
        self.assertEqual(
            [(event.kind, event.actor) for event in events],
            [(EventKind.NEED_POSTED, self.requester), (EventKind.NEED_TAKEN_IN, self.organizer)],
        )
