"""Organizers match an open need with a volunteer: the volunteer is asked, and holds it once they
accept (the answer itself: test_need_proposal.py)."""

from datetime import timedelta

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import escape

from mutualaid.aid import services
from mutualaid.aid.models import EventKind, Need, NeedStatus, Proposal, Visibility
from mutualaid.lib.refusal import Refusal
from mutualaid.test import BaseTestCase, changes_nothing, make_member, record_counts

DETAILS = "Flat 3B, ring twice. Allergic to peanuts."
UNKNOWN = "No active member has that handle. Check its spelling."


class NeedAssignServiceTestCase(BaseTestCase):
    def test_it_proposes_the_need_to_the_volunteer_in_the_organizers_name(self):
        need = self.post_need(visibility=Visibility.ORGANIZERS)
        proposal = services.need_assign(
            need=need, volunteer=self.volunteer, organizer=self.organizer
        )
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.PROPOSED)
        self.assertIsNone(need.claimant)  # nobody holds it until they accept
        self.assertFalse(need.claims.exists())
        self.assertEqual(
            (proposal.volunteer, proposal.proposed_by, proposal.offer),
            (self.volunteer, self.organizer, None),
        )
        self.assertTrue(proposal.is_live())
        self.assertEqual(proposal.deadline - proposal.created_at, timedelta(hours=24))
        event = need.events.exclude(kind=EventKind.NEED_POSTED).get()
        self.assertEqual((event.kind, event.actor), (EventKind.NEED_ASSIGNED, self.organizer))

    def test_the_volunteer_holds_it_once_they_accept(self):
        need = self.post_need(visibility=Visibility.ORGANIZERS)
        services.need_assign(need=need, volunteer=self.volunteer, organizer=self.organizer)
        claim = services.need_proposal_accept(need=need, member=self.volunteer)
        need.refresh_from_db()
        self.assertEqual((need.status, need.claimant), (NeedStatus.CLAIMED, self.volunteer))
        self.assertTrue(claim.is_live())

    def test_it_is_exclusive_a_second_match_is_refused(self):
        need = self.post_need()
        services.need_assign(need=need, volunteer=self.volunteer, organizer=self.organizer)
        with changes_nothing(self), self.assertRaisesMessage(Refusal, "waits for their answer"):
            services.need_assign(need=need, volunteer=self.outsider, organizer=self.organizer)
        self.assertEqual(Proposal.objects.get(need=need).volunteer, self.volunteer)

    def test_it_refuses_a_stale_page_whose_need_was_claimed_meanwhile(self):
        need = self.post_need()
        stale = Need.objects.get(pk=need.pk)
        services.need_claim(need=need, member=self.volunteer)
        with changes_nothing(self), self.assertRaises(Refusal):
            services.need_assign(need=stale, volunteer=self.outsider, organizer=self.organizer)

    def test_it_refuses_a_need_that_has_ended(self):
        need = self.post_need()
        services.need_cancel(need=need, member=self.requester)
        with changes_nothing(self), self.assertRaisesMessage(Refusal, "no longer"):
            services.need_assign(need=need, volunteer=self.volunteer, organizer=self.organizer)

    def test_only_organizers_may_match(self):
        need = self.post_need()
        for member in (self.volunteer, self.outsider, self.requester):
            with (
                self.subTest(member.handle),
                changes_nothing(self),
                self.assertRaisesMessage(Refusal, "Only organizers"),
            ):
                services.need_assign(need=need, volunteer=self.volunteer, organizer=member)

    def test_it_refuses_the_requester_themself(self):
        need = self.post_need()
        with changes_nothing(self), self.assertRaisesMessage(Refusal, "posted"):
            services.need_assign(need=need, volunteer=self.requester, organizer=self.organizer)

    def test_it_refuses_an_inactive_member(self):
        need = self.post_need()
        gone = make_member("gone", area=self.north)
        gone.is_active = False
        gone.save()
        with changes_nothing(self), self.assertRaisesMessage(Refusal, "active"):
            services.need_assign(need=need, volunteer=gone, organizer=self.organizer)


