"""Volunteers confirm "Mark it done" and "I can't do it after all": without JavaScript, the first
POST (no confirm=yes) shows a page that asks, with the button again, and changes nothing; with it,
the page's button asks in a dialog (hx-confirm) and sends confirm=yes (hx-vals)."""

from django.urls import reverse

from mutualaid.aid.models import Need, NeedStatus
from mutualaid.test import BaseTestCase, snapshot


class ConfirmStepTests(BaseTestCase):
    def post(self, action, need, member, data=None, **headers):
        self.client.force_login(member)
        return self.client.post(
            reverse(f"aid:need_{action}", args=[need.code]), data or {}, **headers
        )

    def test_mark_it_done_asks_first_and_changes_nothing(self):
        need = self.claimed_need()
        before = snapshot()
        response = self.post("fulfil", need, self.volunteer)
        self.assertContains(response, "Is it done?")
        self.assertContains(response, 'name="confirm" value="yes"')
        self.assertContains(response, reverse("aid:need_fulfil", args=[need.code]))
        self.assertContains(response, "Yes, mark it done")
        self.assertEqual(snapshot(), before)
        self.assertEqual(Need.objects.get(pk=need.pk).status, NeedStatus.CLAIMED)

    def test_the_second_step_marks_it_done(self):
        need = self.claimed_need()
        self.post("fulfil", need, self.volunteer)
        response = self.post("fulfil", need, self.volunteer, {"confirm": "yes"})
        self.assertRedirects(response, reverse("aid:need", args=[need.code]))
        self.assertEqual(Need.objects.get(pk=need.pk).status, NeedStatus.FULFILLED)

    def test_i_cant_do_it_asks_first_then_releases(self):
        need = self.claimed_need()
        before = snapshot()
        response = self.post("release", need, self.volunteer)
        self.assertContains(response, "Give it back?")
        self.assertContains(response, "Yes, I can&#x27;t do it after all")
        self.assertEqual(snapshot(), before)
        self.post("release", need, self.volunteer, {"confirm": "yes"})
        self.assertEqual(Need.objects.get(pk=need.pk).status, NeedStatus.OPEN)

    def test_htmx_without_the_dialogs_yes_gets_the_question_as_the_panel(self):
        need = self.claimed_need()
        before = snapshot()
        response = self.post("fulfil", need, self.volunteer, HTTP_HX_REQUEST="true")
        self.assertContains(response, 'id="need-panel"')
        self.assertContains(response, "Is it done?")
        self.assertNotContains(response, "<html")
        self.assertEqual(snapshot(), before)

    def test_the_need_page_asks_in_a_dialog_with_javascript(self):
        need = self.claimed_need()
        self.client.force_login(self.volunteer)
        page = self.client.get(reverse("aid:need", args=[need.code]))
        self.assertContains(page, 'hx-confirm="Is it done? They will be asked to confirm it."')
        self.assertContains(page, 'hx-confirm="Give it back?', count=1)
        self.assertContains(page, """hx-vals='{"confirm": "yes"}'""", count=2)

    def test_someone_else_is_refused_without_a_question(self):
        need = self.claimed_need()
        before = snapshot()
        response = self.post("fulfil", need, self.requester)
        self.assertRedirects(response, reverse("aid:need", args=[need.code]))
        self.assertNotContains(self.client.get(response.url), "Is it done?")
        self.assertEqual(snapshot(), before)

    def test_the_outsider_is_refused(self):
        need = self.claimed_need()
        before = snapshot()
        for action in ("fulfil", "release"):
            with self.subTest(action=action):
                self.assertEqual(self.post(action, need, self.outsider).status_code, 404)
                response = self.post(action, need, self.outsider, {"confirm": "yes"})
                self.assertEqual(response.status_code, 404)
        self.client.logout()
        response = self.client.post(reverse("aid:need_fulfil", args=[need.code]))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response.url)
        self.assertEqual(snapshot(), before)
