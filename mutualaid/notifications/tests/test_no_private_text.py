"""Every kind of notice, on every channel, with the canary in every private field: emails and chat
messages carry the kind's public words, the need's category, area and urgency, and a link only."""

from django.core import mail
from django.test import override_settings

from mutualaid.accounts import services as accounts
from mutualaid.accounts.models import Delivery, DeliveryStatus
from mutualaid.lib import notices
from mutualaid.notifications import services
from mutualaid.notifications.models import CHAT, EMAIL
from mutualaid.notifications.tests.servers import ChatEndpoint
from mutualaid.test import CANARY, BaseTestCase, make_member, share_private_text

# Stored in clear (so in the SQL log, where the suite forbids CANARY): canaries of their own.
HANDLE = "hidden-handle-7q"
SUMMARY = "summary-word-9z"


@override_settings(
    SITE_URL="https://aid.example.org",
    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
)
class NoPrivateTextTestCase(BaseTestCase):
    def test_no_kind_carries_private_text_to_any_channel(self):
        anonymous = make_member(HANDLE, area=self.north)  # an anonymous requester's handle
        need = self.claimed_need(requester=anonymous, anonymous=True, summary=f"Food {SUMMARY}")
        share_private_text(need)  # messages both ways and a shared contact, each with the canary
        member = self.volunteer
        member.email = "vic@example.org"
        member.suspension_reason = f"Reason {CANARY}"
        member.save(update_fields=["email", "suspension_reason"])
        private = {
            key: f"{key} {CANARY}"
            for key in ("summary", "text", "reason", "subject", "note", "details", "body")
        }
        with ChatEndpoint() as endpoint:
            services.chat_url_set(member=member, url=endpoint.url())
            Delivery.objects.all().delete()
            mail.outbox.clear()
            for kind in notices.KINDS:
                accounts.notify(
                    member=member, kind=kind, need=need.code, voucher=HANDLE, **private
                )
            accounts.deliveries_send()
        kinds = len(notices.KINDS)
        self.assertEqual(
            Delivery.objects.filter(status=DeliveryStatus.SENT, channel=EMAIL).count(), kinds
        )
        self.assertEqual(
            Delivery.objects.filter(status=DeliveryStatus.SENT, channel=CHAT).count(), kinds
        )
        self.assertEqual(len(mail.outbox), kinds)
        self.assertEqual(len(endpoint.posts), kinds)
        for email in mail.outbox:
            for canary in (CANARY, HANDLE, SUMMARY):
                self.assertNotIn(canary, email.message().as_string())
            self.assertIn("Kind of help: Groceries", email.body)
            self.assertIn("https://aid.example.org/", email.body)
        for _path, body in endpoint.posts:
            for canary in (CANARY, HANDLE, SUMMARY):
                self.assertNotIn(canary, str(body))
            self.assertIn(f"Area: {self.north.name}", body["message"])
