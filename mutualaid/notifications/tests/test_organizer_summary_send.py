"""The organizers' daily summary reaches the admins' chat address once a day: counts and links,
never private text (the canary) nor a need's summary."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.test import override_settings

from mutualaid.aid.models import Urgency
from mutualaid.lib.refusal import Refusal
from mutualaid.notifications import alerts
from mutualaid.notifications.models import OrganizerHook
from mutualaid.notifications.tests.servers import ChatEndpoint, free_port
from mutualaid.safety import services as safety
from mutualaid.safety.models import Reason
from mutualaid.test import CANARY, BaseTestCase, make_member
from mutualaid.trust.models import Level

SITE = "https://aid.example.org"
MORNING = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("UTC"))


@override_settings(SITE_URL=SITE)
class OrganizerSummarySendTestCase(BaseTestCase):
    def test_the_summary_carries_counts_and_links_and_no_private_text(self):
        make_member("newt", level=Level.NEWCOMER)
        with time_machine.travel(MORNING - timedelta(hours=3), tick=False):
            urgent = self.post_need(urgency=Urgency.TODAY, summary="Insulin pickup for Ana")
            self.post_need(summary="Groceries for a family of four")
            safety.report_file(
                reporter=self.volunteer, reason=Reason.SCAM, need=urgent, details=CANARY
            )
        with ChatEndpoint() as endpoint, time_machine.travel(MORNING, tick=False):
            alerts.organizer_hook_set(by=self.organizer, url=endpoint.url("organizers"))
            self.assertTrue(alerts.organizer_summary_send())
            self.assertFalse(alerts.organizer_summary_send())  # once a day
        self.assertEqual(len(endpoint.posts), 1)
        path, body = endpoint.posts[0]
        self.assertEqual(path, "/organizers")
        self.assertEqual(body["title"], "Daily summary of Mutual Aid")
        text = body["message"]
        self.assertIn(f"Needs open: 2 — {SITE}/needs/", text)
        self.assertIn("Urgent needs nobody has taken on: 1", text)
        self.assertIn(f"New safety reports (last 24 hours): 1 — {SITE}/safety/reports/", text)
        self.assertIn("Newcomers waiting for a vouch: 1", text)
        for private in (CANARY, "Insulin", "Groceries", "rosa", "vic", str(urgent.code)):
            self.assertNotIn(private, str(body))

    def test_nothing_before_the_daily_hour_nor_without_an_address(self):
        with time_machine.travel(MORNING, tick=False):
            self.assertFalse(alerts.organizer_summary_send())
        with ChatEndpoint() as endpoint:
            alerts.organizer_hook_set(by=self.organizer, url=endpoint.url())
            with time_machine.travel(MORNING.replace(hour=7), tick=False):
                self.assertFalse(alerts.organizer_summary_send())
        self.assertEqual(endpoint.posts, [])

    def test_a_chat_service_that_is_down_is_tried_again_at_the_next_tick(self):
        alerts.organizer_hook_set(by=self.organizer, url=f"json://127.0.0.1:{free_port()}/x")
        with time_machine.travel(MORNING, tick=False):
            self.assertFalse(alerts.organizer_summary_send())
        with ChatEndpoint() as endpoint:
            alerts.organizer_hook_set(by=self.organizer, url=endpoint.url())
            with time_machine.travel(MORNING + timedelta(minutes=5), tick=False):
                self.assertTrue(alerts.organizer_summary_send())
        self.assertEqual(len(endpoint.posts), 1)

    @override_settings(CHAT_ALLOW_PRIVATE_HOSTS=False)
    def test_it_refuses_an_address_on_a_private_network(self):
        with self.assertRaises(Refusal):
            alerts.organizer_hook_set(by=self.organizer, url="json://127.0.0.1:9/hook")
        self.assertFalse(OrganizerHook.objects.exists())

    def test_only_an_admin_sets_the_address(self):
        with self.assertRaises(Refusal):
            alerts.organizer_hook_set(by=self.volunteer, url="json://127.0.0.1:9/hook")
        self.assertFalse(OrganizerHook.objects.exists())

    def test_the_address_is_sealed_in_the_database(self):
        alerts.organizer_hook_set(by=self.organizer, url="json://127.0.0.1:9/secret-hook")
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT url FROM notifications_organizerhook")
            (stored,) = cursor.fetchone()
        self.assertNotIn("secret-hook", stored)
        self.assertEqual(alerts.organizer_hook_url(), "json://127.0.0.1:9/secret-hook")
