"""A match asks first: the volunteer accepts or declines, or the proposal lapses at its deadline."""

from datetime import UTC, datetime, timedelta

import time_machine
from django.urls import reverse

from mutualaid.accounts.models import Notice
from mutualaid.aid import selectors, services
from mutualaid.aid.models import (
    EventKind,
    Need,
    NeedStatus,
    Proposal,
    ProposalAnswer,
    Visibility,
)
from mutualaid.aid.tasks import CLOCKS, expire_unanswered_proposals
from mutualaid.lib.refusal import Refusal
from mutualaid.network.models import NetworkSettings
from mutualaid.test import BaseTestCase, changes_nothing, make_member

NOON = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


class ProposalTestCase(BaseTestCase):
    def propose(self, **fields):
        need = self.post_need(**fields)
        services.need_assign(need=need, volunteer=self.volunteer, organizer=self.organizer)
        need.refresh_from_db()
        return need

    def kinds(self, member):
        return list(Notice.objects.filter(member=member).values_list("kind", flat=True))

    def events(self, need):
        return list(need.events.values_list("kind", "actor"))[1:]  # after the posting


class ProposalServiceTestCase(ProposalTestCase):
    def test_accepting_claims_it_with_the_same_compare_and_set(self):
        need = self.propose()
        claim = services.need_proposal_accept(need=need, member=self.volunteer)
        need.refresh_from_db()
        self.assertEqual((need.status, need.claimant), (NeedStatus.CLAIMED, self.volunteer))
        self.assertEqual(claim.volunteer, self.volunteer)
        self.assertEqual(need.proposals.get().answer, ProposalAnswer.ACCEPTED)
        self.assertEqual(
            self.events(need),
            [
                (EventKind.NEED_ASSIGNED, self.organizer.pk),
                (EventKind.PROPOSAL_ACCEPTED, self.volunteer.pk),
            ],
        )
        with self.assertRaisesMessage(Refusal, "not waiting for your answer"):
            services.need_proposal_accept(need=need, member=self.volunteer)

    def test_accepting_meets_the_claims_limits_again(self):
        need = self.propose()
        NetworkSettings.objects.update_or_create(pk=1, defaults={"max_active_claims": 1})
        self.claimed_need(summary="Another need")
        with self.assertRaisesMessage(Refusal, "your limit"):
            services.need_proposal_accept(need=need, member=self.volunteer)
        self.assertEqual(Need.objects.get(pk=need.pk).status, NeedStatus.PROPOSED)

    def test_only_the_volunteer_asked_may_answer(self):
        need = self.propose()
        for member in (self.outsider, self.requester, self.organizer):
            for answer in (services.need_proposal_accept, services.need_proposal_decline):
                with (
                    self.subTest(member=member.handle, answer=answer.__name__),
                    changes_nothing(self),
                    self.assertRaisesMessage(Refusal, "not waiting for your answer"),
                ):
                    answer(need=need, member=member)

    def test_declining_frees_the_need_and_tells_the_requester_and_the_organizer(self):
        need = self.propose()
        services.need_proposal_decline(need=need, member=self.volunteer)
        need.refresh_from_db()
        self.assertEqual((need.status, need.claimant), (NeedStatus.OPEN, None))
        self.assertEqual(need.proposals.get().answer, ProposalAnswer.DECLINED)
        self.assertEqual(self.events(need)[-1], (EventKind.PROPOSAL_DECLINED, self.volunteer.pk))
        self.assertEqual(self.kinds(self.requester), ["proposal_declined"])
        self.assertEqual(self.kinds(self.organizer), ["proposal_declined"])
        self.assertEqual(self.kinds(self.volunteer), ["match_proposed"])

    def test_a_requester_who_took_up_an_offer_is_told_once(self):
        need, offer = self.post_need(), self.post_offer()
        services.need_match_offer(need=need, offer=offer, member=self.requester)
        services.need_proposal_decline(need=need, member=self.volunteer)
        self.assertEqual(self.kinds(self.requester), ["proposal_declined"])

    def test_no_answer_by_the_deadline_frees_it(self):
        NetworkSettings.objects.update_or_create(pk=1, defaults={"proposal_hours": 6})
        with time_machine.travel(NOON, tick=False):
            need = self.propose(visibility=Visibility.ORGANIZERS)
        with time_machine.travel(NOON + timedelta(hours=5, minutes=59), tick=False):
            self.assertEqual(services.proposals_expire(), 0)
        with time_machine.travel(NOON + timedelta(hours=6), tick=False):
            self.assertEqual(services.proposals_expire(), 1)
            self.assertEqual(services.proposals_expire(), 0)
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.OPEN)
        self.assertEqual(need.proposals.get().answer, ProposalAnswer.EXPIRED)
        self.assertEqual(self.events(need)[-1], (EventKind.PROPOSAL_EXPIRED, None))
        self.assertEqual(self.kinds(self.requester), ["proposal_expired"])
        self.assertEqual(self.kinds(self.organizer), ["proposal_expired"])
        self.assertEqual(self.kinds(self.volunteer), ["match_proposed", "proposal_lapsed"])
        # An organizers-only need goes back to the organizers, not to the volunteer asked.
        self.assertFalse(selectors.needs_visible_to(member=self.volunteer).filter(pk=need.pk))
        with self.assertRaisesMessage(Refusal, "not waiting for your answer"):
            services.need_proposal_accept(need=need, member=self.volunteer)

    def test_the_clock_is_a_queued_task(self):
        self.assertIn(expire_unanswered_proposals, CLOCKS)
        with time_machine.travel(NOON, tick=False):
            need = self.propose()
        with time_machine.travel(NOON + timedelta(days=2), tick=False):
            expire_unanswered_proposals.call()
        self.assertEqual(Need.objects.get(pk=need.pk).status, NeedStatus.OPEN)

    def test_cancelling_or_hiding_a_proposed_need_withdraws_the_proposal(self):
        cancelled = self.propose()
        services.need_cancel(need=cancelled, member=self.requester)
        self.assertEqual(cancelled.proposals.get().answer, ProposalAnswer.WITHDRAWN)
        hidden = self.propose(summary="Another need")
        services.post_hide(post=hidden, by=self.organizer)
        hidden.refresh_from_db()
        self.assertEqual(hidden.status, NeedStatus.OPEN)
        self.assertEqual(hidden.proposals.get().answer, ProposalAnswer.WITHDRAWN)
        self.assertEqual(self.kinds(self.volunteer).count("proposal_withdrawn"), 2)

    def test_a_volunteer_who_is_suspended_or_leaves_frees_what_they_were_asked(self):
        need = self.propose()
        self.assertEqual(services.needs_release_held(member=self.volunteer), 1)
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.OPEN)
        self.assertEqual(self.events(need)[-1], (EventKind.PROPOSAL_WITHDRAWN, None))
        self.assertEqual(self.kinds(self.requester), ["proposal_declined"])

    def test_one_live_proposal_per_need(self):
        need = self.propose()
        other = make_member("val", area=self.north)
        with changes_nothing(self), self.assertRaisesMessage(Refusal, "waits for their answer"):
            services.need_assign(need=need, volunteer=other, organizer=self.organizer)
        self.assertEqual(Proposal.objects.filter(need=need).count(), 1)


