"""Logging in: by handle in any case; a wrong password and an unknown handle look the same."""

import re

from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutualaid.accounts.models import Member
from mutualaid.test import PASSWORD, BaseTestCase

WRONG = "Please enter a correct handle and password."
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


class LoginTestCase(BaseTestCase):
    def setUp(self):
        self.url = reverse("accounts:login")

    def log_in(self, handle, password, **extra):
        return self.client.post(self.url, {"username": handle, "password": password, **extra})

    def test_it_shows_the_form(self):
        response = self.client.get(self.url)
        self.assertContains(response, 'name="username"')
        self.assertContains(response, 'name="password"')

    def test_a_member_logs_in_by_handle_in_any_case(self):
        for handle in ("rosa", "ROSA", "RoSa"):
            with self.subTest(handle):
                self.client.logout()
                response = self.log_in(handle, PASSWORD)
                self.assertRedirects(response, reverse("aid:board"), fetch_redirect_response=False)
                self.assertEqual(self.client.session[SESSION_KEY], str(self.requester.pk))

    def test_it_goes_on_to_a_safe_next_page_only(self):
        response = self.log_in("rosa", PASSWORD, next="/me/needs/")
        self.assertRedirects(response, "/me/needs/", fetch_redirect_response=False)
        self.client.logout()
        for target in ("https://evil.example/", "//evil.example/"):
            with self.subTest(target):
                response = self.log_in("rosa", PASSWORD, next=target)
                self.assertRedirects(response, reverse("aid:board"), fetch_redirect_response=False)
                self.client.logout()

    def test_a_bare_word_next_page_falls_back_to_the_board(self):
        """A word is not a path: never taken for the name of a URL ("home"), nor an error."""
        for word in ("board", "home", "accounts:logout", "aid:my_needs"):
            with self.subTest(word):
                response = self.log_in("rosa", PASSWORD, next=word)
                self.assertRedirects(response, reverse("aid:board"), fetch_redirect_response=False)
                self.client.logout()
                page = self.client.get(self.url, {"next": word})
                self.assertNotContains(page, f'name="next" value="{word}"')  # the form's

    def test_a_handle_longer_than_any_is_a_failed_login_without_a_query(self):
        """100 kB of LIKE wildcards once made SQLite fail ("pattern too complex"): a 500."""
        handle = "%_" * 50_000
        with CaptureQueriesContext(connection) as queries:
            response = self.log_in(handle, PASSWORD)
        self.assertContains(response, WRONG, status_code=422)
        self.assertEqual(
            [str(e) for e in response.context["form"].non_field_errors()],
            [
                str(e)
                for e in self.log_in("nobody-here", PASSWORD).context["form"].non_field_errors()
            ],
        )
        self.assertFalse(
            [q for q in queries if "accounts_member" in q["sql"]], queries.captured_queries
        )
        self.assertNotIn(SESSION_KEY, self.client.session)

    def test_a_handle_longer_than_any_counts_as_a_failure(self):
        for _ in range(10):
            self.assertEqual(self.log_in("%_" * 50_000, PASSWORD).status_code, 422)
        self.assertEqual(self.log_in("%_" * 50_000, PASSWORD).status_code, 429)

    def test_it_keeps_the_next_page_through_the_form(self):
        response = self.client.get(self.url, {"next": "/me/claims/"})
        self.assertContains(response, 'name="next" value="/me/claims/"')

    def test_a_wrong_password_and_an_unknown_handle_get_the_same_answer(self):
        wrong_password = self.log_in("rosa", "not her password")
        unknown_handle = self.log_in("nobody-here", PASSWORD)
        for response in (wrong_password, unknown_handle):
            self.assertContains(response, WRONG, status_code=422)
            self.assertNotIn(SESSION_KEY, self.client.session)
        self.assertEqual(wrong_password.status_code, unknown_handle.status_code)
        self.assertEqual(
            [str(e) for e in wrong_password.context["form"].non_field_errors()],
            [str(e) for e in unknown_handle.context["form"].non_field_errors()],
        )

    def test_the_whole_page_is_the_same_whether_or_not_the_handle_exists(self):
        Member.objects.filter(pk=self.outsider.pk).update(is_active=False)
        pages = []
        for handle in ("rosa", "nobody-here", "otto"):  # member, unknown, deactivated
            response = self.log_in(handle, "not the password")
            self.assertEqual(response.status_code, 422)
            page = CSRF.sub(b"", response.content).replace(f'value="{handle}"'.encode(), b"")
            pages.append(page)
        self.assertEqual(pages[0], pages[1])
        self.assertEqual(pages[0], pages[2])

    def test_the_outsider_cannot_log_in_as_another_member(self):
        response = self.log_in(self.requester.handle, "correct horse battery!")
        self.assertContains(response, WRONG, status_code=422)
        self.assertContains(response, 'value="rosa"', status_code=422)  # the handle refilled
        self.assertNotContains(response, "correct horse battery!", status_code=422)
        self.assertNotIn(SESSION_KEY, self.client.session)

    def test_a_deactivated_member_gets_the_same_answer(self):
        Member.objects.filter(pk=self.outsider.pk).update(is_active=False)
        response = self.log_in("otto", PASSWORD)
        self.assertContains(response, WRONG, status_code=422)
        self.assertNotIn(SESSION_KEY, self.client.session)

    def test_missing_fields_are_refused(self):
        response = self.log_in("", "")
        self.assertContains(response, "This field is required.", status_code=422)

    def test_it_needs_the_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        response = client.post(self.url, {"username": "rosa", "password": PASSWORD})
        self.assertEqual(response.status_code, 403)
        self.assertNotIn(SESSION_KEY, client.session)

    def test_it_answers_only_get_and_post(self):
        self.assertEqual(self.client.put(self.url).status_code, 405)
