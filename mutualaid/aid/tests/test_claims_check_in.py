"""Check-ins: a claim with no sign of life asks its volunteer "still on it?", and is released
when they do not answer in time."""

from datetime import UTC, datetime, timedelta

import time_machine
from django.urls import reverse

from mutualaid.accounts.models import Notice
from mutualaid.aid import services
from mutualaid.aid.models import ClaimEnd, EventKind, Need, NeedStatus, Urgency
from mutualaid.aid.tasks import CLOCKS, check_in_on_claims
from mutualaid.lib.refusal import Refusal
from mutualaid.test import BaseTestCase, changes_nothing

NOON = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


class CheckInTestCase(BaseTestCase):
    def claimed_at_noon(self, urgency=Urgency.TODAY):
        with time_machine.travel(NOON, tick=False):
            return self.claimed_need(urgency=urgency)

    def run_at(self, after):
        with time_machine.travel(NOON + after, tick=False):
            return services.claims_check_in()

    def kinds(self, member):
        return list(Notice.objects.filter(member=member).values_list("kind", flat=True))

    def last_event(self, need):
        event = need.events.order_by("-created_at", "-pk").first()
        return event.kind, event.actor_id


class ClaimsCheckInServiceTestCase(CheckInTestCase):
    def test_it_asks_after_a_time_that_depends_on_urgency(self):
        today = self.claimed_at_noon(Urgency.TODAY)
        week = self.claimed_at_noon(Urgency.WEEK)
        self.assertEqual(self.run_at(HOUR * 5), (0, 0))
        self.assertEqual(self.run_at(HOUR * 6), (1, 0))
        self.assertEqual(self.last_event(today), (EventKind.CHECK_IN_ASKED, None))
        self.assertEqual(self.kinds(self.volunteer), ["check_in"])
        self.assertEqual(self.run_at(HOUR * 7), (0, 0))  # asked once
        self.assertEqual(self.run_at(timedelta(days=3)), (1, 1))  # the week's; today's released
        self.assertEqual(self.last_event(week), (EventKind.CHECK_IN_ASKED, None))

    def test_no_answer_releases_it_and_tells_the_requester_and_the_volunteer(self):
        need = self.claimed_at_noon(Urgency.TODAY)
        self.run_at(HOUR * 6)
        self.assertEqual(self.run_at(HOUR * 8), (0, 0))
        self.assertEqual(self.run_at(HOUR * 9), (0, 1))
        need.refresh_from_db()
        self.assertEqual((need.status, need.claimant), (NeedStatus.OPEN, None))
        self.assertEqual(need.claims.get().end_reason, ClaimEnd.LAPSED)
        self.assertEqual(self.last_event(need), (EventKind.CHECK_IN_LAPSED, None))
        self.assertEqual(self.kinds(self.requester)[-1], "check_in_released")
        self.assertEqual(self.kinds(self.volunteer), ["check_in", "check_in_lapsed"])

    def test_a_message_from_the_volunteer_is_a_sign_of_life(self):
        need = self.claimed_at_noon(Urgency.TODAY)
        self.run_at(HOUR * 6)
        with time_machine.travel(NOON + HOUR * 7, tick=False):
            services.message_send(need=need, sender=self.volunteer, body="On my way soon")
        self.assertEqual(self.run_at(HOUR * 12), (0, 0))
        self.assertEqual(self.run_at(HOUR * 13), (1, 0))  # six hours after the message

    def test_a_message_from_the_requester_is_not(self):
        need = self.claimed_at_noon(Urgency.TODAY)
        with time_machine.travel(NOON + HOUR, tick=False):
            services.message_send(need=need, sender=self.requester, body="Are you coming?")
        self.assertEqual(self.run_at(HOUR * 6), (1, 0))

    def test_yes_still_on_it_starts_the_clock_again(self):
        need = self.claimed_at_noon(Urgency.TODAY)
        self.run_at(HOUR * 6)
        with time_machine.travel(NOON + HOUR * 8, tick=False):
            services.need_check_in_keep(need=need, member=self.volunteer)
        self.assertEqual(self.last_event(need), (EventKind.CHECK_IN_ANSWERED, self.volunteer.pk))
        self.assertEqual(self.run_at(HOUR * 13), (0, 0))
        self.assertEqual(Need.objects.get(pk=need.pk).claimant, self.volunteer)
        self.assertEqual(self.run_at(HOUR * 14), (1, 0))

    def test_nobody_else_answers_and_there_must_be_a_question(self):
        need = self.claimed_at_noon()
        with changes_nothing(self), self.assertRaisesMessage(Refusal, "Nothing here is waiting"):
            services.need_check_in_keep(need=need, member=self.volunteer)
        self.run_at(HOUR * 6)
        for member in (self.requester, self.outsider, self.organizer):
            with (
                self.subTest(member.handle),
                changes_nothing(self),
                self.assertRaisesMessage(Refusal, "Only the volunteer"),
            ):
                services.need_check_in_keep(need=need, member=member)

    def test_a_need_marked_done_is_not_asked(self):
        need = self.claimed_at_noon()
        services.need_mark_fulfilled(need=need, member=self.volunteer)
        self.assertEqual(self.run_at(timedelta(days=2)), (0, 0))

    def test_the_clock_is_a_queued_task(self):
        self.assertIn(check_in_on_claims, CLOCKS)
        self.claimed_at_noon()
        with time_machine.travel(NOON + HOUR * 6, tick=False):
            self.assertEqual(check_in_on_claims.call(), 1)


class CheckInViewTestCase(CheckInTestCase):
    def asked_need(self):
        need = self.claimed_at_noon()
        self.run_at(HOUR * 6)
        return need

    def page(self, need, member):
        self.client.force_login(member)
        return self.client.get(reverse("aid:need", args=[need.code]))

    def test_the_volunteer_sees_yes_and_release_once_asked(self):
        need = self.claimed_at_noon()
        self.assertNotContains(self.page(need, self.volunteer), "Yes, still on it")
        self.run_at(HOUR * 6)
        page = self.page(need, self.volunteer)
        self.assertContains(page, "Yes, still on it")
        self.assertContains(page, "Release it")
        self.assertNotContains(self.page(need, self.requester), "Yes, still on it")

    def test_yes_from_the_page(self):
        need = self.asked_need()
        self.client.force_login(self.volunteer)
        response = self.client.post(reverse("aid:need_keep", args=[need.code]))
        self.assertRedirects(response, reverse("aid:need", args=[need.code]))
        self.assertFalse(need.claims.get().check_in_asked_at)
        self.assertNotContains(self.page(need, self.volunteer), "Yes, still on it")

    def test_release_from_the_page(self):
        need = self.asked_need()
        self.client.force_login(self.volunteer)
        self.client.post(reverse("aid:need_release", args=[need.code]), {"confirm": "yes"})
        self.assertEqual(Need.objects.get(pk=need.pk).status, NeedStatus.OPEN)

    def test_the_outsider_is_refused_and_nothing_changes(self):
        need = self.asked_need()
        self.client.force_login(self.outsider)
        with changes_nothing(self):
            response = self.client.post(reverse("aid:need_keep", args=[need.code]))
        self.assertEqual(response.status_code, 404)
        self.assertTrue(need.claims.get().check_in_asked_at)

    def test_it_sends_an_anonymous_visitor_to_log_in(self):
        need = self.asked_need()
        url = reverse("aid:need_keep", args=[need.code])
        self.assertRedirects(self.client.post(url), f"{reverse('accounts:login')}?next={url}")
