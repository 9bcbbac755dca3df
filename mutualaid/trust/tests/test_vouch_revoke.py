from django.urls import reverse

from mutualaid.lib.refusal import Refusal
from mutualaid.test import BaseTestCase, make_member
from mutualaid.trust import services
from mutualaid.trust.models import Level, Role, TrustEventKind, Vouch

from .helpers import make_newcomer, trust_unchanged


class VouchRevokeTestCase(BaseTestCase):
    def setUp(self):
        self.newt = make_newcomer("newt")
        self.vouch = services.vouch_give(voucher=self.volunteer, vouchee=self.newt, note="Friend")

    def test_revoking_recomputes_the_level_at_once_and_keeps_the_edge(self):
        services.vouch_revoke(vouch=self.vouch, by=self.volunteer)
        self.newt.refresh_from_db()
        self.assertEqual(self.newt.level, Level.NEWCOMER)
        self.assertIsNone(self.newt.vouched_since)
        kept = Vouch.objects.get(pk=self.vouch.pk)
        self.assertIsNotNone(kept.revoked_at)
        self.assertEqual(kept.revoked_by, self.volunteer)
        self.assertTrue(self.newt.trust_events.filter(kind=TrustEventKind.VOUCH_REVOKED).exists())

    def test_a_vouch_for_a_member_who_left_can_still_be_revoked(self):
        """A probe found a 500 here: the revocation was saved, then the record of it failed."""
        from mutualaid.privacy.services import member_delete

        member_delete(member=self.newt)
        vouch = Vouch.objects.get(pk=self.vouch.pk)  # its vouchee is now empty
        self.assertIsNone(vouch.vouchee_id)
        # A safety officer revokes it from its page: the revocation is kept, and the answer is
        # the tree (there is no member page to go back to).
        self.client.force_login(make_member("sam", roles=[Role.SAFETY]))
        response = self.client.post(reverse("trust:vouch_revoke"), {"vouch": vouch.code})
        self.assertRedirects(response, reverse("trust:tree"), fetch_redirect_response=False)
        self.assertIsNotNone(Vouch.objects.get(pk=vouch.pk).revoked_at)
        self.client.force_login(self.volunteer)
        self.assertEqual(self.client.get(reverse("trust:my_vouches")).status_code, 200)
        self.client.force_login(self.outsider)  # and the outsider cannot reach it
        response = self.client.post(reverse("trust:vouch_revoke"), {"vouch": vouch.code})
        self.assertEqual(response.status_code, 404)

    def test_a_safety_officer_or_admin_can_revoke(self):
        safety = make_member("sam", roles=[Role.SAFETY])
        services.vouch_revoke(vouch=self.vouch, by=safety)
        self.newt.refresh_from_db()
        self.assertEqual(self.newt.level, Level.NEWCOMER)

    def test_an_admin_can_revoke(self):
        services.vouch_revoke(vouch=self.vouch, by=self.organizer)
        self.assertIsNotNone(Vouch.objects.get(pk=self.vouch.pk).revoked_at)

    def test_it_refuses_anyone_else(self):
        triager = make_member("tri", roles=[Role.TRIAGER])
        for member in (self.outsider, self.newt, triager):
            with trust_unchanged(self), self.assertRaises(Refusal):
                services.vouch_revoke(vouch=self.vouch, by=member)

    def test_it_refuses_a_second_revoke(self):
        services.vouch_revoke(vouch=self.vouch, by=self.volunteer)
        stale = Vouch.objects.get(pk=self.vouch.pk)
        stale.revoked_at = None  # a page loaded before the first revoke
        with trust_unchanged(self), self.assertRaisesMessage(Refusal, "already"):
            services.vouch_revoke(vouch=stale, by=self.volunteer)

    def test_an_approved_member_stays_vouched(self):
        services.member_approve(member=self.newt, by=self.organizer)
        services.vouch_revoke(vouch=self.vouch, by=self.volunteer)
        self.newt.refresh_from_db()
        self.assertEqual(self.newt.level, Level.VOUCHED)


class VouchRevokeViewTestCase(BaseTestCase):
    def setUp(self):
        self.newt = make_newcomer("newt")
        self.vouch = services.vouch_give(voucher=self.volunteer, vouchee=self.newt, note="Friend")
        self.url = reverse("trust:vouch_revoke")

    def test_the_voucher_revokes_from_my_vouches(self):
        self.client.force_login(self.volunteer)
        response = self.client.post(self.url, {"vouch": self.vouch.code})
        self.assertRedirects(response, reverse("trust:my_vouches"))
        self.newt.refresh_from_db()
        self.assertEqual(self.newt.level, Level.NEWCOMER)

    def test_a_safety_officer_revokes_from_the_member_page(self):
        self.client.force_login(make_member("sam", roles=[Role.SAFETY]))
        response = self.client.post(self.url, {"vouch": self.vouch.code, "reason": "Fake"})
        self.assertRedirects(response, reverse("trust:member", args=[self.newt.code]))
        self.assertEqual(Vouch.objects.get(pk=self.vouch.pk).revoke_reason, "Fake")

    def test_another_member_gets_404(self):
        for member in (self.outsider, self.newt, make_member("tri", roles=[Role.TRIAGER])):
            self.client.force_login(member)
            with trust_unchanged(self):
                response = self.client.post(self.url, {"vouch": self.vouch.code})
            self.assertEqual(response.status_code, 404)

    def test_the_anonymous_are_sent_to_log_in(self):
        with trust_unchanged(self):
            response = self.client.post(self.url, {"vouch": self.vouch.code})
        self.assertIn(reverse("accounts:login"), response["Location"])
