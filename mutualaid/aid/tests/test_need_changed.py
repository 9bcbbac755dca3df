"""The need's open page asks every few seconds whether anything changed: 204 while nothing did,
the fresh panel when something did, under the page's own access rule."""

import re
from unittest import mock

from django.urls import reverse

from mutualaid.aid import services
from mutualaid.aid.models import EventKind, NeedStatus, PrivateAccess, TimelineEvent, Visibility
from mutualaid.test import CANARY, BaseTestCase, make_released_claimant

HTMX = {"HTTP_HX_REQUEST": "true"}


class NeedChangedTestCase(BaseTestCase):
    def since(self, need, member):
        """The stamp ``member``'s open page of ``need`` polls with."""
        self.client.force_login(member)
        page = self.client.get(reverse("aid:need", args=[need.code]))
        return re.search(r'changed/\?since=(\w+)"', page.content.decode()).group(1)

    def poll(self, need, since="", **headers):
        url = reverse("aid:need_changed", args=[need.code])
        return self.client.get(url, {"since": since}, **{**HTMX, **headers})

    def test_it_answers_204_while_nothing_changed(self):
        need = self.claimed_need()
        since = self.since(need, self.requester)
        response = self.poll(need, since)
        self.assertEqual(response.status_code, 204)
        self.assertEqual(response.content, b"")

    def test_it_sends_the_panel_when_a_message_arrives(self):
        need = self.claimed_need()
        since = self.since(need, self.requester)
        services.message_send(need=need, sender=self.volunteer, body="On my way, ten minutes.")
        response = self.poll(need, since)
        self.assertContains(response, "On my way, ten minutes.")
        html = response.content.decode()
        self.assertTrue(html.lstrip().startswith('<article id="need-panel"'), html[:200])
        # The panel polls on from the new stamp, and keeps what the requester is typing.
        fresh = re.search(r'changed/\?since=(\w+)"', html).group(1)
        self.assertNotEqual(fresh, since)
        self.assertRegex(html, r'<form id="message-form"[^>]* hx-preserve>')
        # It neither moves the focus nor empties the notices: nobody clicked anything.
        self.assertNotIn("autofocus", html)
        self.assertNotIn('id="flash"', html)
        self.assertEqual(self.poll(need, fresh).status_code, 204)

    def test_it_sends_the_panel_when_the_status_changes(self):
        need = self.claimed_need()
        since = self.since(need, self.requester)
        services.need_mark_fulfilled(need=need, member=self.volunteer)
        response = self.poll(need, since)
        self.assertContains(response, "Your volunteer marked this done. Was it?")

    def test_it_sends_the_panel_when_a_volunteer_takes_an_open_need(self):
        need = self.post_need()
        since = self.since(need, self.requester)
        services.need_claim(need=need, member=self.volunteer)
        response = self.poll(need, since)
        self.assertContains(response, NeedStatus.CLAIMED.label)
        self.assertContains(response, self.volunteer.handle)

    def test_a_stale_or_missing_stamp_gets_the_panel(self):
        need = self.claimed_need()
        self.client.force_login(self.requester)
        self.assertContains(self.poll(need, "0123abcd"), CANARY)
        self.assertContains(self.poll(need), CANARY)

    def test_a_poll_costs_a_fixed_number_of_queries_and_decrypts_nothing(self):
        need = self.claimed_need()
        since = self.since(need, self.requester)
        self.poll(need, since)  # warm up the session
        # The session with the member and their roles, the need under the access rule with its
        # latest event (the stamp): whatever the conversation's length, and no session save
        # (mutualaid/lib/sessions.py).
        with self.assertNumQueries(2):
            self.assertEqual(self.poll(need, since).status_code, 204)
        for i in range(30):
            services.message_send(need=need, sender=self.volunteer, body=f"Note {i}")
        since = self.since(need, self.requester)
        opened = mock.patch(
            "mutualaid.lib.fields.keyring", side_effect=AssertionError("decrypted on a poll")
        )
        with opened, self.assertNumQueries(2):
            self.assertEqual(self.poll(need, since).status_code, 204)

    def test_a_204_records_no_access_and_a_fresh_panel_records_like_the_page(self):
        need = self.claimed_need()
        services.message_send(need=need, sender=self.volunteer, body="Ring twice?")
        since = self.since(need, self.organizer)
        recorded = PrivateAccess.objects.count()
        self.assertGreater(recorded, 0)  # the organizer's page read the private text
        self.assertEqual(self.poll(need, since).status_code, 204)
        self.assertEqual(PrivateAccess.objects.count(), recorded)

        services.message_send(need=need, sender=self.requester, body="Yes, twice.")
        response = self.poll(need, since)
        self.assertContains(response, "Yes, twice.")
        self.assertEqual(PrivateAccess.objects.count(), 2 * recorded)

    def test_the_volunteer_who_let_a_private_need_go_is_told_it_is_gone(self):
        need = self.post_need(visibility=Visibility.ORGANIZERS)
        since = self.since(need, self.requester)
        released = make_released_claimant(need)
        self.client.force_login(released)
        response = self.poll(need, since)
        self.assertContains(response, "This need is no longer yours")
        self.assertEqual(response["HX-Retarget"], "#need-panel")
        self.assertNotContains(response, CANARY, status_code=200)
        self.assertNotContains(response, "changed/?since=")  # the page stops asking

    def test_an_outsider_gets_404(self):
        need = self.claimed_need()
        since = self.since(need, self.requester)
        self.client.force_login(self.outsider)
        self.assertEqual(self.poll(need, since).status_code, 404)
        self.assertEqual(self.poll(need, since, HTTP_HX_REQUEST="").status_code, 404)

    def test_an_anonymous_visitor_is_sent_to_log_in(self):
        need = self.post_need()
        page = reverse("aid:need", args=[need.code])
        response = self.poll(need, "x", HTTP_HX_REQUEST="")
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={page}")

    def test_a_page_left_open_after_logging_out_reloads_to_the_login_form(self):
        need = self.post_need()
        response = self.poll(need, "x")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["HX-Refresh"], "true")
        self.assertEqual(response.content, b"")

    def test_it_changes_nothing_and_answers_only_get(self):
        need = self.claimed_need()
        since = self.since(need, self.volunteer)
        events = TimelineEvent.objects.count()
        self.poll(need, since)
        self.poll(need, "stale")
        self.assertEqual(TimelineEvent.objects.count(), events)
        self.assertFalse(TimelineEvent.objects.filter(kind=EventKind.MESSAGE_SENT).exists())
        url = reverse("aid:need_changed", args=[need.code])
        self.assertEqual(self.client.post(url).status_code, 405)
