"""Joining: a handle, a strong password, and nothing else required."""

import uuid
from unittest import mock

from django.contrib.auth import SESSION_KEY
from django.contrib.messages import get_messages
from django.db import IntegrityError
from django.test import override_settings
from django.urls import reverse
from django.utils.html import escape

import mutualaid.settings as production_settings
from mutualaid.accounts.forms import HANDLE_REFUSED
from mutualaid.accounts.models import Member
from mutualaid.test import BaseTestCase

PASSWORD = "a long and quiet evening"
REFUSED = escape(HANDLE_REFUSED)  # "That handle can't be used. Choose another.", as the page has it


class SignUpTestCase(BaseTestCase):
    def setUp(self):
        self.url = reverse("accounts:signup")

    def sign_up(self, **changes):
        data = {"handle": "newbie", "password": PASSWORD, "home_area": "", "email": ""}
        data.update(changes)
        return self.client.post(self.url, data)

    def assertRefused(self, response, error):
        self.assertContains(response, error, status_code=422)
        self.assertContains(response, "Nothing was saved yet.", status_code=422)
        self.assertNotIn(SESSION_KEY, self.client.session)

    def test_it_shows_the_form(self):
        response = self.client.get(self.url)
        self.assertContains(response, "Join the network")
        self.assertContains(response, 'name="handle"')

    def test_it_creates_a_member_and_logs_them_in(self):
        response = self.sign_up(home_area=str(self.north.code), email="new@example.org")
        self.assertRedirects(response, reverse("aid:board"), fetch_redirect_response=False)
        member = Member.objects.get(handle="newbie")
        self.assertEqual(member.home_area, self.north)
        self.assertEqual(member.email, "new@example.org")
        self.assertFalse(member.is_organizer)
        self.assertTrue(member.check_password(PASSWORD))
        self.assertNotEqual(member.password, PASSWORD)
        self.assertEqual(self.client.session[SESSION_KEY], str(member.pk))
        self.assertIn("Welcome, newbie.", [str(m) for m in get_messages(response.wsgi_request)])

    def test_it_goes_on_to_a_safe_next_page_only(self):
        response = self.client.post(
            self.url, {"handle": "newbie", "password": PASSWORD, "next": "/offers/"}
        )
        self.assertRedirects(response, "/offers/", fetch_redirect_response=False)
        self.client.logout()
        response = self.client.post(
            self.url,
            {"handle": "newbie2", "password": PASSWORD, "next": "https://evil.example/"},
        )
        self.assertRedirects(response, reverse("aid:board"), fetch_redirect_response=False)

    def test_a_bare_word_next_page_falls_back_to_the_board(self):
        """A word is not a path: never taken for the name of a URL ("home"), nor an error after
        the member was made; nor is a path too long to redirect to."""
        too_long = "/" + "a" * 5000  # more than Django lets a redirect carry
        for i, word in enumerate(("board", "home", "accounts:logout", "aid:my_needs", too_long)):
            with self.subTest(word[:20]):
                response = self.client.post(
                    f"{self.url}?next={word}", {"handle": f"newbie{i}", "password": PASSWORD}
                )
                self.assertRedirects(response, reverse("aid:board"), fetch_redirect_response=False)
                member = Member.objects.get(handle=f"newbie{i}")
                self.assertEqual(self.client.session[SESSION_KEY], str(member.pk))
                self.client.logout()

    def test_the_outsider_cannot_take_an_existing_handle_in_any_case(self):
        for handle in ("rosa", "ROSA", "Rosa"):
            with self.subTest(handle):
                response = self.sign_up(handle=handle)
                self.assertRefused(response, REFUSED)
                self.assertContains(response, f'value="{handle}"', status_code=422)
        self.assertEqual(Member.objects.filter(handle__iexact="rosa").count(), 1)
        self.assertTrue(Member.objects.get(handle="rosa").check_password("correct horse battery"))

    def test_a_taken_handle_and_an_unusable_one_get_the_same_answer(self):
        """Sign-up must not tell whether a handle is somebody's: a taken handle is refused just
        like a reserved, malformed or doxxing one, with the same message and status."""
        cases = {
            "taken": "rosa",
            "taken, in another case": "OTTO",
            "reserved": "admin",
            "reserved, dressed up": "Organizer",
            "reserved, with dots": "anony.mous",
            "malformed": "bad handle",
            "too short": "ab",
            "too long": "x" * 31,
            "a phone number inside": "rosa5551234567",
            "a local number": "vic-555-1234",
            "an email": "rosa@gmail.com",
            "an email, spelled out": "rosa_at_gmail.com",
            "a street address": "12_oak_st",
            "a profile link": "rosa.facebook.com",
        }
        answers = {}
        for case, handle in cases.items():
            with self.subTest(case):
                response = self.sign_up(handle=handle)
                self.assertRefused(response, REFUSED)
                form = response.context["form"]
                answers[case] = (response.status_code, form.errors["handle"])
        self.assertEqual(len(set(map(repr, answers.values()))), 1, answers)
        self.assertEqual(answers["taken"], (422, [str(HANDLE_REFUSED)]))
        self.assertEqual(Member.objects.count(), 4)  # the personas only

    def test_a_race_for_the_same_handle_gets_the_same_answer(self):
        """Two sign-ups at once: the second passes the form, then trips the unique constraint."""
        with mock.patch("mutualaid.accounts.services.member_sign_up", side_effect=IntegrityError):
            response = self.sign_up(handle="newbie")
        self.assertRefused(response, REFUSED)
        self.assertEqual(response.context["form"].errors["handle"], [str(HANDLE_REFUSED)])

    def test_ordinary_handles_with_digits_or_dots_are_fine(self):
        for handle in ("maria.2024", "rosa1985", "bob_smith", "r0sa", "n-e-i-g-h-b-o-r"):
            with self.subTest(handle):
                self.client.logout()
                response = self.sign_up(handle=handle)
                self.assertRedirects(response, reverse("aid:board"), fetch_redirect_response=False)
                self.assertTrue(Member.objects.filter(handle=handle).exists())

    def test_it_cannot_be_used_to_make_an_organizer(self):
        self.sign_up(is_organizer="on", is_active="on")
        self.assertFalse(Member.objects.get(handle="newbie").is_organizer)

    def test_it_refuses_a_weak_password(self):
        cases = {
            "too short": ("short1", "at least 10 characters"),
            "too common": ("password123", "This password is too common."),
            "all digits": ("3141592653589", "This password is entirely numeric."),
            "like the email": ("quietwalker99", "too similar to the email"),
            "empty": ("", "This field is required."),
        }
        for case, (password, error) in cases.items():
            with self.subTest(case):
                response = self.sign_up(password=password, email="quietwalker@example.org")
                self.assertRefused(response, error)
                # The handle comes back; the password never does.
                self.assertContains(response, 'value="newbie"', status_code=422)
                if password:
                    self.assertNotContains(response, password, status_code=422)
        self.assertFalse(Member.objects.filter(handle="newbie").exists())

    def test_it_refuses_a_password_that_is_the_handle(self):
        response = self.sign_up(handle="quiet-evening-walker", password="quiet-evening-walker")
        self.assertRefused(response, "too similar")
        self.assertFalse(Member.objects.filter(handle="quiet-evening-walker").exists())

    def test_it_refuses_a_handle_with_bad_characters(self):
        for handle in ("bad handle", "<script>", "rosa!", ".dotfirst", "ab", "x" * 31, "rоsa"):
            with self.subTest(handle):
                response = self.sign_up(handle=handle)
                self.assertEqual(response.status_code, 422)
                self.assertContains(response, 'id="id_handle_error"', status_code=422)
                self.assertContains(response, REFUSED, status_code=422)
                self.assertNotIn(SESSION_KEY, self.client.session)
        self.assertEqual(Member.objects.count(), 4)  # the personas only

    def test_it_refuses_an_unknown_home_area_or_a_bad_email(self):
        cases = {
            "an unknown area": (
                {"home_area": str(uuid.uuid4())},
                "Choose one of the areas listed.",
            ),
            "an integer area id": ({"home_area": str(self.north.pk)}, 'id="id_home_area_error"'),
            "a bad email": ({"email": "not-an-email"}, "Enter a valid email address."),
        }
        for case, (changes, error) in cases.items():
            with self.subTest(case):
                self.assertRefused(self.sign_up(**changes), error)
        self.assertFalse(Member.objects.filter(handle="newbie").exists())

    def test_production_settings_hash_passwords_with_argon2(self):
        # conftest.py swaps in a fast hasher for the suite; the settings module is what ships.
        argon2 = "django.contrib.auth.hashers.Argon2PasswordHasher"
        self.assertEqual(production_settings.PASSWORD_HASHERS[0], argon2)
        with override_settings(PASSWORD_HASHERS=production_settings.PASSWORD_HASHERS):
            self.sign_up()
        self.assertTrue(Member.objects.get(handle="newbie").password.startswith("argon2$"))

    def test_it_answers_only_get_and_post(self):
        self.assertEqual(self.client.put(self.url).status_code, 405)