class ProposalViewTestCase(ProposalTestCase):
    def post(self, need, member, action, *, htmx=False):
        self.client.force_login(member)
        extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        return self.client.post(reverse(f"aid:need_{action}", args=[need.code]), **extra)

    def page(self, need, member):
        self.client.force_login(member)
        return self.client.get(reverse("aid:need", args=[need.code]))

    def test_the_volunteer_asked_sees_accept_and_decline_and_nobody_else(self):
        need = self.propose(visibility=Visibility.ORGANIZERS)
        page = self.page(need, self.volunteer)
        self.assertContains(page, "You are asked to take this on")
        self.assertContains(page, reverse("aid:need_decline", args=[need.code]))
        self.assertNotContains(page, "Allergic to peanuts")  # not before they accept
        for member in (self.requester, self.organizer):
            with self.subTest(member.handle):
                page = self.page(need, member)
                self.assertContains(page, "vic, who has until")
                self.assertNotContains(page, reverse("aid:need_accept", args=[need.code]))
        self.assertEqual(self.page(need, self.outsider).status_code, 404)

    def test_my_claims_lists_what_waits_for_an_answer(self):
        need = self.propose()
        self.client.force_login(self.volunteer)
        response = self.client.get(reverse("aid:my_claims"))
        self.assertContains(response, "Asked of you: accept or decline")
        self.assertContains(response, need.summary)

    def test_accepting_from_the_page(self):
        need = self.propose()
        response = self.post(need, self.volunteer, "accept")
        self.assertRedirects(response, reverse("aid:need", args=[need.code]))
        self.assertEqual(Need.objects.get(pk=need.pk).claimant, self.volunteer)
        self.assertContains(self.page(need, self.volunteer), "Allergic to peanuts")

    def test_declining_an_organizers_only_need_says_it_is_no_longer_theirs(self):
        need = self.propose(visibility=Visibility.ORGANIZERS)
        response = self.post(need, self.volunteer, "decline", htmx=True)
        self.assertContains(response, "This need is no longer yours")
        self.assertEqual(Need.objects.get(pk=need.pk).status, NeedStatus.OPEN)

    def test_htmx_gets_the_panel_back(self):
        need = self.propose()
        response = self.post(need, self.volunteer, "accept", htmx=True)
        self.assertContains(response, 'id="need-panel"')
        self.assertNotContains(response, "<html")

    def test_the_outsider_is_refused_and_nothing_changes(self):
        need = self.propose(visibility=Visibility.ORGANIZERS)
        for action in ("accept", "decline"):
            with self.subTest(action), changes_nothing(self):
                self.assertEqual(self.post(need, self.outsider, action).status_code, 404)
        members_need = self.propose(summary="Another need")
        for action in ("accept", "decline"):
            with self.subTest(action), changes_nothing(self):
                self.assertEqual(self.post(members_need, self.outsider, action).status_code, 404)
        self.assertEqual(Need.objects.get(pk=need.pk).status, NeedStatus.PROPOSED)

    def test_the_requester_cannot_answer_for_the_volunteer(self):
        need = self.propose()
        with changes_nothing(self):
            response = self.post(need, self.requester, "accept")
        self.assertRedirects(response, reverse("aid:need", args=[need.code]))
        self.assertEqual(Need.objects.get(pk=need.pk).status, NeedStatus.PROPOSED)

    def test_it_sends_an_anonymous_visitor_to_log_in_and_answers_only_post(self):
        need = self.propose()
        url = reverse("aid:need_accept", args=[need.code])
        response = self.client.post(url)
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={url}")
        self.client.force_login(self.volunteer)
        self.assertEqual(self.client.get(url).status_code, 405)
