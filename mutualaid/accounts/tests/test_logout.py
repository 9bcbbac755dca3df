"""Logging out: a POST only, so that no link or image on another site can log a member out."""

from django.contrib.auth import SESSION_KEY
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from mutualaid.test import BaseTestCase


class LogoutTestCase(BaseTestCase):
    def setUp(self):
        self.url = reverse("accounts:logout")

    def test_it_logs_the_member_out(self):
        self.client.force_login(self.requester)
        response = self.client.post(self.url)
        self.assertRedirects(response, reverse("home"))
        self.assertIn("You are logged out.", [str(m) for m in get_messages(response.wsgi_request)])
        self.assertNotIn(SESSION_KEY, self.client.session)
        board = reverse("aid:board")
        self.assertRedirects(self.client.get(board), f"{reverse('accounts:login')}?next={board}")

    def test_get_is_refused_and_the_member_stays_logged_in(self):
        self.client.force_login(self.requester)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 405)
        self.assertEqual(self.client.session[SESSION_KEY], str(self.requester.pk))

    def test_another_site_cannot_log_a_member_out_without_the_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.requester)
        self.assertEqual(client.post(self.url).status_code, 403)
        self.assertEqual(client.session[SESSION_KEY], str(self.requester.pk))

    def test_an_anonymous_visitor_is_just_sent_home(self):
        response = self.client.post(self.url)
        self.assertRedirects(response, reverse("home"))
        self.assertNotIn(SESSION_KEY, self.client.session)
