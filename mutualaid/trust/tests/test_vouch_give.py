from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from mutualaid.lib.refusal import Refusal
from mutualaid.network.models import NetworkSettings
from mutualaid.test import BaseTestCase
from mutualaid.trust import services
from mutualaid.trust.models import Level, TrustEvent, TrustEventKind, Vouch

from .helpers import make_new_voucher, make_newcomer, queries_for, trust_unchanged


class VouchGiveTestCase(BaseTestCase):
    def setUp(self):
        self.newt = make_newcomer("newt")

    def test_one_vouch_makes_a_newcomer_vouched_by_default(self):
        vouch = services.vouch_give(voucher=self.volunteer, vouchee=self.newt, note="My neighbor")
        self.newt.refresh_from_db()
        self.assertEqual(self.newt.level, Level.VOUCHED)
        self.assertIsNotNone(self.newt.vouched_since)
        self.assertEqual(vouch.note, "My neighbor")
        event = TrustEvent.objects.get(member=self.newt)
        self.assertEqual((event.kind, event.actor), (TrustEventKind.VOUCHED, self.volunteer))

    def test_it_counts_the_vouches_the_network_requires(self):
        NetworkSettings.objects.update_or_create(pk=1, defaults={"vouches_required": 2})
        services.vouch_give(voucher=self.volunteer, vouchee=self.newt, note="Same street")
        self.newt.refresh_from_db()
        self.assertEqual(self.newt.level, Level.NEWCOMER)
        services.vouch_give(voucher=self.requester, vouchee=self.newt, note="Choir")
        self.newt.refresh_from_db()
        self.assertEqual(self.newt.level, Level.VOUCHED)

    def test_it_refuses_a_newcomer_voucher(self):
        other = make_newcomer("other")
        with trust_unchanged(self), self.assertRaisesMessage(Refusal, "vouched"):
            services.vouch_give(voucher=other, vouchee=self.newt, note="Friend")

    def test_it_refuses_a_voucher_inside_the_wait(self):
        fresh = make_new_voucher("fresh", days=3)
        with trust_unchanged(self), self.assertRaisesMessage(Refusal, "14 days"):
            services.vouch_give(voucher=fresh, vouchee=self.newt, note="Friend")

    def test_the_wait_ends(self):
        fresh = make_new_voucher("fresh", days=3)
        with time_machine.travel(timezone.now() + timedelta(days=12)):
            services.vouch_give(voucher=fresh, vouchee=self.newt, note="Friend")
        self.assertTrue(Vouch.objects.filter(voucher=fresh).exists())

    def test_it_refuses_beyond_the_limit_per_30_days(self):
        for handle in ("aa1", "aa2", "aa3"):
            services.vouch_give(voucher=self.volunteer, vouchee=make_newcomer(handle), note="Hi")
        with trust_unchanged(self), self.assertRaisesMessage(Refusal, "30 days"):
            services.vouch_give(voucher=self.volunteer, vouchee=self.newt, note="Friend")
        with time_machine.travel(timezone.now() + timedelta(days=31)):
            services.vouch_give(voucher=self.volunteer, vouchee=self.newt, note="Friend")

    def test_a_revoked_vouch_still_counts_towards_the_limit(self):
        for handle in ("aa1", "aa2", "aa3"):
            vouch = services.vouch_give(
                voucher=self.volunteer, vouchee=make_newcomer(handle), note="Hi"
            )
            services.vouch_revoke(vouch=vouch, by=self.volunteer)
        with trust_unchanged(self), self.assertRaises(Refusal):
            services.vouch_give(voucher=self.volunteer, vouchee=self.newt, note="Friend")

    def test_it_refuses_oneself(self):
        with trust_unchanged(self), self.assertRaisesMessage(Refusal, "yourself"):
            services.vouch_give(voucher=self.volunteer, vouchee=self.volunteer, note="Me")

    def test_it_refuses_a_second_live_vouch_for_the_same_member(self):
        services.vouch_give(voucher=self.volunteer, vouchee=self.newt, note="Friend")
        with trust_unchanged(self), self.assertRaisesMessage(Refusal, "already"):
            services.vouch_give(voucher=self.volunteer, vouchee=self.newt, note="Again")

    def test_it_allows_a_new_vouch_after_a_revoked_one(self):
        vouch = services.vouch_give(voucher=self.volunteer, vouchee=self.newt, note="Friend")
        services.vouch_revoke(vouch=vouch, by=self.volunteer)
        services.vouch_give(voucher=self.volunteer, vouchee=self.newt, note="Again")
        self.assertEqual(Vouch.objects.filter(vouchee=self.newt).count(), 2)

    def test_it_requires_a_note(self):
        with trust_unchanged(self), self.assertRaisesMessage(Refusal, "how you"):
            services.vouch_give(voucher=self.volunteer, vouchee=self.newt, note="  ")

    def test_it_refuses_a_suspended_voucher(self):
        services.member_suspend(member=self.volunteer, by=self.make_safety(), reason="Harassment")
        self.volunteer.refresh_from_db()
        with trust_unchanged(self), self.assertRaisesMessage(Refusal, "suspended"):
            services.vouch_give(voucher=self.volunteer, vouchee=self.newt, note="Friend")

    def make_safety(self):
        from mutualaid.test import make_member
        from mutualaid.trust.models import Role

        return make_member("sam", roles=[Role.SAFETY])


class VouchPageTestCase(BaseTestCase):
    def setUp(self):
        self.newt = make_newcomer("newt")
        self.url = reverse("trust:vouch")

    def test_a_member_vouches_by_handle(self):
        self.client.force_login(self.volunteer)
        response = self.client.post(self.url, {"handle": "NEWT", "note": "Next door"})
        self.assertRedirects(response, reverse("trust:my_vouches"))
        self.newt.refresh_from_db()
        self.assertEqual(self.newt.level, Level.VOUCHED)

    def test_a_refusal_is_shown_and_changes_nothing(self):
        self.client.force_login(self.volunteer)
        with trust_unchanged(self):
            response = self.client.post(self.url, {"handle": "volunteer", "note": "Me"})
            self.assertContains(response, "No active member", status_code=422)
            response = self.client.post(self.url, {"handle": "vic", "note": "Me"})
            self.assertContains(response, "yourself", status_code=422)

    def test_a_newcomer_is_told_why_they_cannot_vouch(self):
        self.client.force_login(self.newt)
        response = self.client.get(self.url)
        self.assertContains(response, "Only vouched members")

    def test_the_outsider_is_sent_to_log_in(self):
        response = self.client.post(self.url, {"handle": "newt", "note": "Hi"})
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={self.url}")
        self.assertFalse(Vouch.objects.exists())

    def test_my_vouches_lists_both_ways_in_fixed_queries(self):
        services.vouch_give(voucher=self.volunteer, vouchee=self.newt, note="Next door")
        self.client.force_login(self.volunteer)
        url = reverse("trust:my_vouches")
        self.client.get(url)
        few, _response = queries_for(self.client, url)
        NetworkSettings.objects.update_or_create(pk=1, defaults={"vouch_limit": 50})
        for i in range(5):
            services.vouch_give(voucher=self.volunteer, vouchee=make_newcomer(f"k{i}x"), note="Hi")
        many, response = queries_for(self.client, url)
        self.assertContains(response, "k4x")
        self.assertContains(response, "Revoke")
        self.assertEqual(many, few)

    def test_my_vouches_sends_the_anonymous_to_log_in(self):
        response = self.client.get(reverse("trust:my_vouches"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])
