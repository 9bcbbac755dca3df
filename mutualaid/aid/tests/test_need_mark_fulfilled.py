from datetime import UTC, datetime, timedelta

import time_machine
from django.test import override_settings

from mutualaid.aid import services
from mutualaid.aid.models import EventKind, Need, NeedStatus
from mutualaid.lib.refusal import Refusal
from mutualaid.test import BaseTestCase, changes_nothing, make_member

NOON = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
ONLY_CLAIMANT = "Only the volunteer who claimed this need can mark it done."
STALE = "This need has just changed."


class NeedMarkFulfilledTestCase(BaseTestCase):
    def test_it_marks_the_need_done_and_keeps_the_claim(self):
        need = self.claimed_need()
        claim = need.claims.get()
        with time_machine.travel(NOON, tick=False):
            services.need_mark_fulfilled(need=need, member=self.volunteer)

        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.FULFILLED)
        self.assertEqual(need.claimant, self.volunteer)
        self.assertEqual(need.status_changed_at, NOON)
        claim.refresh_from_db()
        self.assertIsNone(claim.ended_at)

    @override_settings(AUTO_CONFIRM_DAYS=7)
    def test_it_starts_the_auto_confirm_clock(self):
        need = self.claimed_need()
        with time_machine.travel(NOON, tick=False):
            services.need_mark_fulfilled(need=need, member=self.volunteer)
        need.refresh_from_db()
        self.assertEqual(need.auto_confirm_at(), NOON + timedelta(days=7))

    def test_it_records_the_volunteers_word_on_the_timeline(self):
        need = self.claimed_need()
        services.need_mark_fulfilled(need=need, member=self.volunteer)
        event = need.events.get(kind=EventKind.NEED_FULFILLED)
        self.assertEqual(event.actor, self.volunteer)
        self.assertEqual(event.claim, need.claims.get())

    def test_it_refuses_anyone_but_the_claimant(self):
        need = self.claimed_need()
        for member in (self.requester, self.organizer, self.outsider):
            with (
                self.subTest(member=member.handle),
                changes_nothing(self),
                self.assertRaisesMessage(Refusal, ONLY_CLAIMANT),
            ):
                services.need_mark_fulfilled(need=need, member=member)

    def test_it_refuses_an_open_need(self):
        need = self.post_need()
        with changes_nothing(self), self.assertRaises(Refusal):
            services.need_mark_fulfilled(need=need, member=self.volunteer)

    def test_it_refuses_marking_it_done_twice(self):
        need = self.claimed_need()
        services.need_mark_fulfilled(need=need, member=self.volunteer)
        with changes_nothing(self), self.assertRaisesMessage(Refusal, STALE):
            services.need_mark_fulfilled(need=need, member=self.volunteer)

    def test_it_refuses_a_need_cancelled_after_the_page_was_loaded(self):
        need = self.claimed_need()
        stale = Need.objects.get(pk=need.pk)
        services.need_cancel(need=need, member=self.requester)
        with changes_nothing(self), self.assertRaisesMessage(Refusal, STALE):
            services.need_mark_fulfilled(need=stale, member=self.volunteer)

    def test_it_refuses_a_former_claimant_marking_the_next_volunteers_claim_done(self):
        need = self.claimed_need()
        stale = Need.objects.get(pk=need.pk)
        services.need_release(need=need, member=self.volunteer)
        wanda = make_member("wanda")
        services.need_claim(need=need, member=wanda)

        with changes_nothing(self), self.assertRaises(Refusal):
            services.need_mark_fulfilled(need=stale, member=self.volunteer)
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.CLAIMED)
