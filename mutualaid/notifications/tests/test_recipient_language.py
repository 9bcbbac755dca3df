"""Emails and chat messages speak the recipient's language (``Member.language``, else the
network's), whatever the language of the request or the worker that sends them: a real SMTP
server and a chat endpoint on 127.0.0.1. The admins' daily summary speaks the network's."""

import email
from datetime import datetime, timedelta
from email import policy
from zoneinfo import ZoneInfo

import time_machine
from django.test import override_settings
from django.utils import timezone, translation

from mutualaid.accounts.models import Member
from mutualaid.notifications import alerts, services
from mutualaid.notifications.models import EMAIL, Mode
from mutualaid.notifications.tests.servers import ChatEndpoint, SMTPServer
from mutualaid.test import BaseTestCase

SITE = "https://aid.example.org"
MORNING = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("UTC"))


def read(raw: str) -> tuple[str, str]:
    """An email's subject and body as its reader sees them (decoded)."""
    message = email.message_from_bytes(raw.encode(), policy=policy.default)
    return str(message["Subject"]).strip(), message.get_content().replace("\r\n", "\n")


@override_settings(SITE_URL=SITE)
class RecipientLanguageTestCase(BaseTestCase):
    def setUp(self):
        self.requester.email = "rosa@example.org"
        self.requester.save(update_fields=["email"])

    def speaks(self, member, language):
        Member.objects.filter(pk=member.pk).update(language=language)

    def smtp(self, server):
        return override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=server.port,
        )

    def test_a_spanish_speaker_gets_a_spanish_email_from_an_english_request(self):
        self.speaks(self.requester, "es")
        with SMTPServer() as server, self.smtp(server), self.captureOnCommitCallbacks(execute=True):
            need = self.claimed_need()  # notifies the requester: need_claimed
        [(recipients, raw)] = server.messages
        subject, body = read(raw)
        self.assertEqual(recipients, ["rosa@example.org"])
        self.assertEqual(subject, "[Mutual Aid] Un voluntario se encargó de tu necesidad")
        self.assertIn("Un voluntario se encargó de tu necesidad\n", body)
        self.assertIn(f"Tipo de ayuda: {need.category.name}\n", body)
        self.assertIn(f"Zona: {need.area.name}\n", body)
        self.assertIn("Urgencia: En 1 o 2 días\n", body)
        self.assertIn(f"Dejar de recibir correos como este: {SITE}/unsubscribe/", body)
        self.assertIn(f"Cómo te avisa Mutual Aid: {SITE}/", body)
        self.assertNotIn("Kind of help", body)
        self.assertEqual(translation.get_language(), "en")  # the request's, untouched

    def test_an_english_speaker_gets_english_from_a_spanish_worker(self):
        self.speaks(self.requester, "en")
        with (
            SMTPServer() as server,
            self.smtp(server),
            translation.override("es"),
            self.captureOnCommitCallbacks(execute=True),
        ):
            self.claimed_need()
        [(_recipients, raw)] = server.messages
        subject, body = read(raw)
        self.assertEqual(subject, "[Mutual Aid] A volunteer has taken on your need")
        self.assertIn("Urgency: In 1–2 days\n", body)
        self.assertNotIn("Urgencia", body)

    def test_a_member_who_chose_none_gets_the_networks_language(self):
        with (
            override_settings(LANGUAGE_CODE="es"),
            SMTPServer() as server,
            self.smtp(server),
            translation.override("en"),
            self.captureOnCommitCallbacks(execute=True),
        ):
            self.claimed_need()
        [(_recipients, raw)] = server.messages
        self.assertEqual(read(raw)[0], "[Mutual Aid] Un voluntario se encargó de tu necesidad")

    def test_a_spanish_speakers_chat_message_is_in_spanish(self):
        self.speaks(self.requester, "es")
        with ChatEndpoint() as endpoint:
            services.chat_url_set(member=self.requester, url=endpoint.url("rosa"))
            with self.captureOnCommitCallbacks(execute=True):
                need = self.claimed_need()
        [(_path, post)] = [post for post in endpoint.posts if post[0] == "/rosa"]
        self.assertEqual(post["title"], "Un voluntario se encargó de tu necesidad")
        self.assertIn(f"Tipo de ayuda: {need.category.name}", post["message"])
        self.assertIn("Urgencia: En 1 o 2 días", post["message"])

    def test_a_spanish_speakers_daily_digest_is_in_spanish(self):
        self.speaks(self.requester, "es")
        services.preferences_set(
            member=self.requester, modes={("need_claimed", EMAIL): Mode.DIGEST}
        )
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            self.claimed_need()
        with (
            SMTPServer() as server,
            self.smtp(server),
            time_machine.travel(start + timedelta(hours=1), tick=False),
        ):
            self.assertEqual(services.digests_send(), 1)
        [(_recipients, raw)] = server.messages
        subject, body = read(raw)
        self.assertEqual(subject, "[Mutual Aid] Tu resumen diario: 1 aviso")
        self.assertIn("Un voluntario se encargó de tu necesidad\n", body)


@override_settings(SITE_URL=SITE)
class OrganizerSummaryLanguageTestCase(BaseTestCase):
    """The admins' chat is shared: the summary speaks the network's language, not that of the
    admin who set the address, nor the worker's."""

    def summary(self):
        with ChatEndpoint() as endpoint, time_machine.travel(MORNING, tick=False):
            alerts.organizer_hook_set(by=self.organizer, url=endpoint.url("organizers"))
            self.assertTrue(alerts.organizer_summary_send())
        [(_path, post)] = endpoint.posts
        return post

    def test_in_the_networks_language(self):
        Member.objects.filter(pk=self.organizer.pk).update(language="en")
        with override_settings(LANGUAGE_CODE="es"), translation.override("en"):
            post = self.summary()
        self.assertEqual(post["title"], "Resumen diario de Mutual Aid")
        self.assertIn("Necesidades abiertas: 0", post["message"])

    def test_not_in_the_workers(self):
        with translation.override("es"):
            post = self.summary()
        self.assertEqual(post["title"], "Daily summary of Mutual Aid")
        self.assertIn("Needs open: 0", post["message"])
