from datetime import UTC, datetime

import time_machine

from mutualaid.aid import services
from mutualaid.aid.models import EventKind, Message, Need
from mutualaid.lib.refusal import Refusal
from mutualaid.test import BaseTestCase, changes_nothing, make_member

NOON = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
NOT_YOURS = "Messages are between the person who posted this need and its volunteer."


class MessageSendTestCase(BaseTestCase):
    def test_the_requester_writes_to_the_volunteer(self):
        need = self.claimed_need()
        with time_machine.travel(NOON, tick=False):
            message = services.message_send(need=need, sender=self.requester, body="Thank you!")

        message.refresh_from_db()
        self.assertEqual(message.claim, need.claims.get())
        self.assertEqual(message.sender, self.requester)
        self.assertEqual(message.body, "Thank you!")
        self.assertEqual(message.created_at, NOON)

    def test_the_volunteer_answers(self):
        need = self.claimed_need()
        message = services.message_send(need=need, sender=self.volunteer, body="On my way")
        self.assertEqual(message.sender, self.volunteer)
        self.assertEqual(message.claim.volunteer, self.volunteer)

    def test_it_records_who_wrote_but_not_what(self):
        need = self.claimed_need()
        services.message_send(need=need, sender=self.volunteer, body="Flat 3B, second floor")
        event = need.events.get(kind=EventKind.MESSAGE_SENT)
        self.assertEqual(event.actor, self.volunteer)
        self.assertEqual(event.claim, need.claims.get())
        self.assertNotIn("Flat 3B", str(need.events.values()))

    def test_they_may_still_talk_once_it_is_marked_done(self):
        need = self.claimed_need()
        services.need_mark_fulfilled(need=need, member=self.volunteer)
        services.message_send(need=need, sender=self.requester, body="Did you bring milk?")
        services.message_send(need=need, sender=self.volunteer, body="Yes")
        self.assertEqual(Message.objects.filter(claim__need=need).count(), 2)

    def test_it_refuses_the_organizer_and_the_outsider(self):
        need = self.claimed_need()
        for member in (self.organizer, self.outsider):
            with (
                self.subTest(member=member.handle),
                changes_nothing(self),
                self.assertRaisesMessage(Refusal, NOT_YOURS),
            ):
                services.message_send(need=need, sender=member, body="Hello")

    def test_it_refuses_everyone_on_an_open_need(self):
        need = self.post_need()
        for member in (self.requester, self.volunteer):
            with (
                self.subTest(member=member.handle),
                changes_nothing(self),
                self.assertRaisesMessage(Refusal, NOT_YOURS),
            ):
                services.message_send(need=need, sender=member, body="Hello")

    def test_it_refuses_a_released_claimant(self):
        need = self.claimed_need()
        services.need_release(need=need, member=self.volunteer)
        with changes_nothing(self), self.assertRaisesMessage(Refusal, NOT_YOURS):
            services.message_send(need=need, sender=self.volunteer, body="Sorry, I can't")

    def test_it_refuses_everyone_once_the_need_is_closed(self):
        need = self.claimed_need()
        services.need_mark_fulfilled(need=need, member=self.volunteer)
        services.need_confirm(need=need, member=self.requester)
        for member in (self.requester, self.volunteer):
            with (
                self.subTest(member=member.handle),
                changes_nothing(self),
                self.assertRaisesMessage(Refusal, NOT_YOURS),
            ):
                services.message_send(need=need, sender=member, body="Thanks again")

    def test_it_refuses_a_message_to_a_volunteer_who_released_after_the_page_was_loaded(self):
        need = self.claimed_need()
        stale = Need.objects.get(pk=need.pk)
        services.need_release(need=need, member=self.volunteer)
        with changes_nothing(self), self.assertRaises(Refusal):
            services.message_send(need=stale, sender=self.requester, body="Are you coming?")

    def test_it_refuses_a_released_claimant_writing_into_the_next_volunteers_conversation(self):
        # Vic loaded the page while he held the need, then released it in another tab; Wanda
        # claimed it. Vic's message must not land in Wanda's conversation with the requester.
        need = self.claimed_need()
        stale = Need.objects.get(pk=need.pk)
        services.need_release(need=need, member=self.volunteer)
        services.need_claim(need=need, member=make_member("wanda"))

        with changes_nothing(self), self.assertRaises(Refusal):
            services.message_send(need=stale, sender=self.volunteer, body="Still coming!")

    def test_it_refuses_a_message_meant_for_a_volunteer_who_has_since_been_replaced(self):
        # Rosa's page still shows Vic; meanwhile Vic released and Wanda claimed. A note for Vic
        # (a door code, say) must not reach Wanda unseen: the page has to catch up first.
        need = self.claimed_need()
        stale = Need.objects.get(pk=need.pk)
        services.need_release(need=need, member=self.volunteer)
        services.need_claim(need=need, member=make_member("wanda"))

        with changes_nothing(self), self.assertRaises(Refusal):
            services.message_send(need=stale, sender=self.requester, body="Vic, the code is 1234")

    def test_it_writes_into_the_conversation_the_page_named(self):
        need = self.claimed_need()
        claim = need.claims.get()
        message = services.message_send(
            need=need, sender=self.requester, body="Hello", claim_code=claim.code
        )
        self.assertEqual(message.claim, claim)

    def test_it_refuses_a_conversation_that_has_ended(self):
        need = self.claimed_need()
        old = need.claims.get()
        services.need_release(need=need, member=self.volunteer)
        services.need_claim(need=need, member=make_member("wanda"))
        need.refresh_from_db()
        with changes_nothing(self), self.assertRaises(Refusal):
            services.message_send(
                need=need, sender=self.requester, body="Vic, the code is 1234", claim_code=old.code
            )
