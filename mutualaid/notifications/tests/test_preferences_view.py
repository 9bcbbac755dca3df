from django.urls import reverse

from mutualaid.notifications.models import CHAT, EMAIL, ChatHook, Mode, Preference
from mutualaid.notifications.selectors import choosable_kinds, modes_of
from mutualaid.test import BaseTestCase

URL = reverse("notifications:preferences")


class PreferencesViewTestCase(BaseTestCase):
    def form(self, **changes):
        data = {f"{kind}-{EMAIL}": Mode.IMMEDIATELY for kind in choosable_kinds()}
        data |= {f"{kind}-{CHAT}": Mode.IMMEDIATELY for kind in choosable_kinds()}
        return data | {"chat_url": ""} | changes

    def test_the_anonymous_visitor_is_sent_to_log_in(self):
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])

    def test_it_shows_the_choices_and_is_linked_from_the_account_page(self):
        self.client.force_login(self.requester)
        self.assertContains(self.client.get(reverse("accounts:account")), URL)
        response = self.client.get(URL)
        self.assertContains(response, "How we tell you")
        self.assertContains(response, "You have no email address")

    def test_it_saves_the_members_own_choices_and_chat_address(self):
        self.client.force_login(self.requester)
        data = self.form(
            **{"need_claimed-email": Mode.DIGEST, "chat_url": "json://127.0.0.1:9/hook"}
        )
        response = self.client.post(URL, data)
        self.assertRedirects(response, URL)
        self.assertEqual(modes_of(self.requester)[("need_claimed", EMAIL)], Mode.DIGEST)
        self.assertEqual(ChatHook.objects.get(member=self.requester).url, "json://127.0.0.1:9/hook")
        self.assertFalse(Preference.objects.exclude(member=self.requester).exists())

    def test_it_refuses_an_address_it_cannot_send_to(self):
        self.client.force_login(self.requester)
        response = self.client.post(URL, self.form(chat_url="not a url"))
        self.assertEqual(response.status_code, 422)
        self.assertFalse(ChatHook.objects.exists())

    def test_chat_has_no_daily_digest(self):
        self.client.force_login(self.requester)
        response = self.client.post(URL, self.form(**{"need_claimed-chat": Mode.DIGEST}))
        self.assertEqual(response.status_code, 422)
