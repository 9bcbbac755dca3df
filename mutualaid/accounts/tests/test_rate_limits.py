"""Sign-ups and sign-up attempts per address, failed logins per handle and per address, and
password reset requests per address and per handle, are limited (429)."""

import re
from datetime import UTC, datetime, timedelta

import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from mutualaid.accounts.models import Member
from mutualaid.test import PASSWORD, BaseTestCase

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')

TEN = datetime(2025, 3, 10, 10, 0, tzinfo=UTC)
STRONG = "a long and quiet evening"
WRONG = "not the password at all"


def assert_too_many(test, response, retry_after):
    test.assertContains(response, "Too many tries for now", status_code=429)
    test.assertContains(response, "Please try again in", status_code=429)
    test.assertEqual(response["Retry-After"], str(retry_after))


class SignUpRateLimitTestCase(BaseTestCase):
    def setUp(self):
        self.url = reverse("accounts:signup")

    def sign_up(self, handle, address="203.0.113.9"):
        data = {"handle": handle, "password": STRONG, "home_area": "", "email": ""}
        self.client.logout()
        return self.client.post(self.url, data, REMOTE_ADDR=address)

    def test_the_settings_default_is_five_an_hour(self):
        from mutualaid import settings as project_settings

        self.assertEqual(project_settings.RATE_LIMITS["signup"], (5, 3600))

    def test_an_address_may_sign_up_five_times_an_hour(self):
        with time_machine.travel(TEN, tick=False):
            for i in range(5):
                self.assertEqual(self.sign_up(f"newbie{i}").status_code, 302)
            with time_machine.travel(TEN + timedelta(minutes=20), tick=False):
                response = self.sign_up("newbie5")
        assert_too_many(self, response, 40 * 60)
        self.assertContains(response, "try again in 40\xa0minutes", status_code=429)
        self.assertFalse(Member.objects.filter(handle="newbie5").exists())
        self.assertNotIn(SESSION_KEY, self.client.session)

    def test_another_address_may_still_sign_up(self):
        with time_machine.travel(TEN, tick=False):
            for i in range(6):
                self.sign_up(f"newbie{i}")
            self.assertEqual(self.sign_up("other", address="198.51.100.7").status_code, 302)

    def test_the_next_hour_it_may_again(self):
        with time_machine.travel(TEN, tick=False):
            for i in range(6):
                self.sign_up(f"newbie{i}")
        with time_machine.travel(TEN + timedelta(hours=1), tick=False):
            self.assertEqual(self.sign_up("later").status_code, 302)

    def test_a_refused_form_does_not_count(self):
        with time_machine.travel(TEN, tick=False):
            for _ in range(8):
                self.assertEqual(self.sign_up("rosa").status_code, 422)  # taken
            self.assertEqual(self.sign_up("newbie").status_code, 302)

    def test_x_forwarded_for_is_not_trusted_by_default(self):
        with time_machine.travel(TEN, tick=False):
            for i in range(5):
                self.client.logout()
                self.client.post(
                    self.url,
                    {"handle": f"newbie{i}", "password": STRONG},
                    REMOTE_ADDR="203.0.113.9",
                    HTTP_X_FORWARDED_FOR=f"198.51.100.{i}",
                )
            self.client.logout()
            response = self.client.post(
                self.url,
                {"handle": "newbie5", "password": STRONG},
                REMOTE_ADDR="203.0.113.9",
                HTTP_X_FORWARDED_FOR="198.51.100.99",
            )
        self.assertEqual(response.status_code, 429)

    @override_settings(
        RATE_LIMITS={**settings.RATE_LIMITS, "signup": (0, 3600), "signup-attempts": (0, 3600)}
    )
    def test_a_limit_of_zero_is_off(self):
        for _ in range(21):
            self.assertEqual(self.sign_up("rosa").status_code, 422)
        for i in range(7):
            self.assertEqual(self.sign_up(f"newbie{i}").status_code, 302)


