"""A need's page: the summary for members, the private part only for those in the loop."""

import re
import uuid
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mutualaid.aid import services
from mutualaid.aid.models import EventKind, Message, NeedStatus, TimelineEvent
from mutualaid.test import BaseTestCase

DETAILS = "Flat 3B, ring twice. Allergic to peanuts."


class NeedDetailTestCase(BaseTestCase):
    def assertHandleAbsent(self, response, member):
        """The handle as a word: "vic" is also in "device-width"."""
        found = re.search(rf"\b{re.escape(member.handle)}\b", response.content.decode())
        self.assertIsNone(found, f"{member.handle} is shown")

    def page(self, need, member):
        self.client.force_login(member)
        return self.client.get(reverse("aid:need", args=[need.code]))

    def need_in(self, status):
        """A need of the requester's, claimed by the volunteer on the way when it must be."""
        if status == NeedStatus.OPEN:
            return self.post_need()
        if status == NeedStatus.EXPIRED:
            need = self.post_need()
            services.needs_expire(now=timezone.now() + timedelta(days=365))
            need.refresh_from_db()
            return need
        if status == NeedStatus.CANCELLED:
            need = self.post_need()
            services.need_cancel(need=need, member=self.requester)
            return need
        need = self.claimed_need()
        if status in (NeedStatus.FULFILLED, NeedStatus.CLOSED):
            services.need_mark_fulfilled(need=need, member=self.volunteer)
        if status == NeedStatus.CLOSED:
            services.need_confirm(need=need, member=self.requester)
        return need

    def talk(self, need, *bodies):
        senders = [self.requester, self.volunteer]
        for i, body in enumerate(bodies):
            services.message_send(need=need, sender=senders[i % 2], body=body)

    def test_it_sends_an_anonymous_visitor_to_log_in(self):
        need = self.post_need()
        url = reverse("aid:need", args=[need.code])
        response = self.client.get(url)
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={url}")

    def test_the_requester_sees_everything(self):
        need = self.claimed_need()
        self.talk(need, "Is 5pm all right?", "Yes, see you then")
        response = self.page(need, self.requester)
        self.assertContains(response, need.summary)
        self.assertContains(response, DETAILS)
        self.assertContains(response, "Is 5pm all right?")
        self.assertContains(response, "Yes, see you then")
        self.assertContains(response, self.volunteer.handle)

    def test_the_claimant_sees_the_details_and_their_conversation(self):
        need = self.claimed_need()
        self.talk(need, "Is 5pm all right?")
        response = self.page(need, self.volunteer)
        self.assertContains(response, DETAILS)
        self.assertContains(response, "Is 5pm all right?")
        self.assertContains(response, self.requester.handle)
        self.assertContains(response, 'id="conversation"')

    def test_an_organizer_sees_the_details_and_the_messages(self):
        need = self.claimed_need()
        self.talk(need, "Is 5pm all right?")
        response = self.page(need, self.organizer)
        self.assertContains(response, DETAILS)
        self.assertContains(response, "Is 5pm all right?")

    def test_any_member_sees_an_open_needs_summary_but_not_its_private_part(self):
        need = self.post_need()
        response = self.page(need, self.outsider)
        self.assertContains(response, need.summary)
        self.assertContains(response, "I can help")
        self.assertNotContains(response, DETAILS)
        self.assertNotContains(response, "Private details")
        self.assertNotContains(response, 'id="conversation"')
        self.assertHandleAbsent(response, self.requester)

    def test_the_outsider_reads_no_old_messages_on_a_need_that_is_open_again(self):
        need = self.claimed_need()
        self.talk(need, "My door code is K-4711-Z")
        services.need_release(need=need, member=self.volunteer)
        response = self.page(need, self.outsider)
        self.assertContains(response, need.summary)
        self.assertNotContains(response, "K-4711-Z")
        self.assertNotContains(response, DETAILS)
        self.assertHandleAbsent(response, self.volunteer)

    def test_the_outsider_gets_404_for_a_need_that_is_not_open(self):
        for status in (
            NeedStatus.CLAIMED,
            NeedStatus.FULFILLED,
            NeedStatus.CLOSED,
            NeedStatus.CANCELLED,
            NeedStatus.EXPIRED,
        ):
            with self.subTest(status):
                need = self.need_in(status)
                self.assertEqual(need.status, status)
                response = self.page(need, self.outsider)
                self.assertEqual(response.status_code, 404)
                self.assertNotContains(response, need.summary, status_code=404)

    def test_the_requester_and_organizers_still_see_a_need_that_is_not_open(self):
        for status in (NeedStatus.CLOSED, NeedStatus.CANCELLED, NeedStatus.EXPIRED):
            with self.subTest(status):
                need = self.need_in(status)
                for member in (self.requester, self.organizer):
                    response = self.page(need, member)
                    self.assertContains(response, DETAILS)

    def test_a_released_claimant_loses_the_details_and_messages_at_once(self):
        need = self.claimed_need()
        self.talk(need, "My door code is K-4711-Z")
        self.assertContains(self.page(need, self.volunteer), "K-4711-Z")
        services.need_release(need=need, member=self.volunteer)
        response = self.page(need, self.volunteer)
        self.assertEqual(response.status_code, 200)  # open again: on the board for everyone
        self.assertNotContains(response, DETAILS)
        self.assertNotContains(response, "K-4711-Z")
        self.assertNotContains(response, 'id="conversation"')

    def test_a_released_claimant_sees_nothing_private_once_another_takes_it(self):
        need = self.claimed_need()
        self.talk(need, "My door code is K-4711-Z")
        services.need_release(need=need, member=self.volunteer)
        services.need_claim(need=need, member=self.organizer)
        response = self.page(need, self.volunteer)
        self.assertNotContains(response, DETAILS, status_code=response.status_code)
        self.assertNotContains(response, "K-4711-Z", status_code=response.status_code)

    def test_the_claimant_of_a_closed_need_no_longer_sees_the_details(self):
        need = self.need_in(NeedStatus.CLOSED)
        response = self.page(need, self.volunteer)
        self.assertNotContains(response, DETAILS, status_code=response.status_code)

    def test_an_unknown_code_or_an_integer_id_gives_404(self):
        need = self.post_need()
        self.client.force_login(self.requester)
        self.assertEqual(self.client.get(reverse("aid:need", args=[uuid.uuid4()])).status_code, 404)
        self.assertEqual(self.client.get(f"/needs/{need.pk}/").status_code, 404)

    def test_it_escapes_what_members_write(self):
        need = self.claimed_need(summary="<b>bold</b> request")
        self.talk(need, "<script>alert(1)</script>")
        response = self.page(need, self.requester)
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")
        self.assertNotContains(response, "<script>alert(1)")
        self.assertNotContains(response, "<b>bold</b>")

    def test_an_htmx_request_gets_only_the_need_panel(self):
        need = self.claimed_need()
        self.client.force_login(self.requester)
        response = self.client.get(reverse("aid:need", args=[need.code]), HTTP_HX_REQUEST="true")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'id="need-panel"')
        self.assertNotContains(response, "<html")

    def test_its_query_count_does_not_grow_with_messages_and_events(self):
        need = self.claimed_need()
        claim = need.claims.get()
        self.client.force_login(self.requester)
        url = reverse("aid:need", args=[need.code])
        self.client.get(url)  # warm up the session

        def add(start, stop):
            now = timezone.now()
            senders = [self.requester, self.volunteer]
            Message.objects.bulk_create(
                Message(claim=claim, sender=senders[i % 2], body=f"Note {i}", created_at=now)
                for i in range(start, stop)
            )
            TimelineEvent.objects.bulk_create(
                TimelineEvent(
                    need=need,
                    claim=claim,
                    actor=senders[i % 2],
                    kind=EventKind.MESSAGE_SENT,
                    created_at=now,
                )
                for i in range(start, stop)
            )

        add(0, 3)
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        add(3, 40)
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(url)
        self.assertEqual(Message.objects.filter(claim=claim).count(), 40)
        self.assertContains(response, "Note 39")
        self.assertEqual(len(many), len(few), [q["sql"] for q in many.captured_queries])

    def test_it_answers_only_get(self):
        need = self.post_need()
        self.client.force_login(self.requester)
        self.assertEqual(self.client.post(reverse("aid:need", args=[need.code])).status_code, 405)
