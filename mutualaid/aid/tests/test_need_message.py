"""Brokered messages: only the requester and the current volunteer of a need write to each other."""

import uuid

from django.urls import reverse
from django.utils.html import escape

from mutualaid.aid import services
from mutualaid.aid.models import (
    EventKind,
    Message,
    Need,
    NeedStatus,
)
from mutualaid.test import BaseTestCase, record_counts

REFUSAL = "Messages are between the person who posted this need and its volunteer."
STALE = "This need has just changed."


class NeedMessageTestCase(BaseTestCase):
    def send(self, need, member, body, *, htmx=False):
        self.client.force_login(member)
        url = reverse("aid:need_message", args=[need.code])
        if htmx:
            return self.client.post(url, {"body": body}, HTTP_HX_REQUEST="true")
        return self.client.post(url, {"body": body})

    def test_it_sends_an_anonymous_visitor_to_log_in_and_sends_nothing(self):
        need = self.claimed_need()
        url = reverse("aid:need_message", args=[need.code])
        response = self.client.post(url, {"body": "Hello"})
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={url}")
        self.assertEqual(Message.objects.count(), 0)

    def test_the_requester_writes_to_the_volunteer(self):
        need = self.claimed_need()
        response = self.send(need, self.requester, "  Is 5pm all right?  ")
        self.assertRedirects(
            response,
            reverse("aid:need", args=[need.code]) + "#conversation",
            fetch_redirect_response=False,
        )
        message = Message.objects.get()
        self.assertEqual(message.sender, self.requester)
        self.assertEqual(message.body, "Is 5pm all right?")
        self.assertEqual(message.claim, need.claims.get())
        self.assertTrue(need.events.filter(kind=EventKind.MESSAGE_SENT).exists())
        self.assertContains(self.client.get(response.url), "Is 5pm all right?")

    def test_the_volunteer_answers_by_htmx_and_gets_the_panel_back(self):
        need = self.claimed_need()
        response = self.send(need, self.volunteer, "Yes, see you then", htmx=True)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'id="need-panel"')
        self.assertContains(response, "Yes, see you then")
        self.assertNotContains(response, "<html")
        self.assertEqual(Message.objects.get().sender, self.volunteer)

    def test_they_may_still_talk_once_it_is_marked_done(self):
        need = self.claimed_need()
        services.need_mark_fulfilled(need=need, member=self.volunteer)
        self.send(need, self.requester, "Thank you so much")
        self.assertEqual(Message.objects.get().body, "Thank you so much")

    def test_the_outsider_gets_404_on_a_claimed_need_and_sends_nothing(self):
        need = self.claimed_need()
        before = record_counts()
        for htmx in (False, True):
            with self.subTest(htmx=htmx):
                response = self.send(need, self.outsider, "Let me in", htmx=htmx)
                self.assertEqual(response.status_code, 404)
        self.assertEqual(record_counts(), before)

    def test_the_outsider_cannot_write_on_an_open_need(self):
        need = self.claimed_need()
        services.need_release(need=need, member=self.volunteer)
        before = record_counts()
        response = self.send(need, self.outsider, "Let me in")
        self.assertContains(response, REFUSAL, status_code=409)
        self.assertNotContains(response, "Let me in", status_code=409)
        self.assertEqual(record_counts(), before)

    def test_organizers_read_but_do_not_write(self):
        need = self.claimed_need()
        before = record_counts()
        response = self.send(need, self.organizer, "Organizer here")
        self.assertContains(response, REFUSAL, status_code=409)
        self.assertEqual(record_counts(), before)

    def test_a_released_claimant_can_no_longer_write(self):
        need = self.claimed_need()
        services.need_release(need=need, member=self.volunteer)
        before = record_counts()
        response = self.send(need, self.volunteer, "Are you still there?")
        self.assertContains(response, REFUSAL, status_code=409)
        self.assertNotContains(response, "Are you still there?", status_code=409)
        self.assertEqual(record_counts(), before)

    def test_nobody_writes_on_a_closed_need(self):
        need = self.claimed_need()
        services.need_mark_fulfilled(need=need, member=self.volunteer)
        services.need_confirm(need=need, member=self.requester)
        before = record_counts()
        response = self.send(need, self.requester, "One more thing")
        self.assertContains(response, REFUSAL, status_code=409)
        self.assertEqual(record_counts(), before)
        self.assertEqual(Need.objects.get(pk=need.pk).status, NeedStatus.CLOSED)

    def test_a_message_meant_for_a_released_volunteer_never_reaches_the_next_one(self):
        need = self.claimed_need()
        first_claim = need.claims.get()
        self.client.force_login(self.requester)
        page = self.client.get(reverse("aid:need", args=[need.code]))
        self.assertContains(page, f'name="claim" value="{first_claim.code}"')
        # While the requester types, the volunteer lets go and someone else takes it on.
        services.need_release(need=need, member=self.volunteer)
        services.need_claim(need=Need.objects.get(pk=need.pk), member=self.organizer)
        before = record_counts()
        response = self.client.post(
            reverse("aid:need_message", args=[need.code]),
            {"body": "The door code is 4711", "claim": str(first_claim.code)},
        )
        self.assertContains(response, STALE, status_code=409)
        # The words are kept for the requester to send again, knowingly.
        self.assertContains(response, "The door code is 4711", status_code=409)
        self.assertEqual(record_counts(), before)

    def test_an_unknown_conversation_code_is_refused_and_sends_nothing(self):
        need = self.claimed_need()
        before = record_counts()
        self.client.force_login(self.requester)
        url = reverse("aid:need_message", args=[need.code])
        response = self.client.post(url, {"body": "Hello there", "claim": str(uuid.uuid4())})
        self.assertContains(response, STALE, status_code=409)
        self.assertContains(response, "Hello there", status_code=409)
        self.assertEqual(record_counts(), before)

    def test_a_malformed_conversation_code_sends_nothing(self):
        need = self.claimed_need()
        before = record_counts()
        self.client.force_login(self.requester)
        url = reverse("aid:need_message", args=[need.code])
        for claim in ("1", "not-a-code"):
            with self.subTest(claim=claim):
                response = self.client.post(url, {"body": "Hello there", "claim": claim})
                self.assertContains(response, "Hello there", status_code=422)
                self.assertEqual(record_counts(), before)

    def test_a_malformed_conversation_code_is_refused_with_a_message(self):
        need = self.claimed_need()
        self.client.force_login(self.requester)
        url = reverse("aid:need_message", args=[need.code])
        response = self.client.post(url, {"body": "Hello there", "claim": "not-a-code"})
        self.assertContains(response, 'role="alert"', status_code=422)
        self.assertEqual(Message.objects.count(), 0)

    def test_it_refuses_an_empty_or_oversize_message_and_refills_it(self):
        need = self.claimed_need()
        before = record_counts()
        cases = {
            "an empty message": ("", "This field is required."),
            "only spaces": ("    ", "This field is required."),
            "an oversize message": (
                "m" * 2001,
                "Ensure this value has at most 2000 characters (it has 2001).",
            ),
        }
        for case, (body, error) in cases.items():
            for htmx in (False, True):
                with self.subTest(case, htmx=htmx):
                    response = self.send(need, self.requester, body, htmx=htmx)
                    self.assertContains(response, error, status_code=422)
                    self.assertContains(response, body.strip(), status_code=422)
                    self.assertEqual(record_counts(), before)
        htmx = self.send(need, self.requester, "", htmx=True)
        self.assertContains(htmx, 'id="need-panel"', status_code=422)
        self.assertNotContains(htmx, "<html", status_code=422)

    def test_it_escapes_what_members_write(self):
        need = self.claimed_need()
        response = self.send(need, self.volunteer, "<img src=x onerror=alert(1)>", htmx=True)
        self.assertContains(response, escape("<img src=x onerror=alert(1)>"))
        self.assertNotContains(response, "<img src=x")

    def test_it_answers_only_post(self):
        need = self.claimed_need()
        self.client.force_login(self.requester)
        response = self.client.get(reverse("aid:need_message", args=[need.code]))
        self.assertEqual(response.status_code, 405)
