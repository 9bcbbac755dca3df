from django.urls import reverse

from mutualaid.notifications.models import CHAT, EMAIL, ChatHook, Mode, NeedAlerts, Preference
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

    def test_it_saves_the_opt_in_to_needs_near_them(self):
        self.client.force_login(self.volunteer)
        data = self.form(
            **{
                "alerts-enabled": "on",
                "alerts-categories": [self.groceries.pk, self.rides.pk],
                "alerts-per_day": "5",
                "alerts-quiet_from": "22",
                "alerts-quiet_until": "7",
            }
        )
        self.assertRedirects(self.client.post(URL, data), URL)
        alerts = NeedAlerts.objects.get(member=self.volunteer)
        self.assertEqual(
            (alerts.enabled, alerts.per_day, alerts.quiet_from, alerts.quiet_until),
            (True, 5, 22, 7),
        )
        self.assertEqual(set(alerts.categories.all()), {self.groceries, self.rides})
        self.assertFalse(NeedAlerts.objects.exclude(member=self.volunteer).exists())
        response = self.client.get(URL)
        self.assertContains(response, "Needs near you")
        self.assertContains(response, 'name="alerts-enabled" id="id_alerts-enabled" checked')

    def test_the_opt_in_needs_a_kind_of_help(self):
        self.client.force_login(self.volunteer)
        response = self.client.post(URL, self.form(**{"alerts-enabled": "on"}))
        self.assertEqual(response.status_code, 422)
        self.assertFalse(NeedAlerts.objects.exists())

    def test_without_the_opt_in_it_is_off(self):
        self.client.force_login(self.volunteer)
        self.client.post(URL, self.form())
        alerts = NeedAlerts.objects.get(member=self.volunteer)
        self.assertEqual((alerts.enabled, alerts.per_day), (False, 3))
