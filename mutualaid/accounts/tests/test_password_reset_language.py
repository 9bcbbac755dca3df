"""The password reset email speaks the member's language; for a member who chose none, the
language of the page they asked on (real SMTP on 127.0.0.1)."""

import email
from email import policy

from django.test import override_settings
from django.urls import reverse

from mutualaid.accounts.models import Member
from mutualaid.notifications.tests.servers import SMTPServer
from mutualaid.test import BaseTestCase

URL = reverse("accounts:password_reset")


class PasswordResetLanguageTestCase(BaseTestCase):
    def setUp(self):
        self.requester.email = "rosa@example.org"
        self.requester.save(update_fields=["email"])

    def ask(self, **headers) -> tuple[str, str]:
        """Ask for rosa's link; the email's subject and body as she reads them."""
        with (
            SMTPServer() as server,
            override_settings(
                EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                EMAIL_HOST="127.0.0.1",
                EMAIL_PORT=server.port,
            ),
        ):
            self.client.post(URL, {"handle": "rosa"}, headers=headers)
        [(recipients, raw)] = server.messages
        self.assertEqual(recipients, ["rosa@example.org"])
        message = email.message_from_bytes(raw.encode(), policy=policy.default)
        return str(message["Subject"]).strip(), message.get_content().replace("\r\n", "\n")

    def test_asked_on_a_spanish_page_it_is_in_spanish(self):
        subject, body = self.ask(accept_language="es")
        self.assertEqual(subject, "Una nueva contraseña para Mutual Aid")
        self.assertIn("Alguien pidió una nueva contraseña para el alias rosa en Mutual Aid.", body)
        self.assertIn("abre este enlace dentro de 3 días para elegir una nueva contraseña:", body)
        self.assertIn("Si no fuiste tú, ignora este mensaje: tu contraseña sigue igual.", body)

    def test_the_members_own_language_comes_first(self):
        Member.objects.filter(pk=self.requester.pk).update(language="en")
        subject, body = self.ask(accept_language="es")
        self.assertEqual(subject, "A new password for Mutual Aid")
        self.assertIn("If it was not you, ignore this message", body)
        Member.objects.filter(pk=self.requester.pk).update(language="es")
        subject, _body = self.ask()
        self.assertEqual(subject, "Una nueva contraseña para Mutual Aid")
