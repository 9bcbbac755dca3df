"""Password reset by handle: one answer for every handle; a link by email for those who have one.

These pages are for people who cannot log in, so an anonymous visitor is served: what they must
never learn is whether a handle exists or has an email.
"""

import re
from datetime import timedelta
from unittest import mock

import time_machine
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mutualaid.accounts.models import Member
from mutualaid.accounts.views.reset import RESET_SESSION_KEY
from mutualaid.network.services import network_settings_update
from mutualaid.test import PASSWORD, BaseTestCase, make_member

SENT = "If that handle has an email on file, a link is on its way."
NEW = "a new and quiet evening"
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


class PasswordResetTestCase(BaseTestCase):
    def setUp(self):
        self.url = reverse("accounts:password_reset")
        # The email is sealed: written with save(), never update().
        self.requester.email = "rosa@example.org"
        self.requester.save(update_fields=["email"])

    def ask(self, handle, client=None):
        return (client or self.client).post(self.url, {"handle": handle})

    def link(self):
        [message] = mail.outbox
        return re.search(r"http://testserver(/accounts/password-reset/\S+/)", message.body)[1]

    def test_it_shows_the_form_and_the_login_page_links_to_it(self):
        response = self.client.get(self.url)
        self.assertContains(response, 'name="handle"')
        self.assertNotContains(response, SENT)
        self.assertContains(self.client.get(reverse("accounts:login")), f'href="{self.url}"')

    def test_it_mails_a_link_to_a_member_with_an_email(self):
        response = self.ask("ROSA")
        self.assertContains(response, SENT)
        [message] = mail.outbox
        self.assertEqual(message.to, ["rosa@example.org"])
        self.assertEqual(message.subject, "A new password for Mutual Aid")
        self.assertIn("the handle rosa", message.body)
        self.assertIn("within 3 days", message.body)
        self.assertIn(f"/accounts/password-reset/{self.requester.code}/", message.body)
        # No integer key in the URL: the segment naming the member is their UUID code.
        self.assertEqual(self.link().split("/")[3], str(self.requester.code))

    def test_the_email_names_the_network_as_its_admins_named_it(self):
        with self.captureOnCommitCallbacks(execute=True):
            network_settings_update(by=self.organizer, name="Eastside Mutual Aid")
        self.ask("rosa")
        [message] = mail.outbox
        self.assertEqual(message.subject, "A new password for Eastside Mutual Aid")
        self.assertIn("on Eastside Mutual Aid.", message.body)

    def test_every_handle_gets_the_same_page_and_status(self):
        self.outsider.email = "otto@example.org"
        self.outsider.is_active = False
        self.outsider.save(update_fields=["email", "is_active"])
        answers = {
            "has an email": self.ask("rosa"),
            "has no email": self.ask("vic"),
            "does not exist": self.ask("nobody-here"),
            "is deactivated": self.ask("otto"),
            "is not even a handle": self.ask("rosa@example.org"),
        }
        pages = {case: CSRF.sub(b"", response.content) for case, response in answers.items()}
        for case, response in answers.items():
            with self.subTest(case):
                self.assertContains(response, SENT)
                self.assertEqual(pages[case], pages["has an email"])
        self.assertEqual(len(mail.outbox), 1)

    def test_it_does_the_same_work_whether_or_not_it_finds_anyone(self):
        with mock.patch("mutualaid.accounts.views.reset.send_password_reset") as task:
            self.ask("rosa")
            self.ask("nobody-here")
        found, missing = task.enqueue.call_args_list
        self.assertEqual(found.kwargs["code"], str(self.requester.code))
        self.assertIsNone(missing.kwargs["code"])
        self.assertEqual(found.kwargs["base_url"], missing.kwargs["base_url"])

    def test_an_empty_handle_is_asked_again(self):
        response = self.ask("")
        self.assertContains(response, "This field is required.", status_code=422)
        self.assertEqual(mail.outbox, [])

    def test_the_link_sets_a_new_password_once(self):
        self.ask("rosa")
        link = self.link()
        response = self.client.get(link)
        set_url = reverse("accounts:password_reset_set", args=[self.requester.code])
        self.assertRedirects(response, set_url, fetch_redirect_response=False)
        self.assertIn(RESET_SESSION_KEY, self.client.session)
        form = self.client.get(set_url)
        self.assertContains(form, 'name="new_password1"')
        self.assertNotContains(form, link.split("/")[-2])  # the token left the address bar
        response = self.client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
        self.assertRedirects(response, reverse("accounts:login"), fetch_redirect_response=False)
        self.requester.refresh_from_db()
        self.assertTrue(self.requester.check_password(NEW))
        self.assertNotIn(SESSION_KEY, self.client.session)  # not logged in by the link
        self.assertNotIn(RESET_SESSION_KEY, self.client.session)
        # Used once: the link and the page refuse now.
        self.assertContains(self.client.get(link), "This link does not work any more")
        self.assertContains(self.client.get(set_url), "This link does not work any more")

    def test_a_reset_cuts_every_session_of_the_member(self):
        laptop = Client()
        self.assertTrue(laptop.login(username="rosa", password=PASSWORD))
        self.ask("rosa")
        self.client.get(self.link())
        set_url = reverse("accounts:password_reset_set", args=[self.requester.code])
        self.client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
        mine = reverse("aid:my_needs")
        self.assertRedirects(laptop.get(mine), f"{reverse('accounts:login')}?next={mine}")

    def test_a_weak_or_mismatched_password_is_refused(self):
        self.ask("rosa")
        self.client.get(self.link())
        set_url = reverse("accounts:password_reset_set", args=[self.requester.code])
        for new, again, error in [
            ("short1", "short1", "at least 10 characters"),
            (NEW, "something else entirely", "fields didn"),
        ]:
            with self.subTest(error):
                response = self.client.post(set_url, {"new_password1": new, "new_password2": again})
                self.assertContains(response, error, status_code=422)
        self.requester.refresh_from_db()
        self.assertTrue(self.requester.check_password(PASSWORD))

    def test_a_forged_or_borrowed_link_is_refused(self):
        self.ask("rosa")
        token = self.link().split("/")[-2]
        for case, link in {
            "a made-up token": reverse(
                "accounts:password_reset_link", args=[self.requester.code, "abc-123"]
            ),
            "rosa's token for otto": reverse(
                "accounts:password_reset_link", args=[self.outsider.code, token]
            ),
        }.items():
            with self.subTest(case):
                response = self.client.get(link)
                self.assertContains(response, "This link does not work any more")
                self.assertNotIn(RESET_SESSION_KEY, self.client.session)

    def test_the_set_page_needs_the_link_first(self):
        set_url = reverse("accounts:password_reset_set", args=[self.requester.code])
        response = self.client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
        self.assertContains(response, "This link does not work any more")
        self.requester.refresh_from_db()
        self.assertTrue(self.requester.check_password(PASSWORD))

    def test_the_token_of_one_member_does_not_open_another(self):
        self.ask("rosa")
        self.client.get(self.link())
        otto = reverse("accounts:password_reset_set", args=[self.outsider.code])
        response = self.client.post(otto, {"new_password1": NEW, "new_password2": NEW})
        self.assertContains(response, "This link does not work any more")
        self.outsider.refresh_from_db()
        self.assertTrue(self.outsider.check_password(PASSWORD))

    def test_the_link_expires(self):
        self.ask("rosa")
        with time_machine.travel(timezone.now() + timedelta(days=4)):
            self.assertContains(self.client.get(self.link()), "This link does not work any more")

    def test_a_new_email_voids_the_link(self):
        self.ask("rosa")
        member = Member.objects.get(pk=self.requester.pk)
        member.email = "new@example.org"
        member.save(update_fields=["email"])
        self.assertContains(self.client.get(self.link()), "This link does not work any more")

    def test_a_member_made_without_an_email_gets_nothing(self):
        make_member("newbie")
        self.assertContains(self.ask("newbie"), SENT)
        self.assertEqual(mail.outbox, [])

    def test_it_needs_the_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        self.assertEqual(self.ask("rosa", client).status_code, 403)
        self.assertEqual(mail.outbox, [])

    def test_its_pages_are_never_cached(self):
        self.assertIn("no-store", self.client.get(self.url)["Cache-Control"])
        self.ask("rosa")
        self.assertIn("no-store", self.client.get(self.link())["Cache-Control"])