class NeedAssignViewTestCase(BaseTestCase):
    def assign(self, need, member, handle, *, htmx=False):
        self.client.force_login(member)
        url = reverse("aid:need_assign", args=[need.code])
        extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        return self.client.post(url, {"handle": handle}, **extra)

    def page(self, need, member):
        self.client.force_login(member)
        return self.client.get(reverse("aid:need", args=[need.code]))

    def assertRefusedWith(self, need, member, handle, text, status_code=422):
        before = record_counts()
        response = self.assign(need, member, handle)
        self.assertContains(response, escape(text), status_code=status_code)
        self.assertEqual(record_counts(), before)
        self.assertEqual(Need.objects.get(pk=need.pk).status, need.status)
        return response

    def test_organizers_see_the_form_on_an_open_need_only(self):
        need = self.post_need()
        self.assertContains(self.page(need, self.organizer), "Match with a volunteer")
        services.need_claim(need=need, member=self.volunteer)
        self.assertNotContains(self.page(need, self.organizer), "Match with a volunteer")

    def test_members_do_not_see_the_form(self):
        need = self.post_need()
        for member in (self.requester, self.volunteer, self.outsider):
            with self.subTest(member.handle):
                self.assertNotContains(self.page(need, member), "Match with a volunteer")

    def test_an_organizer_matches_an_organizers_only_need_privately(self):
        need = self.post_need(visibility=Visibility.ORGANIZERS)
        response = self.assign(need, self.organizer, "vic")
        self.assertRedirects(response, reverse("aid:need", args=[need.code]))
        flashed = [str(m) for m in get_messages(response.wsgi_request)]
        self.assertIn("Asked vic: the need is theirs once they accept.", flashed)
        need.refresh_from_db()
        self.assertEqual((need.status, need.claimant), (NeedStatus.PROPOSED, None))
        self.assertTrue(need.events.filter(kind=EventKind.NEED_ASSIGNED, actor=self.organizer))
        page = self.page(need, self.volunteer)  # asked: they see it, not its private details
        self.assertContains(page, "Accept: I")
        self.assertNotContains(page, DETAILS)
        self.assertEqual(self.page(need, self.outsider).status_code, 404)
        services.need_proposal_accept(need=need, member=self.volunteer)
        page = self.page(need, self.volunteer)
        self.assertContains(page, DETAILS)
        self.assertContains(page, "olga matched the need with a volunteer")

    def test_the_handle_is_found_in_any_case_and_with_an_at_sign(self):
        for handle in ("VIC", " @vic "):
            with self.subTest(handle):
                need = self.post_need()
                self.assign(need, self.organizer, handle)
                self.assertEqual(Proposal.objects.get(need=need).volunteer, self.volunteer)

    def test_htmx_gets_the_panel_back(self):
        need = self.post_need()
        response = self.assign(need, self.organizer, "vic", htmx=True)
        self.assertContains(response, 'id="need-panel"')
        self.assertContains(response, "Asked vic: the need is theirs once they accept.")
        self.assertNotContains(response, "<html")

    def test_it_refuses_an_unknown_or_inactive_handle_and_changes_nothing(self):
        gone = make_member("gone", area=self.north)
        gone.is_active = False
        gone.save()
        need = self.post_need()
        for handle in ("nobody", "gone", "", "x" * 40):
            with self.subTest(handle):
                response = self.assign(need, self.organizer, handle)
                self.assertEqual(response.status_code, 422)
                self.assertContains(response, "Nothing was saved yet.", status_code=422)
                self.assertEqual(Need.objects.get(pk=need.pk).status, NeedStatus.OPEN)
        self.assertRefusedWith(need, self.organizer, "nobody", UNKNOWN)
        response = self.assertRefusedWith(need, self.organizer, "gone", UNKNOWN)
        self.assertContains(response, 'value="gone"', status_code=422)  # refilled

    def test_it_refuses_the_requester_as_volunteer(self):
        need = self.post_need()
        self.assertRefusedWith(need, self.organizer, "rosa", "That is the person who posted")

    def test_it_refuses_a_need_that_was_claimed_meanwhile(self):
        need = self.post_need()
        services.need_claim(need=need, member=self.volunteer)
        need.status = NeedStatus.CLAIMED
        self.assertRefusedWith(need, self.organizer, "otto", "Someone just took", status_code=409)
        self.assertEqual(Need.objects.get(pk=need.pk).claimant, self.volunteer)

    def test_the_outsider_gets_404_on_an_organizers_only_need(self):
        need = self.post_need(visibility=Visibility.ORGANIZERS)
        before = record_counts()
        self.assertEqual(self.assign(need, self.outsider, "vic").status_code, 404)
        self.assertEqual(self.assign(need, self.outsider, "otto").status_code, 404)
        self.assertEqual(record_counts(), before)

    def test_members_who_can_see_the_need_get_403(self):
        need = self.post_need()
        before = record_counts()
        for member in (self.outsider, self.volunteer, self.requester):
            with self.subTest(member.handle):
                self.assertEqual(self.assign(need, member, "vic").status_code, 403)
        self.assertEqual(record_counts(), before)
        self.assertEqual(Need.objects.get(pk=need.pk).status, NeedStatus.OPEN)

    def test_it_sends_an_anonymous_visitor_to_log_in(self):
        need = self.post_need()
        url = reverse("aid:need_assign", args=[need.code])
        response = self.client.post(url, {"handle": "vic"})
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={url}")
        self.assertEqual(Need.objects.get(pk=need.pk).status, NeedStatus.OPEN)

    def test_it_answers_only_post(self):
        need = self.post_need()
        self.client.force_login(self.organizer)
        url = reverse("aid:need_assign", args=[need.code])
        self.assertEqual(self.client.get(url).status_code, 405)
