from datetime import timedelta

import time_machine
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from mutualaid.accounts.models import Delivery
from mutualaid.notifications import services, tasks
from mutualaid.notifications.models import EMAIL, Digest, DigestStatus, Mode
from mutualaid.test import BaseTestCase


@override_settings(
    SITE_URL="https://aid.example.org",
    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
)
class DigestsSendTestCase(BaseTestCase):
    def setUp(self):
        self.requester.email = "rae@example.org"
        self.requester.save(update_fields=["email"])
        services.preferences_set(
            member=self.requester, modes={("need_claimed", EMAIL): Mode.DIGEST}
        )

    def test_digest_kinds_wait_for_one_daily_email(self):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            need = self.claimed_need()
        self.assertFalse(Delivery.objects.filter(channel=EMAIL).exists())
        self.assertEqual(mail.outbox, [])
        with time_machine.travel(start + timedelta(hours=1), tick=False):
            self.assertEqual(tasks.send_digests.enqueue().return_value, 1)
            self.assertEqual(services.digests_send(), 0)  # one a day, never twice
        self.assertEqual(len(mail.outbox), 1)
        email = mail.outbox[0]
        self.assertEqual(email.to, ["rae@example.org"])
        self.assertIn("Your daily digest: 1 notice", email.subject)
        self.assertIn("A volunteer has taken on your need", email.body)
        self.assertIn(f"https://aid.example.org/needs/{need.code}/", email.body)
        self.assertIn("https://aid.example.org/unsubscribe/", email.body)
        self.assertNotIn(need.summary, email.body)
        digest = Digest.objects.get()
        self.assertEqual((digest.status, digest.notice_count), (DigestStatus.SENT, 1))

    def test_the_call_that_makes_a_digest_sends_it_on_a_running_clock(self):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            self.claimed_need()
        with time_machine.travel(start + timedelta(hours=1), tick=True):
            self.assertEqual(services.digests_send(), 1)
        self.assertEqual(len(mail.outbox), 1)

    def test_a_day_with_nothing_sends_nothing(self):
        self.assertEqual(services.digests_send(), 0)
        self.assertEqual(mail.outbox, [])
