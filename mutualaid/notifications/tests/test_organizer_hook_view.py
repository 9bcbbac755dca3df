from django.urls import reverse

from mutualaid.notifications import alerts
from mutualaid.notifications.models import OrganizerHook
from mutualaid.test import BaseTestCase, make_member
from mutualaid.trust.models import Role

URL = reverse("notifications:organizer_hook")


class OrganizerHookViewTestCase(BaseTestCase):
    def test_the_anonymous_visitor_is_sent_to_log_in(self):
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])

    def test_it_refuses_the_outsider_and_organizers_who_do_not_configure(self):
        for member in (self.outsider, make_member("tess", roles=[Role.TRIAGER])):
            self.client.force_login(member)
            self.assertEqual(self.client.get(URL).status_code, 403)
            response = self.client.post(URL, {"url": "json://127.0.0.1:9/x"})
            self.assertEqual(response.status_code, 403)
        self.assertFalse(OrganizerHook.objects.exists())

    def test_an_admin_sets_it_and_never_sees_it_back(self):
        self.client.force_login(self.organizer)
        self.assertContains(self.client.get(URL), "No chat address is set")
        response = self.client.post(URL, {"url": "json://127.0.0.1:9/secret-hook"})
        self.assertRedirects(response, URL)
        self.assertEqual(alerts.organizer_hook_url(), "json://127.0.0.1:9/secret-hook")
        self.assertEqual(OrganizerHook.objects.get().updated_by, self.organizer)
        response = self.client.get(URL)
        self.assertContains(response, "A chat address is set")
        self.assertNotContains(response, "secret-hook")

    def test_an_empty_address_stops_the_summary(self):
        alerts.organizer_hook_set(by=self.organizer, url="json://127.0.0.1:9/x")
        self.client.force_login(self.organizer)
        self.client.post(URL, {"url": ""})
        self.assertEqual(alerts.organizer_hook_url(), "")

    def test_it_refuses_an_address_it_cannot_send_to(self):
        self.client.force_login(self.organizer)
        response = self.client.post(URL, {"url": "not a url"})
        self.assertEqual(response.status_code, 422)
        self.assertFalse(OrganizerHook.objects.exists())

    def test_it_is_linked_from_the_organizers_pages(self):
        self.client.force_login(self.organizer)
        self.assertContains(self.client.get(reverse("network:settings")), URL)
