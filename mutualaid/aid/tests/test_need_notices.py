"""Every write in the loop tells the person concerned, in the app, in the write's transaction."""

from mutualaid.accounts.models import Notice
from mutualaid.aid import services
from mutualaid.aid.models import OfferKind
from mutualaid.lib.refusal import Refusal
from mutualaid.test import CANARY, BaseTestCase, make_member


class NeedNoticesTestCase(BaseTestCase):
    def kinds(self, member):
        return list(
            Notice.objects.filter(member=member).order_by("pk").values_list("kind", flat=True)
        )

    def test_a_claim_tells_the_requester(self):
        need = self.claimed_need()
        self.assertEqual(self.kinds(self.requester), ["need_claimed"])
        notice = Notice.objects.get(member=self.requester)
        self.assertIn(need.summary, notice.text)
        self.assertEqual(notice.params["need"], str(need.code))

    def test_a_message_tells_the_other_side_only(self):
        need = self.claimed_need()
        services.message_send(need=need, sender=self.volunteer, body=f"On my way {CANARY}")
        services.message_send(need=need, sender=self.requester, body=f"Thanks {CANARY}")
        self.assertEqual(self.kinds(self.requester), ["need_claimed", "message_received"])
        self.assertEqual(self.kinds(self.volunteer), ["message_received"])
        for notice in Notice.objects.all():  # the words never travel in a notice
            self.assertNotIn(CANARY, notice.text)
            self.assertNotIn(CANARY, str(notice.params))

    def test_done_confirmed_and_reopened_reach_the_right_person(self):
        need = self.claimed_need()
        services.need_mark_fulfilled(need=need, member=self.volunteer)
        self.assertEqual(self.kinds(self.requester)[-1], "need_fulfilled")
        services.need_reopen(need=need, member=self.requester)
        self.assertEqual(self.kinds(self.volunteer), ["need_reopened"])
        services.need_claim(need=need, member=self.volunteer)
        services.need_mark_fulfilled(need=need, member=self.volunteer)
        services.need_confirm(need=need, member=self.requester)
        self.assertEqual(
            self.kinds(self.volunteer), ["need_reopened", "need_confirmed", "feedback_asked"]
        )

    def test_release_and_cancel(self):
        need = self.claimed_need()
        services.need_release(need=need, member=self.volunteer)
        self.assertEqual(self.kinds(self.requester)[-1], "need_released")
        services.need_claim(need=need, member=self.volunteer)
        services.need_cancel(need=need, member=self.requester)
        self.assertEqual(self.kinds(self.volunteer), ["need_cancelled"])

    def test_an_assignment_asks_the_volunteer_and_their_yes_tells_the_others(self):
        need = self.post_need()
        services.need_assign(need=need, volunteer=self.volunteer, organizer=self.organizer)
        self.assertEqual(self.kinds(self.volunteer), ["match_proposed"])
        self.assertEqual(self.kinds(self.requester), [])
        services.need_proposal_accept(need=need, member=self.volunteer)
        self.assertEqual(self.kinds(self.requester), ["need_claimed"])
        self.assertEqual(self.kinds(self.organizer), ["proposal_accepted"])

    def test_taking_up_an_offer_tells_the_offerer(self):
        offer = services.offer_post(
            offerer=self.volunteer,
            categories=[self.groceries],
            areas=[self.north],
            summary="I can shop on Saturdays",
            kind=OfferKind.ONE_OFF,
        )
        need = self.post_need()
        services.need_match_offer(need=need, offer=offer, member=self.requester)
        self.assertEqual(self.kinds(self.volunteer), ["offer_proposed"])

    def test_an_anonymous_requesters_handle_never_reaches_the_volunteer(self):
        need = self.post_need(anonymous=True)
        services.need_claim(need=need, member=self.volunteer)
        services.message_send(need=need, sender=self.requester, body="Hello")
        for notice in Notice.objects.filter(member=self.volunteer):
            self.assertNotIn(self.requester.handle, notice.text)
            self.assertNotIn(self.requester.handle, str(notice.params))

    def test_a_refused_write_tells_nobody(self):
        need = self.claimed_need()
        before = Notice.objects.count()
        with self.assertRaises(Refusal):
            services.need_claim(need=need, member=make_member("late"))
        self.assertEqual(Notice.objects.count(), before)
