"""Changing the password keeps this session and cuts every other one."""

from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from mutualaid.test import PASSWORD, BaseTestCase

NEW = "a new and quiet evening"


class PasswordChangeTestCase(BaseTestCase):
    def setUp(self):
        self.url = reverse("accounts:password_change")

    def change(self, client, old=PASSWORD, new=NEW, again=None):
        data = {"old_password": old, "new_password1": new, "new_password2": again or new}
        return client.post(self.url, data)

    def logged_in_client(self):
        client = Client()
        self.assertTrue(client.login(username="rosa", password=PASSWORD))
        return client

    def test_it_sends_an_anonymous_visitor_to_log_in(self):
        login = f"{reverse('accounts:login')}?next={self.url}"
        self.assertRedirects(self.client.get(self.url), login)
        self.assertRedirects(self.change(self.client), login)
        self.requester.refresh_from_db()
        self.assertTrue(self.requester.check_password(PASSWORD))

    def test_it_shows_the_form(self):
        self.client.force_login(self.requester)
        response = self.client.get(self.url)
        for name in ("old_password", "new_password1", "new_password2"):
            self.assertContains(response, f'name="{name}"')

    def test_it_changes_the_password_and_keeps_this_session(self):
        here = self.logged_in_client()
        response = self.change(here)
        self.assertRedirects(response, reverse("accounts:account"), fetch_redirect_response=False)
        self.requester.refresh_from_db()
        self.assertTrue(self.requester.check_password(NEW))
        self.assertFalse(self.requester.check_password(PASSWORD))
        page = here.get(reverse("accounts:account"))
        self.assertContains(page, "Your password is changed. Other devices are logged out.")
        self.assertEqual(here.session[SESSION_KEY], str(self.requester.pk))

    def test_another_session_of_the_member_is_cut(self):
        phone, laptop = self.logged_in_client(), self.logged_in_client()
        mine = reverse("aid:my_needs")
        self.assertEqual(laptop.get(mine).status_code, 200)
        self.change(phone)
        self.assertEqual(phone.get(mine).status_code, 200)
        self.assertRedirects(laptop.get(mine), f"{reverse('accounts:login')}?next={mine}")
        self.assertNotIn(SESSION_KEY, laptop.session)  # flushed, not merely ignored
        # The old password no longer opens a new session; the new one does.
        self.assertFalse(Client().login(username="rosa", password=PASSWORD))
        self.assertTrue(Client().login(username="rosa", password=NEW))

    def test_it_refuses_a_wrong_old_password_a_mismatch_or_a_weak_one(self):
        cases = {
            "wrong old": ({"old": "not my password"}, "Your old password was entered incorrectly."),
            "mismatch": ({"again": "something else entirely"}, "fields didn"),
            "too short": ({"new": "short1"}, "at least 10 characters"),
            "too common": ({"new": "qwertyuiop"}, "This password is too common."),
        }
        client = self.logged_in_client()
        for case, (changes, error) in cases.items():
            with self.subTest(case):
                response = self.change(client, **changes)
                self.assertContains(response, error, status_code=422)
                self.assertContains(response, "Nothing was saved yet.", status_code=422)
        self.requester.refresh_from_db()
        self.assertTrue(self.requester.check_password(PASSWORD))

    def test_it_needs_the_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.requester)
        self.assertEqual(self.change(client).status_code, 403)
        self.requester.refresh_from_db()
        self.assertTrue(self.requester.check_password(PASSWORD))

    def test_it_answers_only_get_and_post(self):
        self.client.force_login(self.requester)
        self.assertEqual(self.client.put(self.url).status_code, 405)
