"""Emails and chat messages name the network as its admins named it, not the server's SITE_NAME,
from the next message on after a rename."""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail
from django.test import override_settings

from mutualaid.lib import network_name
from mutualaid.network import services as network
from mutualaid.notifications import alerts
from mutualaid.notifications.tests.servers import ChatEndpoint
from mutualaid.test import BaseTestCase

NEW_NAME = "Eastside Mutual Aid"
MORNING = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("UTC"))


@override_settings(
    SITE_URL="https://aid.example.org",
    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
)
class NetworkNameInMessagesTestCase(BaseTestCase):
    def rename(self, name=NEW_NAME):
        self.assertEqual(network_name.get(), "Mutual Aid")  # kept, as a server keeps it
        with self.captureOnCommitCallbacks(execute=True):
            network.network_settings_update(by=self.organizer, name=name)

    def test_an_email_notice_names_the_network_in_its_subject_and_body(self):
        self.requester.email = "rae@example.org"
        self.requester.save(update_fields=["email"])
        self.rename()
        with self.captureOnCommitCallbacks(execute=True):
            self.claimed_need()  # notifies the requester: need_claimed, by email at once
        [email] = mail.outbox
        self.assertEqual(email.subject, f"[{NEW_NAME}] A volunteer has taken on your need")
        self.assertIn(f"How {NEW_NAME} tells you things:", email.body)
        self.assertNotIn("[Mutual Aid]", email.subject)

    def test_the_daily_summary_in_the_admins_chat_names_the_network(self):
        self.rename()
        with ChatEndpoint() as endpoint, time_machine.travel(MORNING, tick=False):
            alerts.organizer_hook_set(by=self.organizer, url=endpoint.url("organizers"))
            self.assertTrue(alerts.organizer_summary_send())
        [(_path, body)] = endpoint.posts
        self.assertEqual(body["title"], f"Daily summary of {NEW_NAME}")
