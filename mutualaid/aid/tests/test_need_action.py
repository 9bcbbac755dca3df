"""The buttons on a need's page: claim, release, fulfil, confirm, reopen, cancel.

Each is a POST that redirects back with a message, or, for htmx, answers the need's panel alone.
A refused action says why and changes nothing.
"""

from datetime import timedelta

from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from mutualaid.aid import services
from mutualaid.aid.models import (
    Claim,
    ClaimEnd,
    EventKind,
    Need,
    NeedStatus,
)
from mutualaid.test import BaseTestCase, record_counts

DETAILS = "Flat 3B, ring twice. Allergic to peanuts."
STALE = "This need has just changed."
NOT_DONE = "There is nothing to confirm: the need is not marked done."
NOT_REOPEN = "Only a need marked done can be reopened."


class NeedActionTestCase(BaseTestCase):
    def act(self, action, need, member, *, htmx=False):
        """The button, pressed and (for "Mark it done" and "I can't do it after all") confirmed:
        the page's dialog sends confirm=yes, as the second step's button does (see
        test_need_action_confirm.py)."""
        self.client.force_login(member)
        url = reverse(f"aid:need_{action}", args=[need.code])
        data = {"confirm": "yes"}
        if htmx:
            return self.client.post(url, data, HTTP_HX_REQUEST="true")
        return self.client.post(url, data)

    def assertRedirectsWithMessage(self, response, need, text):
        self.assertRedirects(response, reverse("aid:need", args=[need.code]))
        flashed = [str(m) for m in get_messages(response.wsgi_request)]
        self.assertTrue(any(text in m for m in flashed), flashed)

    def assertPanel(self, response, text, status_code=200):
        self.assertEqual(response.status_code, status_code)
        self.assertContains(response, 'id="need-panel"', status_code=status_code)
        self.assertContains(response, escape(text), status_code=status_code)
        self.assertNotContains(response, "<html", status_code=status_code)

    def assertRefused(self, action, need, member, text):
        """Refused both ways, plain and htmx: the reason is shown and nothing changes."""
        status = Need.objects.get(pk=need.pk).status
        before = record_counts()
        response = self.act(action, need, member)
        url = reverse("aid:need", args=[need.code])
        self.assertRedirects(response, url, fetch_redirect_response=False)
        page = self.client.get(response.url)
        self.assertContains(page, escape(text))
        response = self.act(action, need, member, htmx=True)
        self.assertContains(response, 'id="need-panel"', status_code=response.status_code)
        self.assertContains(response, escape(text), status_code=response.status_code)
        self.assertNotContains(response, "<html", status_code=response.status_code)
        self.assertEqual(Need.objects.get(pk=need.pk).status, status)
        self.assertEqual(record_counts(), before)

    # The outsider, anonymous or logged in.

    def test_it_sends_an_anonymous_visitor_to_log_in_and_changes_nothing(self):
        need = self.post_need()
        before = record_counts()
        for action in ("claim", "release", "fulfil", "confirm", "reopen", "cancel"):
            with self.subTest(action):
                url = reverse(f"aid:need_{action}", args=[need.code])
                response = self.client.post(url)
                self.assertRedirects(response, f"{reverse('accounts:login')}?next={url}")
        self.assertEqual(Need.objects.get(pk=need.pk).status, NeedStatus.OPEN)
        self.assertEqual(record_counts(), before)

    def test_the_outsider_gets_404_on_a_need_that_is_not_open_and_changes_nothing(self):
        """Except a claim: a members' need was on the board, so whoever tries to claim it after it
        was taken or ended (the loser of a race) is told what happened, with or without htmx."""
        claimed = self.claimed_need()
        fulfilled = self.fulfilled_need()
        cancelled = self.post_need()
        services.need_cancel(need=cancelled, member=self.requester)
        before = record_counts()
        for need in (claimed, fulfilled, cancelled):
            for action in ("claim", "release", "fulfil", "confirm", "reopen", "cancel"):
                with self.subTest(need=need.status, action=action):
                    status = 409 if action == "claim" else 404
                    response = self.act(action, need, self.outsider)
                    self.assertEqual(response.status_code, status)
                    response = self.act(action, need, self.outsider, htmx=True)
                    self.assertEqual(response.status_code, status)
        self.assertEqual(record_counts(), before)
        self.assertEqual(Need.objects.get(pk=claimed.pk).claimant, self.volunteer)

    def test_the_outsider_cannot_cancel_or_release_an_open_need(self):
        need = self.post_need()
        self.assertRefused("cancel", need, self.outsider, "Only the person who posted this need")
        self.assertRefused("release", need, self.outsider, "Only the volunteer who claimed")

    def test_it_answers_only_post(self):
        need = self.post_need()
        self.client.force_login(self.volunteer)
        self.assertEqual(
            self.client.get(reverse("aid:need_claim", args=[need.code])).status_code, 405
        )

    def test_it_refuses_a_post_without_the_csrf_token(self):
        need = self.post_need()
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.volunteer)
        response = client.post(reverse("aid:need_claim", args=[need.code]))
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Need.objects.get(pk=need.pk).status, NeedStatus.OPEN)

    # Claim.

    def test_a_volunteer_claims_an_open_need(self):
        need = self.post_need()
        response = self.act("claim", need, self.volunteer)
        self.assertRedirectsWithMessage(response, need, "It's yours.")
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.CLAIMED)
        self.assertEqual(need.claimant, self.volunteer)
        claim = Claim.objects.get(need=need)
        self.assertEqual(claim.volunteer, self.volunteer)
        self.assertTrue(need.events.filter(kind=EventKind.NEED_CLAIMED, claim=claim).exists())

    def test_an_htmx_claim_answers_the_panel_with_the_details_now_shown(self):
        need = self.post_need()
        response = self.act("claim", need, self.volunteer, htmx=True)
        self.assertPanel(response, "It's yours.")
        self.assertContains(response, DETAILS)
        self.assertEqual(Need.objects.get(pk=need.pk).claimant, self.volunteer)

    def test_the_requester_cannot_claim_their_own_need(self):
        need = self.post_need()
        self.assertRefused("claim", need, self.requester, "You posted this need")

    def test_nobody_can_claim_a_cancelled_need(self):
        need = self.claimed_need()
        services.need_cancel(need=need, member=self.requester)
        # The outsider no longer sees it, but is told it ended; those who see it, why.
        response = self.act("claim", need, self.outsider)
        self.assertContains(response, "This need has ended", status_code=409)
        for member in (self.organizer, self.volunteer):
            with self.subTest(member=member.handle):
                self.assertRefused("claim", need, member, "This need is no longer open")

    def test_a_second_volunteer_cannot_claim_a_claimed_need(self):
        need = self.claimed_need()
        self.assertRefused("claim", need, self.organizer, "Someone just took this need.")
        self.assertEqual(Need.objects.get(pk=need.pk).claimant, self.volunteer)

    # Release.

    def test_the_claimant_releases_the_need(self):
        need = self.claimed_need()
        response = self.act("release", need, self.volunteer)
        self.assertRedirectsWithMessage(response, need, "Released")
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.OPEN)
        self.assertIsNone(need.claimant)
        self.assertEqual(need.claims.get().end_reason, ClaimEnd.RELEASED)
        self.assertTrue(need.events.filter(kind=EventKind.CLAIM_RELEASED).exists())

    def test_an_htmx_release_answers_the_panel_without_the_details(self):
        need = self.claimed_need()
        response = self.act("release", need, self.volunteer, htmx=True)
        self.assertPanel(response, "Released")
        self.assertNotContains(response, DETAILS)

    def test_only_the_claimant_can_release(self):
        need = self.claimed_need()
        for member in (self.requester, self.organizer):
            with self.subTest(member=member.handle):
                self.assertRefused("release", need, member, "Only the volunteer who claimed")

    # Fulfil.

    def test_the_claimant_marks_the_need_done(self):
        need = self.claimed_need()
        response = self.act("fulfil", need, self.volunteer)
        self.assertRedirectsWithMessage(response, need, "Marked done.")
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.FULFILLED)
        self.assertEqual(need.claimant, self.volunteer)
        self.assertTrue(need.events.filter(kind=EventKind.NEED_FULFILLED).exists())

    def test_an_htmx_fulfil_answers_the_panel(self):
        need = self.claimed_need()
        self.assertPanel(self.act("fulfil", need, self.volunteer, htmx=True), "Marked done.")
        self.assertEqual(Need.objects.get(pk=need.pk).status, NeedStatus.FULFILLED)

    def test_only_the_claimant_can_mark_it_done(self):
        need = self.claimed_need()
        for member in (self.requester, self.organizer):
            with self.subTest(member=member.handle):
                self.assertRefused("fulfil", need, member, "Only the volunteer who claimed")

    def test_an_open_need_cannot_be_marked_done(self):
        need = self.post_need()
        self.assertRefused("fulfil", need, self.volunteer, "Only the volunteer who claimed")

    # Confirm.

    def test_the_requester_confirms_a_need_marked_done(self):
        need = self.fulfilled_need()
        response = self.act("confirm", need, self.requester)
        self.assertRedirectsWithMessage(response, need, "Confirmed.")
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.CLOSED)
        self.assertIsNone(need.claimant)
        self.assertEqual(need.claims.get().end_reason, ClaimEnd.COMPLETED)
        self.assertTrue(need.events.filter(kind=EventKind.NEED_CONFIRMED).exists())

    def test_an_htmx_confirm_answers_the_panel(self):
        need = self.fulfilled_need()
        self.assertPanel(self.act("confirm", need, self.requester, htmx=True), "Confirmed.")
        self.assertEqual(Need.objects.get(pk=need.pk).status, NeedStatus.CLOSED)

    def test_confirming_an_open_or_claimed_need_is_refused(self):
        for need in (self.post_need(), self.claimed_need()):
            with self.subTest(need.status):
                self.assertRefused("confirm", need, self.requester, NOT_DONE)

    def test_only_the_requester_can_confirm(self):
        need = self.fulfilled_need()
        for member in (self.volunteer, self.organizer):
            with self.subTest(member=member.handle):
                self.assertRefused("confirm", need, member, "Only the person who posted")

    # Reopen.

    def test_the_requester_reopens_a_need_that_was_not_done(self):
        need = self.fulfilled_need()
        response = self.act("reopen", need, self.requester)
        self.assertRedirectsWithMessage(response, need, "Reopened")
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.OPEN)
        self.assertIsNone(need.claimant)
        self.assertEqual(need.claims.get().end_reason, ClaimEnd.REOPENED)
        self.assertTrue(need.events.filter(kind=EventKind.NEED_REOPENED).exists())

    def test_an_htmx_reopen_answers_the_panel(self):
        need = self.fulfilled_need()
        self.assertPanel(self.act("reopen", need, self.requester, htmx=True), "Reopened")
        self.assertEqual(Need.objects.get(pk=need.pk).status, NeedStatus.OPEN)

    def test_reopening_a_closed_need_is_refused(self):
        need = self.fulfilled_need()
        services.need_confirm(need=need, member=self.requester)
        self.assertRefused("reopen", need, self.requester, NOT_REOPEN)

    def test_only_the_requester_can_reopen(self):
        need = self.fulfilled_need()
        for member in (self.volunteer, self.organizer):
            with self.subTest(member=member.handle):
                self.assertRefused("reopen", need, member, "Only the person who posted")

    # Cancel.

    def test_the_requester_cancels_an_open_need(self):
        need = self.post_need()
        response = self.act("cancel", need, self.requester)
        self.assertRedirectsWithMessage(response, need, "Cancelled.")
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.CANCELLED)
        self.assertTrue(need.events.filter(kind=EventKind.NEED_CANCELLED).exists())

    def test_the_requester_cancels_a_claimed_need_and_the_claim_ends(self):
        need = self.claimed_need()
        self.assertPanel(self.act("cancel", need, self.requester, htmx=True), "Cancelled.")
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.CANCELLED)
        self.assertIsNone(need.claimant)
        self.assertEqual(need.claims.get().end_reason, ClaimEnd.CANCELLED)

    def test_only_the_requester_can_cancel(self):
        need = self.claimed_need()
        for member in (self.volunteer, self.organizer):
            with self.subTest(member=member.handle):
                self.assertRefused("cancel", need, member, "Only the person who posted")

    def test_a_need_marked_done_can_no_longer_be_cancelled(self):
        need = self.fulfilled_need()
        self.assertRefused("cancel", need, self.requester, "can no longer be cancelled")

    def test_an_expired_need_can_be_neither_claimed_nor_cancelled(self):
        need = self.post_need()
        services.needs_expire(now=timezone.now() + timedelta(days=365))
        response = self.act("claim", need, self.outsider)
        self.assertContains(response, "This need has ended", status_code=409)
        self.assertRefused("claim", need, self.organizer, "This need is no longer open")
        self.assertRefused("cancel", need, self.requester, "can no longer be cancelled")
