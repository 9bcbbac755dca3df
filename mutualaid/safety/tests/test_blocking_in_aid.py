"""What a block does in the loop: the blocked member cannot claim the blocker's needs, message
them, or see their offers; and nothing they are told gives the block away."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mutualaid.aid import selectors
from mutualaid.aid import services as aid_services
from mutualaid.lib.refusal import Refusal
from mutualaid.safety.services import member_block
from mutualaid.safety.tests.helpers import SafetyTestCase
from mutualaid.test import changes_nothing, make_member

TAKEN = "Someone just took this need. Thank you for offering: there are others on the board."


class ClaimTests(SafetyTestCase):
    def test_the_blocked_member_cannot_claim_the_blockers_need(self):
        need = self.post_need()
        member_block(blocker=self.requester, blocked=self.volunteer)
        with changes_nothing(self), self.assertRaises(Refusal) as refused:
            aid_services.need_claim(need=need, member=self.volunteer)
        self.assertEqual(refused.exception.message, TAKEN)  # as if someone got there first

    def test_the_claim_button_says_the_need_was_just_taken(self):
        need = self.post_need()
        member_block(blocker=self.requester, blocked=self.volunteer)
        self.client.force_login(self.volunteer)
        with changes_nothing(self):
            response = self.client.post(reverse("aid:need_claim", args=[need.code]), follow=True)
        self.assertContains(response, TAKEN)

    def test_others_still_claim_and_the_blocker_can_claim_the_blocked_members_need(self):
        need = self.post_need()
        member_block(blocker=self.requester, blocked=self.volunteer)
        aid_services.need_claim(need=need, member=self.outsider)
        theirs = self.post_need(requester=self.volunteer)
        aid_services.need_claim(need=theirs, member=make_member("nina"))

    def test_a_block_after_the_claim_does_not_end_it_but_stops_the_messages(self):
        need = self.claimed_need()
        member_block(blocker=self.requester, blocked=self.volunteer)
        need.refresh_from_db()
        self.assertEqual(need.claimant, self.volunteer)
        with changes_nothing(self), self.assertRaises(Refusal) as refused:
            aid_services.message_send(need=need, sender=self.volunteer, body="Hello?")
        self.assertEqual(refused.exception.message, "This message could not be sent.")
        # The blocker can still write to them (to say the plan has changed, say).
        aid_services.message_send(need=need, sender=self.requester, body="Plans changed.")


class MessageTests(SafetyTestCase):
    def test_a_requester_blocked_by_the_volunteer_cannot_message_them(self):
        need = self.claimed_need()
        member_block(blocker=self.volunteer, blocked=self.requester)
        with changes_nothing(self), self.assertRaises(Refusal):
            aid_services.message_send(need=need, sender=self.requester, body="Hello?")

    def test_the_message_form_refuses_without_saying_why(self):
        need = self.claimed_need()
        member_block(blocker=self.requester, blocked=self.volunteer)
        self.client.force_login(self.volunteer)
        with changes_nothing(self):
            response = self.client.post(
                reverse("aid:need_message", args=[need.code]), {"body": "Hello?"}, follow=True
            )
        self.assertContains(response, "This message could not be sent.", status_code=409)
        self.assertNotContains(response, "block", status_code=409)


class OfferTests(SafetyTestCase):
    def setUp(self):
        self.offer = self.post_offer(offerer=self.volunteer)
        member_block(blocker=self.volunteer, blocked=self.requester)

    def test_the_blocked_member_does_not_see_the_blockers_offers(self):
        self.assertNotIn(self.offer, selectors.board_offers(viewer=self.requester))
        self.assertIn(self.offer, selectors.board_offers(viewer=self.outsider))
        self.assertIn(self.offer, selectors.offers_visible_to(member=self.outsider))
        self.client.force_login(self.requester)
        response = self.client.get(reverse("aid:offer_board"), {"area": ""})
        self.assertNotContains(response, self.offer.summary)
        page = self.client.get(reverse("aid:offer", args=[self.offer.code]))
        self.assertEqual(page.status_code, 404)

    def test_the_offer_board_costs_the_same_with_blocks(self):
        self.client.force_login(self.requester)
        url = reverse("aid:offer_board")
        self.post_offer(offerer=self.outsider, summary="Visible offer")
        with CaptureQueriesContext(connection) as few:
            self.client.get(url, {"area": ""})
        for i in range(3):
            offerer = make_member(f"offerer{i}")
            self.post_offer(offerer=offerer, summary=f"Offer {i}")
            if i % 2:
                member_block(blocker=offerer, blocked=self.requester)
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(url, {"area": ""})
        self.assertEqual(len(response.context["page"].object_list), 3)
        self.assertEqual(len(many), len(few))


class HiddenPostTests(SafetyTestCase):
    def test_hidden_needs_and_offers_leave_the_boards(self):
        need, offer = self.post_need(), self.post_offer()
        type(need).objects.filter(pk=need.pk).update(hidden_at=timezone.now())
        type(offer).objects.filter(pk=offer.pk).update(hidden_at=timezone.now())
        self.assertNotIn(need, selectors.board_needs(viewer=self.outsider))
        self.assertNotIn(offer, selectors.board_offers(viewer=self.outsider))
        self.assertNotIn(need, selectors.needs_visible_to(member=self.outsider))
        self.assertIn(need, selectors.needs_visible_to(member=self.requester))
        self.assertIn(need, selectors.needs_visible_to(member=self.organizer))
        self.assertNotIn(offer, selectors.offers_visible_to(member=self.outsider))
        self.assertIn(offer, selectors.offers_visible_to(member=self.volunteer))
        self.assertIn(offer, selectors.offers_visible_to(member=self.organizer))
