from django.urls import reverse
from django.utils import timezone

from mutualaid.accounts.models import Notice
from mutualaid.aid import services as aid_services
from mutualaid.aid.models import NeedStatus
from mutualaid.lib.refusal import Refusal
from mutualaid.safety import services as safety_services
from mutualaid.test import BaseTestCase, changes_nothing, make_member
from mutualaid.trust import services
from mutualaid.trust.models import Level, Role, TrustEvent, TrustEventKind

from .helpers import make_newcomer, trust_unchanged


class MemberSuspendTestCase(BaseTestCase):
    def setUp(self):
        self.safety = make_member("sam", roles=[Role.SAFETY])
        self.newt = make_newcomer("newt")
        self.nell = make_newcomer("nell")
        services.vouch_give(voucher=self.volunteer, vouchee=self.newt, note="Friend")
        services.vouch_give(voucher=self.volunteer, vouchee=self.nell, note="Neighbor")

    def suspend(self, member=None, **kwargs):
        member = member or self.volunteer
        services.member_suspend(
            member=member, by=self.safety, reason="Threatened a member", **kwargs
        )
        member.refresh_from_db()
        return member

    def test_it_suspends_with_a_reason_the_member_sees(self):
        member = self.suspend()
        self.assertEqual(member.level, Level.SUSPENDED)
        self.assertIsNone(member.vouched_since)
        self.assertEqual(member.suspension_reason, "Threatened a member")
        self.assertIn("Threatened a member", member.notices.get().text)
        self.assertTrue(member.trust_events.filter(kind=TrustEventKind.SUSPENDED).exists())

    def test_without_the_flag_the_branch_stays(self):
        self.suspend()
        self.newt.refresh_from_db()
        self.assertEqual(self.newt.level, Level.VOUCHED)

    def test_flagging_the_branch_holds_each_vouchee_for_review(self):
        self.suspend(flag_branch=True)
        for member in (self.newt, self.nell):
            member.refresh_from_db()
            self.assertEqual(member.level, Level.NEWCOMER)
            self.assertIsNotNone(member.review_hold_at)
            self.assertTrue(member.trust_events.filter(kind=TrustEventKind.BRANCH_FLAGGED).exists())

    def test_a_held_member_is_vouched_again_by_a_new_vouch_or_approval(self):
        self.suspend(flag_branch=True)
        services.vouch_give(voucher=self.requester, vouchee=self.newt, note="I know her")
        services.member_approve(member=self.nell, by=self.organizer)
        for member in (self.newt, self.nell):
            member.refresh_from_db()
            self.assertEqual(member.level, Level.VOUCHED)

    def test_an_approval_before_the_hold_does_not_count(self):
        services.member_approve(member=self.newt, by=self.organizer)
        self.suspend(flag_branch=True)
        self.newt.refresh_from_db()
        self.assertEqual(self.newt.level, Level.NEWCOMER)

    def test_a_suspended_member_can_only_read(self):
        member = self.suspend()
        need = self.post_need()
        with changes_nothing(self), self.assertRaises(Refusal):
            aid_services.need_claim(need=need, member=member)
        with changes_nothing(self), self.assertRaises(Refusal):
            self.post_need(requester=member)
        zed = make_newcomer("zed")
        with trust_unchanged(self), self.assertRaises(Refusal):
            services.vouch_give(voucher=member, vouchee=zed, note="Hi")

    def test_only_a_safety_officer_suspends(self):
        for by in (self.organizer, self.outsider, make_member("tri", roles=[Role.TRIAGER])):
            with trust_unchanged(self), self.assertRaises(Refusal):
                services.member_suspend(member=self.volunteer, by=by, reason="Because")

    def test_it_requires_a_reason(self):
        with trust_unchanged(self), self.assertRaisesMessage(Refusal, "reason"):
            services.member_suspend(member=self.volunteer, by=self.safety, reason=" ")

    def test_it_refuses_a_second_suspension(self):
        self.suspend()
        with trust_unchanged(self), self.assertRaisesMessage(Refusal, "already"):
            services.member_suspend(member=self.volunteer, by=self.safety, reason="Again")

    def test_lifting_the_suspension_restores_the_level(self):
        member = self.suspend()
        services.member_unsuspend(member=member, by=self.safety)
        member.refresh_from_db()
        self.assertEqual(member.level, Level.VOUCHED)  # approved two months ago, no hold
        self.assertEqual(member.suspension_reason, "")
        self.assertTrue(member.trust_events.filter(kind=TrustEventKind.UNSUSPENDED).exists())
        self.assertLessEqual(member.vouched_since, timezone.now())

    def test_lifting_refuses_a_member_not_suspended(self):
        with trust_unchanged(self), self.assertRaises(Refusal):
            services.member_unsuspend(member=self.volunteer, by=self.safety)
        member = self.suspend()
        with trust_unchanged(self), self.assertRaises(Refusal):
            services.member_unsuspend(member=member, by=self.organizer)


