"""Recurring needs: a need marked weekly or every two weeks is posted again when it closes as
done (through need_post), and its last volunteer is asked first, as a proposal."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from mutualaid.accounts.models import Level, Notice
from mutualaid.aid import services
from mutualaid.aid.models import (
    EventKind,
    Need,
    NeedStatus,
    Proposal,
    Recurrence,
    Urgency,
    Visibility,
)
from mutualaid.lib.refusal import Refusal
from mutualaid.network.models import NetworkSettings
from mutualaid.test import BaseTestCase, changes_nothing, make_member


class RecurringTestCase(BaseTestCase):
    def kinds(self, member):
        return list(
            Notice.objects.filter(member=member).order_by("pk").values_list("kind", flat=True)
        )

    def close(self, need):
        need.refresh_from_db()
        services.need_confirm(need=need, member=self.requester)

    def the_next(self, need):
        return Need.objects.get(follows=need)


class NeedPostRecurrenceTests(RecurringTestCase):
    def test_a_need_is_posted_as_recurring(self):
        need = self.post_need(recurrence=Recurrence.WEEKLY)
        self.assertEqual(Need.objects.get(pk=need.pk).recurrence, Recurrence.WEEKLY)

    def test_a_need_is_once_by_default(self):
        self.assertEqual(self.post_need().recurrence, Recurrence.NONE)

    def test_it_refuses_an_unknown_recurrence(self):
        with changes_nothing(self), self.assertRaises(Refusal) as caught:
            self.post_need(recurrence="daily")
        self.assertEqual(caught.exception.code, "invalid")


class NextOneTests(RecurringTestCase):
    def test_closing_it_posts_the_next_with_the_same_fields(self):
        need = self.fulfilled_need(
            recurrence=Recurrence.FORTNIGHTLY,
            urgency=Urgency.TODAY,
            visibility=Visibility.ORGANIZERS,
            anonymous=True,
        )
        self.close(need)
        following = self.the_next(need)
        need.refresh_from_db()
        for field in (
            "requester",
            "category",
            "area",
            "summary",
            "details",
            "urgency",
            "visibility",
            "anonymous",
            "recurrence",
        ):
            with self.subTest(field=field):
                self.assertEqual(getattr(following, field), getattr(need, field))
        self.assertEqual(need.status, NeedStatus.CLOSED)

    def test_both_timelines_say_so(self):
        need = self.fulfilled_need(recurrence=Recurrence.WEEKLY)
        self.close(need)
        following = self.the_next(need)
        self.assertTrue(need.events.filter(kind=EventKind.NEED_RECURRED, actor=None).exists())
        self.assertEqual(
            list(following.events.values_list("kind", flat=True)),
            [EventKind.NEED_POSTED, EventKind.NEED_OFFERED_AGAIN],
        )

    def test_its_last_volunteer_is_asked_first(self):
        need = self.fulfilled_need(recurrence=Recurrence.WEEKLY)
        self.close(need)
        following = self.the_next(need)
        self.assertEqual(following.status, NeedStatus.PROPOSED)
        proposal = Proposal.objects.get(need=following)
        self.assertEqual(
            (proposal.volunteer, proposal.proposed_by, proposal.answered_at),
            (self.volunteer, self.requester, None),
        )
        self.assertIn("recurring_proposed", self.kinds(self.volunteer))
        self.assertIn("recurring_posted", self.kinds(self.requester))
        # They answer it as any proposal: accepting, they hold it.
        following.refresh_from_db()
        services.need_proposal_accept(need=following, member=self.volunteer)
        self.assertEqual(Need.objects.get(pk=following.pk).claimant, self.volunteer)

    def test_a_decline_puts_it_on_the_board(self):
        need = self.fulfilled_need(recurrence=Recurrence.WEEKLY)
        self.close(need)
        following = self.the_next(need)
        services.need_proposal_decline(need=following, member=self.volunteer)
        self.assertEqual(Need.objects.get(pk=following.pk).status, NeedStatus.OPEN)

    def test_auto_confirm_posts_the_next_too(self):
        need = self.fulfilled_need(recurrence=Recurrence.WEEKLY)
        later = timezone.now() + timedelta(days=30)
        self.assertEqual(services.needs_auto_confirm(now=later), 1)
        self.assertEqual(self.the_next(need).status, NeedStatus.PROPOSED)

    def test_the_needed_by_date_moves_on_a_period(self):
        today = timezone.localdate()
        need = self.fulfilled_need(recurrence=Recurrence.FORTNIGHTLY, needed_by=today)
        self.close(need)
        self.assertEqual(self.the_next(need).needed_by, today + timedelta(weeks=2))

    def test_a_need_that_does_not_repeat_is_not_posted_again(self):
        need = self.fulfilled_need()
        self.close(need)
        self.assertFalse(Need.objects.filter(follows=need).exists())
        self.assertEqual(Need.objects.count(), 1)

    def test_cancelling_stops_the_series(self):
        need = self.claimed_need(recurrence=Recurrence.WEEKLY)
        services.need_cancel(need=need, member=self.requester)
        self.assertEqual(Need.objects.count(), 1)

    def test_a_volunteer_at_their_limit_is_not_asked_and_it_waits_on_the_board(self):
        NetworkSettings.objects.update_or_create(pk=1, defaults={"max_active_claims": 1})
        need = self.fulfilled_need(recurrence=Recurrence.WEEKLY)
        self.claimed_need()  # the volunteer holds another one now
        self.close(need)
        following = self.the_next(need)
        self.assertEqual(following.status, NeedStatus.OPEN)
        self.assertFalse(Proposal.objects.filter(need=following).exists())
        self.assertNotIn("recurring_proposed", self.kinds(self.volunteer))

    def test_a_refused_post_does_not_stop_the_close_and_the_requester_is_told(self):
        need = self.fulfilled_need(recurrence=Recurrence.WEEKLY)
        type(self.requester).objects.filter(pk=self.requester.pk).update(level=Level.SUSPENDED)
        need.refresh_from_db()
        self.requester.refresh_from_db()
        services.need_confirm(need=need, member=self.requester)
        self.assertEqual(Need.objects.get(pk=need.pk).status, NeedStatus.CLOSED)
        self.assertFalse(Need.objects.filter(follows=need).exists())
        self.assertIn("recurring_held", self.kinds(self.requester))

    def test_a_repost_keeps_the_recurrence(self):
        need = self.post_need(recurrence=Recurrence.WEEKLY)
        services.need_cancel(need=need, member=self.requester)
        again = services.need_repost(need=need, member=self.requester)
        self.assertEqual(again.recurrence, Recurrence.WEEKLY)


class RecurringFormTests(RecurringTestCase):
    def form(self, **extra):
        return {
            "category": self.groceries.slug,
            "summary": "Weekly groceries",
            "area": self.north.code,
            "urgency": Urgency.WEEK,
            **extra,
        }

    def test_the_form_offers_it_and_posts_it(self):
        self.client.force_login(self.requester)
        page = self.client.get(reverse("aid:need_new"))
        self.assertContains(page, "Every two weeks")
        response = self.client.post(reverse("aid:need_new"), self.form(recurrence="weekly"))
        need = Need.objects.get()
        self.assertRedirects(response, reverse("aid:need", args=[need.code]))
        self.assertEqual(need.recurrence, Recurrence.WEEKLY)
        self.assertContains(self.client.get(response.url), "Every week")

    def test_left_out_it_is_once(self):
        self.client.force_login(self.requester)
        self.client.post(reverse("aid:need_new"), self.form())
        self.assertEqual(Need.objects.get().recurrence, Recurrence.NONE)

    def test_the_form_refuses_an_unknown_choice(self):
        self.client.force_login(self.requester)
        response = self.client.post(reverse("aid:need_new"), self.form(recurrence="daily"))
        self.assertEqual(response.status_code, 422)
        self.assertFalse(Need.objects.exists())

    def test_the_anonymous_visitor_is_sent_to_log_in(self):
        url = reverse("aid:need_new")
        response = self.client.post(url, self.form(recurrence="weekly"))
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={url}")
        self.assertFalse(Need.objects.exists())

    def test_the_next_one_is_not_shown_to_the_outsider(self):
        need = self.fulfilled_need(recurrence=Recurrence.WEEKLY)
        self.close(need)
        following = self.the_next(need)  # proposed to the volunteer: off the board
        self.client.force_login(make_member("oona", area=self.north))
        response = self.client.get(reverse("aid:need", args=[following.code]))
        self.assertEqual(response.status_code, 404)
