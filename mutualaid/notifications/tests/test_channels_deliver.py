"""Email by real SMTP (aiosmtpd) and chat by apprise to a local HTTP endpoint, through the outbox;
a far end that is down is retried with backoff and failed for good at last."""

from datetime import timedelta

import time_machine
from django.test import override_settings
from django.utils import timezone

from mutualaid.accounts import services as accounts
from mutualaid.accounts.models import Delivery, DeliveryStatus
from mutualaid.lib import channels
from mutualaid.notifications import services
from mutualaid.notifications.models import CHAT, EMAIL, Mode
from mutualaid.notifications.tests.servers import ChatEndpoint, SMTPServer, free_port
from mutualaid.test import BaseTestCase

SITE = "https://aid.example.org"


@override_settings(SITE_URL=SITE)
class ChannelsDeliverTestCase(BaseTestCase):
    def test_an_email_goes_through_smtp_with_the_public_facts_and_an_unsubscribe_link(self):
        self.requester.email = "rae@example.org"
        self.requester.save(update_fields=["email"])
        with SMTPServer() as smtp, override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=smtp.port,
        ), self.captureOnCommitCallbacks(execute=True):
            need = self.claimed_need()  # notifies the requester: need_claimed
        delivery = Delivery.objects.get(notice__member=self.requester, channel=EMAIL)
        self.assertEqual((delivery.status, delivery.attempts), (DeliveryStatus.SENT, 1))
        self.assertEqual(len(smtp.messages), 1)
        recipients, raw = smtp.messages[0]
        self.assertEqual(recipients, ["rae@example.org"])
        self.assertIn("A volunteer has taken on your need", raw)
        self.assertIn(f"{SITE}/needs/{need.code}/", raw.replace("=\n", ""))
        self.assertIn(f"{SITE}/unsubscribe/", raw)
        self.assertIn("List-Unsubscribe-Post: List-Unsubscribe=One-Click", raw)
        self.assertNotIn(need.summary, raw)

    def test_a_member_without_email_gets_no_email_row(self):
        self.claimed_need()
        self.assertFalse(Delivery.objects.filter(channel=EMAIL).exists())

    def test_a_chat_message_reaches_the_members_apprise_url(self):
        with ChatEndpoint() as endpoint:
            services.chat_url_set(member=self.requester, url=endpoint.url("rae"))
            with self.captureOnCommitCallbacks(execute=True):
                need = self.claimed_need()
        delivery = Delivery.objects.get(notice__member=self.requester, channel=CHAT)
        self.assertEqual(delivery.status, DeliveryStatus.SENT)
        self.assertEqual(len(endpoint.posts), 1)
        path, body = endpoint.posts[0]
        self.assertEqual(path, "/rae")
        self.assertEqual(body["title"], "A volunteer has taken on your need")
        self.assertIn(f"Kind of help: {need.category.name}", body["message"])
        self.assertIn(f"Area: {need.area.name}", body["message"])
        self.assertIn(f"{SITE}/needs/{need.code}/", body["message"])
        self.assertNotIn(need.summary, body["message"])

    def test_never_turns_a_channel_off_for_that_kind(self):
        with ChatEndpoint() as endpoint:
            services.chat_url_set(member=self.requester, url=endpoint.url())
            services.preferences_set(
                member=self.requester, modes={("need_claimed", CHAT): Mode.NEVER}
            )
            self.claimed_need()
        self.assertFalse(Delivery.objects.filter(channel=CHAT).exists())

    def test_an_endpoint_that_is_down_is_retried_then_failed_for_good(self):
        down = f"json://127.0.0.1:{free_port()}/hook"  # nobody listens there
        services.chat_url_set(member=self.requester, url=down)
        self.claimed_need()
        delivery = Delivery.objects.get(channel=CHAT)
        now = timezone.now()
        for attempt in range(1, channels.MAX_ATTEMPTS + 1):
            with time_machine.travel(now, tick=False):
                self.assertEqual(accounts.deliveries_send(delivery_ids=[delivery.pk]), 0)
            delivery.refresh_from_db()
            self.assertEqual(delivery.attempts, attempt)
            self.assertEqual(delivery.error, "ConnectionError")
            now = delivery.next_attempt_at + timedelta(seconds=1)
        self.assertEqual(delivery.status, DeliveryStatus.FAILED)