class SignUpAttemptsRateLimitTestCase(BaseTestCase):
    """Every sign-up form sent counts, valid or not: the form tells whether a handle can be had,
    so trying handle after handle is throttled per address."""

    def setUp(self):
        self.url = reverse("accounts:signup")

    def sign_up(self, handle, address="203.0.113.9"):
        return self.client.post(
            self.url, {"handle": handle, "password": STRONG}, REMOTE_ADDR=address
        )

    def test_the_settings_default_is_twenty_an_hour(self):
        from mutualaid import settings as project_settings

        self.assertEqual(project_settings.RATE_LIMITS["signup-attempts"], (20, 3600))

    def test_twenty_refused_forms_stop_an_address_for_the_hour(self):
        with time_machine.travel(TEN, tick=False):
            for handle in ("rosa", "vic", "olga", "otto", "admin") * 4:  # taken, and reserved
                self.assertEqual(self.sign_up(handle).status_code, 422)
            with time_machine.travel(TEN + timedelta(minutes=20), tick=False):
                taken = self.sign_up("rosa")
                free = self.sign_up("newbie")
        for response in (taken, free):
            assert_too_many(self, response, 40 * 60)
            self.assertNotContains(response, "can&#x27;t be used", status_code=429)
        self.assertFalse(Member.objects.filter(handle="newbie").exists())
        self.assertNotIn(SESSION_KEY, self.client.session)
        with time_machine.travel(TEN + timedelta(hours=1), tick=False):
            self.assertEqual(self.sign_up("newbie").status_code, 302)

    def test_an_empty_form_counts_too(self):
        with time_machine.travel(TEN, tick=False):
            for _ in range(20):
                self.client.post(self.url, {}, REMOTE_ADDR="203.0.113.9")
            self.assertEqual(self.sign_up("newbie").status_code, 429)

    def test_another_address_may_still_try(self):
        with time_machine.travel(TEN, tick=False):
            for _ in range(21):
                self.sign_up("rosa")
            self.assertEqual(self.sign_up("rosa", address="198.51.100.7").status_code, 422)
            self.assertEqual(self.sign_up("newbie", address="198.51.100.7").status_code, 302)

    def test_a_limited_address_still_sees_the_form(self):
        with time_machine.travel(TEN, tick=False):
            for _ in range(21):
                self.sign_up("rosa")
            self.assertEqual(self.client.get(self.url, REMOTE_ADDR="203.0.113.9").status_code, 200)


class LoginRateLimitTestCase(BaseTestCase):
    """Only failed logins count; once over a limit, even the right password waits."""

    def setUp(self):
        self.url = reverse("accounts:login")

    def log_in(self, handle, password, address="203.0.113.9"):
        return self.client.post(
            self.url, {"username": handle, "password": password}, REMOTE_ADDR=address
        )

    def test_ten_failures_for_a_handle_stop_it_for_fifteen_minutes(self):
        with time_machine.travel(TEN, tick=False):
            for i in range(10):  # from ten different addresses
                self.assertEqual(self.log_in("rosa", WRONG, f"198.51.100.{i}").status_code, 422)
            response = self.log_in("ROSA", PASSWORD, "192.0.2.1")
        assert_too_many(self, response, 15 * 60)
        self.assertNotIn(SESSION_KEY, self.client.session)
        with time_machine.travel(TEN + timedelta(minutes=15), tick=False):
            response = self.log_in("rosa", PASSWORD, "192.0.2.1")
            self.assertEqual(response.status_code, 302)
            self.assertEqual(self.client.session[SESSION_KEY], str(self.requester.pk))

    def test_an_unknown_handle_is_limited_the_same_way(self):
        with time_machine.travel(TEN, tick=False):
            for i in range(10):
                self.log_in("nobody-here", WRONG, f"198.51.100.{i}")
            self.assertEqual(self.log_in("nobody-here", WRONG, "192.0.2.1").status_code, 429)

    def test_other_handles_are_not_held_up_by_one_handles_failures(self):
        with time_machine.travel(TEN, tick=False):
            for i in range(10):
                self.log_in("rosa", WRONG, f"198.51.100.{i}")
            self.assertEqual(self.log_in("vic", PASSWORD, "198.51.100.1").status_code, 302)

    def test_thirty_failures_from_an_address_stop_it(self):
        with time_machine.travel(TEN, tick=False):
            for i in range(30):  # a different handle each time
                self.assertEqual(self.log_in(f"guess{i}", WRONG).status_code, 422)
            response = self.log_in("vic", PASSWORD)
            assert_too_many(self, response, 15 * 60)
            self.assertEqual(self.log_in("vic", PASSWORD, "192.0.2.1").status_code, 302)

    def test_successful_logins_do_not_count(self):
        with time_machine.travel(TEN, tick=False):
            for _ in range(15):
                self.client.logout()
                self.assertEqual(self.log_in("rosa", PASSWORD).status_code, 302)
            for _ in range(9):
                self.log_in("rosa", WRONG)
            self.client.logout()
            self.assertEqual(self.log_in("rosa", PASSWORD).status_code, 302)

    def test_the_form_still_shows_to_a_limited_address(self):
        with time_machine.travel(TEN, tick=False):
            for i in range(30):
                self.log_in(f"guess{i}", WRONG)
            self.assertEqual(self.client.get(self.url, REMOTE_ADDR="203.0.113.9").status_code, 200)


