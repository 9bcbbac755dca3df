"""Delete my account: confirmed by handle and password, then logged out and sent home."""

from django.contrib.auth import SESSION_KEY
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from mutualaid.accounts.models import Member
from mutualaid.aid.models import Need, NeedStatus
from mutualaid.test import PASSWORD, BaseTestCase


class AccountDeleteTestCase(BaseTestCase):
    def setUp(self):
        self.url = reverse("privacy:delete")

    def confirm(self, member, **data):
        self.client.force_login(member)
        return self.client.post(self.url, {"handle": member.handle, "password": PASSWORD, **data})

    def test_it_sends_an_anonymous_visitor_to_log_in(self):
        login = f"{reverse('accounts:login')}?next={self.url}"
        self.assertRedirects(self.client.get(self.url), login)
        response = self.client.post(self.url, {"handle": "rosa", "password": PASSWORD})
        self.assertRedirects(response, login)
        self.assertTrue(Member.objects.filter(handle="rosa").exists())

    def test_it_explains_and_asks_to_confirm(self):
        self.client.force_login(self.requester)
        response = self.client.get(self.url)
        self.assertContains(response, "This cannot be undone.")
        self.assertContains(response, 'name="handle"')
        self.assertContains(response, 'name="password"')
        self.assertContains(response, reverse("privacy:export"))
        self.assertTrue(Member.objects.filter(handle="rosa").exists())

    def test_it_deletes_the_account_logs_out_and_goes_home(self):
        need = self.claimed_need()
        response = self.confirm(self.requester)
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        self.assertIn(
            "Your account is deleted. Thank you for being part of the network.",
            [str(m) for m in get_messages(response.wsgi_request)],
        )
        self.assertNotIn(SESSION_KEY, self.client.session)
        self.assertFalse(Member.objects.filter(handle="rosa").exists())
        need.refresh_from_db()
        self.assertEqual((need.status, need.requester, need.details), ("cancelled", None, ""))
        board = reverse("aid:board")
        self.assertRedirects(self.client.get(board), f"{reverse('accounts:login')}?next={board}")

    def test_the_handle_may_be_typed_in_any_case(self):
        self.confirm(self.requester, handle="ROSA")
        self.assertFalse(Member.objects.filter(handle="rosa").exists())

    def test_other_sessions_of_the_member_end_too(self):
        other = Client()
        other.force_login(self.requester)
        self.confirm(self.requester)
        mine = reverse("aid:my_needs")
        response = other.get(mine)
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={mine}")

    def test_a_wrong_handle_or_password_deletes_nothing(self):
        self.post_need()
        cases = {
            "another member's handle": ({"handle": "otto"}, "Type your handle, rosa, to confirm."),
            "a wrong password": ({"password": "not my password"}, "That is not your password."),
            "nothing": ({"handle": "", "password": ""}, "This field is required."),
        }
        for case, (data, error) in cases.items():
            with self.subTest(case):
                response = self.confirm(self.requester, **data)
                self.assertContains(response, error, status_code=422)
                self.assertContains(response, "Nothing was saved yet.", status_code=422)
                self.assertEqual(self.client.session[SESSION_KEY], str(self.requester.pk))
        self.assertEqual(Member.objects.count(), 4)
        self.assertEqual(Need.objects.get().status, NeedStatus.OPEN)

    def test_the_outsider_cannot_delete_another_member(self):
        """The page acts on the logged-in member only: naming someone else is a wrong handle."""
        response = self.confirm(self.outsider, handle="rosa")
        self.assertEqual(response.status_code, 422)
        self.assertEqual(Member.objects.count(), 4)

    def test_it_needs_the_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.requester)
        response = client.post(self.url, {"handle": "rosa", "password": PASSWORD})
        self.assertEqual(response.status_code, 403)
        self.assertTrue(Member.objects.filter(handle="rosa").exists())

    def test_it_answers_only_get_and_post(self):
        self.client.force_login(self.requester)
        self.assertEqual(self.client.delete(self.url).status_code, 405)
