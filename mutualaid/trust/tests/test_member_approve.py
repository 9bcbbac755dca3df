import uuid

from django.urls import reverse

from mutualaid.lib.refusal import Refusal
from mutualaid.network.models import NetworkSettings
from mutualaid.test import BaseTestCase, make_member
from mutualaid.trust import services
from mutualaid.trust.models import Level, Role, TrustEventKind

from .helpers import make_newcomer, queries_for, trust_unchanged


class MemberApproveTestCase(BaseTestCase):
    def setUp(self):
        self.newt = make_newcomer("newt")

    def test_an_admin_approves_a_newcomer(self):
        services.member_approve(member=self.newt, by=self.organizer)
        self.newt.refresh_from_db()
        self.assertEqual(self.newt.level, Level.VOUCHED)
        self.assertEqual(self.newt.approved_by, self.organizer)
        self.assertIsNotNone(self.newt.vouched_since)
        self.assertTrue(self.newt.trust_events.filter(kind=TrustEventKind.APPROVED).exists())

    def test_two_approvers_at_the_same_moment_approve_once(self):
        """Approval is a compare-and-set: the second approver, on a page loaded before the first
        approved, is told it is done, and the record holds one approval."""
        other = make_member("sam", roles=[Role.SAFETY])
        stale = type(self.newt).objects.get(pk=self.newt.pk)  # loaded before either approves
        services.member_approve(member=self.newt, by=self.organizer)
        with self.assertRaises(Refusal) as refusal:
            services.member_approve(member=stale, by=other)
        self.assertEqual(refusal.exception.code, "stale")
        self.newt.refresh_from_db()
        self.assertEqual(self.newt.approved_by, self.organizer)
        self.assertEqual(self.newt.trust_events.filter(kind=TrustEventKind.APPROVED).count(), 1)

    def test_a_safety_officer_approves(self):
        services.member_approve(member=self.newt, by=make_member("sam", roles=[Role.SAFETY]))
        self.newt.refresh_from_db()
        self.assertEqual(self.newt.level, Level.VOUCHED)

    def test_it_refuses_members_without_the_role(self):
        for role in (Role.TRIAGER, Role.DISPATCHER):
            member = make_member(f"m-{role}", roles=[role])
            with trust_unchanged(self), self.assertRaises(Refusal):
                services.member_approve(member=self.newt, by=member)
        with trust_unchanged(self), self.assertRaises(Refusal):
            services.member_approve(member=self.newt, by=self.volunteer)

    def test_it_refuses_a_second_approval(self):
        services.member_approve(member=self.newt, by=self.organizer)
        with trust_unchanged(self), self.assertRaisesMessage(Refusal, "already"):
            services.member_approve(member=self.newt, by=self.organizer)

    def test_withdrawing_makes_them_a_newcomer_again(self):
        services.member_approve(member=self.newt, by=self.organizer)
        services.member_approval_withdraw(member=self.newt, by=self.organizer)
        self.newt.refresh_from_db()
        self.assertEqual(self.newt.level, Level.NEWCOMER)
        self.assertIsNone(self.newt.vouched_since)
        self.assertTrue(
            self.newt.trust_events.filter(kind=TrustEventKind.APPROVAL_WITHDRAWN).exists()
        )

    def test_withdrawing_leaves_a_member_with_vouches_vouched(self):
        services.member_approve(member=self.newt, by=self.organizer)
        services.vouch_give(voucher=self.volunteer, vouchee=self.newt, note="Friend")
        services.member_approval_withdraw(member=self.newt, by=self.organizer)
        self.newt.refresh_from_db()
        self.assertEqual(self.newt.level, Level.VOUCHED)

    def test_it_refuses_to_withdraw_what_was_not_given(self):
        with (
            trust_unchanged(self),
            self.assertRaisesMessage(Refusal, "not approved"),
        ):
            services.member_approval_withdraw(member=self.newt, by=self.organizer)

    def test_it_refuses_a_withdrawal_by_a_plain_member(self):
        services.member_approve(member=self.newt, by=self.organizer)
        with trust_unchanged(self), self.assertRaises(Refusal):
            services.member_approval_withdraw(member=self.newt, by=self.volunteer)


class MemberPageTestCase(BaseTestCase):
    def setUp(self):
        self.newt = make_newcomer("newt")
        self.page = reverse("trust:member", args=[self.newt.code])
        self.approve = reverse("trust:member_approve", args=[self.newt.code])
        self.withdraw = reverse("trust:member_approval_withdraw", args=[self.newt.code])

    def test_an_admin_approves_and_withdraws_from_the_page(self):
        self.client.force_login(self.organizer)
        self.assertContains(self.client.get(self.page), "Approve")
        self.assertRedirects(self.client.post(self.approve), self.page)
        self.newt.refresh_from_db()
        self.assertEqual(self.newt.level, Level.VOUCHED)
        self.assertContains(self.client.get(self.page), "Withdraw approval")
        self.assertRedirects(self.client.post(self.withdraw), self.page)
        self.newt.refresh_from_db()
        self.assertEqual(self.newt.level, Level.NEWCOMER)

    def test_a_triager_sees_the_page_but_cannot_approve(self):
        self.client.force_login(make_member("tri", roles=[Role.TRIAGER]))
        response = self.client.get(self.page)
        self.assertContains(response, "newt")
        self.assertNotContains(response, "Approve")
        with trust_unchanged(self):
            self.assertEqual(self.client.post(self.approve).status_code, 403)

    def test_a_plain_member_is_refused(self):
        self.client.force_login(self.volunteer)
        with trust_unchanged(self):
            for url in (self.page, self.approve, self.withdraw):
                response = self.client.post(url) if url != self.page else self.client.get(url)
                self.assertEqual(response.status_code, 403)

    def test_the_anonymous_are_sent_to_log_in(self):
        with trust_unchanged(self):
            for url in (self.page, self.approve):
                response = self.client.post(url) if url != self.page else self.client.get(url)
                self.assertIn(reverse("accounts:login"), response["Location"])

    def test_an_unknown_member_is_404(self):
        self.client.force_login(self.organizer)
        response = self.client.get(reverse("trust:member", args=[uuid.uuid4()]))
        self.assertEqual(response.status_code, 404)

    def test_the_page_answers_in_a_fixed_number_of_queries(self):
        self.client.force_login(self.organizer)
        self.client.get(self.page)
        few, _response = queries_for(self.client, self.page)
        NetworkSettings.objects.update_or_create(pk=1, defaults={"vouch_limit": 50})
        for voucher in (self.volunteer, self.requester, self.outsider):
            services.vouch_give(voucher=voucher, vouchee=self.newt, note=f"By {voucher}")
        many, response = queries_for(self.client, self.page)
        self.assertContains(response, "By otto")
        self.assertEqual(many, few)