class MemberSuspendViewTestCase(BaseTestCase):
    def setUp(self):
        self.safety = make_member("sam", roles=[Role.SAFETY])
        self.newt = make_newcomer("newt")
        services.vouch_give(voucher=self.volunteer, vouchee=self.newt, note="Friend")
        self.page = reverse("trust:member", args=[self.volunteer.code])
        self.suspend = reverse("safety:member_suspend", args=[self.volunteer.code])
        self.unsuspend = reverse("trust:member_unsuspend", args=[self.volunteer.code])

    def test_a_safety_officer_suspends_and_flags_the_branch(self):
        self.client.force_login(self.safety)
        self.assertContains(self.client.get(self.page), "Flag their branch")
        response = self.client.post(self.suspend, {"reason": "Scam", "flag_branch": "on"})
        self.assertRedirects(response, self.page)
        self.volunteer.refresh_from_db()
        self.newt.refresh_from_db()
        self.assertEqual(self.volunteer.level, Level.SUSPENDED)
        self.assertEqual(self.volunteer.suspension_reason, "Scam")
        self.assertEqual(self.newt.level, Level.NEWCOMER)
        self.assertRedirects(self.client.post(self.unsuspend), self.page)
        self.volunteer.refresh_from_db()
        self.assertEqual(self.volunteer.level, Level.VOUCHED)

    def test_the_record_shows_the_reason_kept_sealed_on_the_member(self):
        self.client.force_login(self.safety)
        self.client.post(self.suspend, {"reason": "Threatened a neighbor"})
        event = TrustEvent.objects.get(member=self.volunteer, kind=TrustEventKind.SUSPENDED)
        self.assertEqual(event.note, "")  # the member row keeps the one copy
        page = self.client.get(self.page).content.decode()
        record = page[page.index("<h2>Record</h2>") :]
        self.assertIn("Suspended · sam: Threatened a neighbor", record)
        # Lifted, the reason goes with the suspension; the record keeps that it happened.
        self.client.post(self.unsuspend)
        record = self.client.get(self.page).content.decode().split("<h2>Record</h2>")[1]
        self.assertIn("Suspended · sam</li>", record)
        self.assertNotIn("Threatened a neighbor", record)

    def test_a_reason_is_required(self):
        self.client.force_login(self.safety)
        with trust_unchanged(self):
            response = self.client.post(self.suspend, {"reason": ""})
        self.assertRedirects(response, self.page)

    def test_an_admin_without_the_safety_role_is_refused(self):
        self.client.force_login(self.organizer)
        self.assertNotContains(self.client.get(self.page), "Flag their branch")
        with trust_unchanged(self):
            self.assertEqual(self.client.post(self.suspend, {"reason": "x"}).status_code, 403)

    def test_a_plain_member_is_refused_and_the_anonymous_sent_to_log_in(self):
        with trust_unchanged(self):
            response = self.client.post(self.suspend, {"reason": "x"})
            self.assertIn(reverse("accounts:login"), response["Location"])
        self.client.force_login(self.outsider)
        with trust_unchanged(self):
            self.assertEqual(self.client.post(self.suspend, {"reason": "x"}).status_code, 403)
            self.assertEqual(self.client.post(self.unsuspend).status_code, 403)


class SuspensionReleasesHeldNeedsTestCase(BaseTestCase):
    """The trust record is this app's; releasing held needs is the safety officers' door."""

    def test_a_suspended_volunteers_needs_go_back_on_the_board_and_requesters_are_told(self):
        officer = make_member("officer.sam", roles=[Role.SAFETY])
        need = self.claimed_need()
        safety_services.member_suspend(member=self.volunteer, by=officer, reason="Unsafe conduct")
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.OPEN)
        self.assertIsNone(need.claimant)
        told = [notice.text for notice in Notice.objects.filter(member=self.requester)]
        self.assertTrue(any("back on the board" in text for text in told), told)

    def test_the_trust_record_alone_does_not_release_them(self):
        officer = make_member("officer.sam", roles=[Role.SAFETY])
        need = self.claimed_need()
        services.member_suspend(member=self.volunteer, by=officer, reason="Unsafe conduct")
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.CLAIMED)
