"""Relay: organizers who take calls speak for callers without an account on their needs. The
relay list shows what waits for them, the caller's page their contact (the read is recorded), and
the need's relay page the conversation, a reply sent for them, and confirm or cancel."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutualaid.accounts.models import ContactKind
from mutualaid.accounts.services import proxy_take_over
from mutualaid.aid import services as aid
from mutualaid.aid.models import AccessKind, EventKind, Message, NeedStatus, PrivateAccess, Urgency
from mutualaid.dispatch import intake, queues, selectors
from mutualaid.lib.refusal import Refusal
from mutualaid.test import BaseTestCase, make_member
from mutualaid.trust.models import Level, Role


class RelayTestCase(BaseTestCase):
    def take_in(self, summary="Groceries for an older neighbor", caller=None):
        need, code = intake.need_take_in(
            organizer=self.organizer,
            category=self.groceries,
            area=self.north,
            summary=summary,
            details="Third floor, no lift.",
            urgency=Urgency.SOON,
            caller=caller,
            contact_kind=ContactKind.PHONE,
            contact="415 555 2671",
            consent=True,
        )
        return need, code

    def claimed(self):
        need, code = self.take_in()
        aid.need_claim(need=need, member=self.volunteer)
        need.refresh_from_db()
        aid.message_send(need=need, sender=self.volunteer, body="I can come at six. Door code?")
        return need, code


class RelayServicesTestCase(RelayTestCase):
    def test_a_reply_goes_as_the_caller_relayed_by_the_organizer(self):
        need, _code = self.claimed()

        message = intake.relay_reply(need=need, organizer=self.organizer, body="Six is fine.")

        self.assertEqual(message.sender, need.requester)
        self.assertEqual(message.relayed_by, self.organizer)
        last = list(need.events.order_by("-pk").values_list("kind", "actor")[:2])
        self.assertEqual(
            last,
            [
                (EventKind.MESSAGE_RELAYED, self.organizer.pk),
                (EventKind.MESSAGE_SENT, need.requester_id),
            ],
        )
        self.assertTrue(self.volunteer.notices.filter(kind="message_received").exists())

    def test_the_organizer_confirms_or_cancels_for_them(self):
        need, _code = self.claimed()
        aid.need_mark_fulfilled(need=need, member=self.volunteer)
        intake.relay_act(need=need, organizer=self.organizer, action="confirm")
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.CLOSED)
        last = list(need.events.order_by("-pk").values_list("kind", "actor")[:2])
        self.assertEqual(
            last,
            [
                (EventKind.ACTED_FOR, self.organizer.pk),
                (EventKind.NEED_CONFIRMED, need.requester_id),
            ],
        )

        other, _code = self.take_in(summary="Soup", caller=need.requester.proxy)
        intake.relay_act(need=other, organizer=self.organizer, action="cancel")
        other.refresh_from_db()
        self.assertEqual(other.status, NeedStatus.CANCELLED)

    def test_nobody_speaks_for_a_member_with_an_account(self):
        need = self.claimed_need()
        taken, code = self.claimed()
        proxy_take_over(code=code, password="a long new password 42")
        for one in (need, taken):
            with self.subTest(one.summary), self.assertRaises(Refusal):
                intake.relay_reply(need=one, organizer=self.organizer, body="Hello")
            with self.assertRaises(Refusal):
                intake.relay_act(need=one, organizer=self.organizer, action="cancel")
        self.assertFalse(Message.objects.filter(relayed_by__isnull=False).exists())

    def test_only_organizers_who_take_calls_relay(self):
        need, _code = self.claimed()
        for member in (self.volunteer, make_member("saf", roles=[Role.SAFETY])):
            with self.subTest(member.handle), self.assertRaises(Refusal):
                intake.relay_reply(need=need, organizer=member, body="Hello")
        self.assertEqual(Message.objects.count(), 1)


class RelayPagesTestCase(RelayTestCase):
    def test_outsiders_are_refused(self):
        need, _code = self.claimed()
        caller = need.requester
        urls = [
            (reverse("dispatch:relay"), "get"),
            (reverse("dispatch:relay_caller", args=[caller.code]), "get"),
            (reverse("dispatch:relay_need", args=[need.code]), "get"),
            (reverse("dispatch:relay_reply", args=[need.code]), "post"),
            (reverse("dispatch:relay_act", args=[need.code]), "post"),
        ]
        refused = [
            self.outsider,
            self.volunteer,
            make_member("new", level=Level.NEWCOMER),
            make_member("saf", roles=[Role.SAFETY]),
            make_member("adm", roles=[Role.ADMIN]),
        ]
        for url, method in urls:
            self.client.logout()
            data = {"body": "Hi", "action": "cancel"} if method == "post" else {}
            response = getattr(self.client, method)(url, data)
            self.assertRedirects(
                response, f"{reverse('accounts:login')}?next={url}", fetch_redirect_response=False
            )
            for member in refused:
                self.client.force_login(member)
                with self.subTest(url=url, member=member.handle):
                    response = getattr(self.client, method)(url, data)
                    self.assertEqual(response.status_code, 403)
        self.assertEqual(Message.objects.count(), 1)
        self.assertFalse(PrivateAccess.objects.exists())
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.CLAIMED)

    def test_the_list_shows_what_waits_and_marks_it_read(self):
        need, _code = self.claimed()
        caller = need.requester
        self.client.force_login(make_member("dex", roles=[Role.DISPATCHER]))

        page = self.client.get(reverse("dispatch:relay"))

        self.assertContains(page, caller.handle)
        self.assertContains(page, need.summary)
        self.assertContains(page, "A volunteer has taken on your need")
        self.assertFalse(caller.notices.filter(read_at__isnull=True).exists())
        self.assertNotContains(self.client.get(reverse("dispatch:relay")), "New:")

    def test_a_volunteers_message_waits_marked_until_the_organizer_answers_for_them(self):
        need, _code = self.claimed()
        self.client.force_login(self.organizer)
        waiting = "The volunteer wrote last"
        self.assertContains(self.client.get(reverse("dispatch:relay")), waiting)
        self.assertEqual(queues.organize_counts(self.organizer)["replies"], 1)
        self.assertEqual(list(selectors.replies_waiting()), [need])

        intake.relay_reply(need=need, organizer=self.organizer, body="Six is fine.")

        self.assertNotContains(self.client.get(reverse("dispatch:relay")), waiting)
        self.assertEqual(queues.organize_counts(self.organizer)["replies"], 0)

    def test_a_caller_who_took_over_leaves_the_list(self):
        need, code = self.take_in()
        proxy_take_over(code=code, password="a long new password 42")
        self.client.force_login(self.organizer)
        self.assertNotContains(self.client.get(reverse("dispatch:relay")), need.summary)
        self.assertEqual(
            self.client.get(reverse("dispatch:relay_need", args=[need.code])).status_code, 404
        )

    def test_the_list_keeps_its_query_count(self):
        self.client.force_login(self.organizer)
        self.claimed()
        with CaptureQueriesContext(connection) as few:
            self.client.get(reverse("dispatch:relay"))
        for n in range(6):
            need, _code = self.take_in(summary=f"Groceries {n}")
            aid.need_claim(need=need, member=make_member(f"vol{n}"))
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(reverse("dispatch:relay"))
        self.assertEqual(len(response.context["callers"]), 7)
        self.assertEqual(len(many), len(few))

    def test_the_callers_page_shows_the_contact_and_records_the_read(self):
        need, _code = self.take_in()
        caller = need.requester
        self.client.force_login(self.organizer)

        page = self.client.get(reverse("dispatch:relay_caller", args=[caller.code]))

        self.assertContains(page, "+14155552671")
        self.assertContains(page, need.summary)
        access = PrivateAccess.objects.get()
        self.assertEqual(
            (access.viewer, access.owner, access.need, access.what),
            (self.organizer, caller, None, AccessKind.CONTACT),
        )
        member_url = reverse("dispatch:relay_caller", args=[self.requester.code])
        self.assertEqual(self.client.get(member_url).status_code, 404)

    def test_the_need_page_shows_the_conversation_and_records_the_read(self):
        need, _code = self.claimed()
        self.client.force_login(self.organizer)

        page = self.client.get(reverse("dispatch:relay_need", args=[need.code]))

        self.assertContains(page, "Door code?")
        self.assertContains(page, "Third floor, no lift.")
        kinds = set(
            PrivateAccess.objects.filter(owner=need.requester, need=need).values_list(
                "what", flat=True
            )
        )
        self.assertEqual(kinds, {AccessKind.DETAILS, AccessKind.MESSAGES})
        other = self.post_need()
        self.assertEqual(
            self.client.get(reverse("dispatch:relay_need", args=[other.code])).status_code, 404
        )

    def test_reply_and_act_from_the_page(self):
        need, _code = self.claimed()
        self.client.force_login(self.organizer)
        page = reverse("dispatch:relay_need", args=[need.code])

        response = self.client.post(
            reverse("dispatch:relay_reply", args=[need.code]), {"body": "Code is 4512."}
        )
        self.assertRedirects(response, page, fetch_redirect_response=False)
        self.assertEqual(Message.objects.get(relayed_by=self.organizer).body, "Code is 4512.")
        empty = self.client.post(reverse("dispatch:relay_reply", args=[need.code]), {"body": ""})
        self.assertEqual(empty.status_code, 422)

        response = self.client.post(
            reverse("dispatch:relay_act", args=[need.code]), {"action": "confirm"}
        )
        self.assertRedirects(response, page, fetch_redirect_response=False)
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.CLAIMED)  # not marked done: nothing to confirm
        self.client.post(reverse("dispatch:relay_act", args=[need.code]), {"action": "cancel"})
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.CANCELLED)


class RelayAnswerTestCase(RelayTestCase):
    def test_the_organizer_answers_a_triagers_question_for_them(self):
        from mutualaid.aid import triage

        need, _code = self.take_in()
        triager = make_member("tia", roles=[Role.TRIAGER])
        triage.ask_more(need=need, by=triager, question="Which shop do they prefer?")
        self.client.force_login(self.organizer)
        page = reverse("dispatch:relay_need", args=[need.code])

        shown = self.client.get(page)
        self.assertContains(shown, "Which shop do they prefer?")
        self.assertTrue(PrivateAccess.objects.filter(need=need, what=AccessKind.NOTES).exists())
        response = self.client.post(
            reverse("dispatch:relay_answer", args=[need.code]), {"text": "The corner one."}
        )

        self.assertRedirects(response, page, fetch_redirect_response=False)
        answer = need.notes.get(kind="answer")
        self.assertEqual((answer.author, answer.body), (need.requester, "The corner one."))
        self.assertTrue(triager.notices.filter(kind="more_given").exists())
        self.assertEqual(
            self.client.post(
                reverse("dispatch:relay_answer", args=[need.code]), {"text": ""}
            ).status_code,
            422,
        )

    def test_outsiders_cannot_answer(self):
        need, _code = self.take_in()
        url = reverse("dispatch:relay_answer", args=[need.code])
        for member in (self.outsider, make_member("adm", roles=[Role.ADMIN])):
            self.client.force_login(member)
            self.assertEqual(self.client.post(url, {"text": "Hi"}).status_code, 403)
        self.assertFalse(need.notes.exists())