class PasswordResetRateLimitTestCase(BaseTestCase):
    """Password reset requests: per address, and per handle asked whether anybody's or not."""

    def setUp(self):
        self.url = reverse("accounts:password_reset")
        self.requester.email = "rosa@example.org"  # sealed: written with save()
        self.requester.save(update_fields=["email"])

    def ask(self, handle, address="203.0.113.9"):
        return self.client.post(self.url, {"handle": handle}, REMOTE_ADDR=address)

    def test_the_settings_defaults(self):
        from mutualaid import settings as project_settings

        self.assertEqual(project_settings.RATE_LIMITS["password-reset-address"], (20, 3600))
        self.assertEqual(project_settings.RATE_LIMITS["password-reset-handle"], (5, 3600))

    def test_five_requests_for_a_handle_stop_it_for_the_hour(self):
        with time_machine.travel(TEN, tick=False):
            for i in range(5):  # from five different addresses
                self.assertEqual(self.ask("rosa", f"198.51.100.{i}").status_code, 200)
            with time_machine.travel(TEN + timedelta(minutes=20), tick=False):
                response = self.ask("ROSA", "192.0.2.1")
        assert_too_many(self, response, 40 * 60)
        self.assertEqual(len(mail.outbox), 5)
        with time_machine.travel(TEN + timedelta(hours=1), tick=False):
            self.assertEqual(self.ask("rosa", "192.0.2.1").status_code, 200)
        self.assertEqual(len(mail.outbox), 6)

    def test_the_limit_says_nothing_of_whether_the_handle_exists(self):
        pages = {}
        with time_machine.travel(TEN, tick=False):
            for handle in ("rosa", "vic", "nobody-here"):  # an email, none, nobody
                for i in range(5):
                    self.ask(handle, f"198.51.100.{i}")
                pages[handle] = self.ask(handle, "192.0.2.1")
        for handle, response in pages.items():
            with self.subTest(handle):
                assert_too_many(self, response, 3600)
                # The same page, but for the footer's CSRF token, new on each page.
                same = (CSRF.sub(b"", page.content) for page in (response, pages["rosa"]))
                self.assertEqual(*same)

    def test_other_handles_are_not_held_up(self):
        with time_machine.travel(TEN, tick=False):
            for i in range(6):
                self.ask("nobody-here", f"198.51.100.{i}")
            self.assertEqual(self.ask("rosa", "192.0.2.1").status_code, 200)
        self.assertEqual(len(mail.outbox), 1)

    def test_twenty_requests_from_an_address_stop_it(self):
        with time_machine.travel(TEN, tick=False):
            for i in range(20):  # a different handle each time, some not even handles
                self.assertIn(self.ask(f"guess{i}" if i % 2 else "").status_code, (200, 422))
            response = self.ask("rosa")
            assert_too_many(self, response, 3600)
            self.assertEqual(mail.outbox, [])
            self.assertEqual(self.ask("rosa", "192.0.2.1").status_code, 200)
        self.assertEqual(len(mail.outbox), 1)

    def test_the_form_still_shows_to_a_limited_address(self):
        with time_machine.travel(TEN, tick=False):
            for i in range(21):
                self.ask(f"guess{i}")
            self.assertEqual(self.client.get(self.url, REMOTE_ADDR="203.0.113.9").status_code, 200)
