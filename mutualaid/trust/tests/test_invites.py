from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from mutualaid.accounts.models import Member
from mutualaid.lib.refusal import Refusal
from mutualaid.network.models import NetworkSettings
from mutualaid.test import PASSWORD, BaseTestCase
from mutualaid.trust import services
from mutualaid.trust.models import Invite, Level, TrustEventKind, Vouch

from .helpers import make_new_voucher, make_newcomer, queries_for, trust_unchanged


class InviteTestCase(BaseTestCase):
    def signup(self, invite=None, handle="friend"):
        url = reverse("accounts:signup")
        if invite is not None:
            url += f"?invite={invite.code if isinstance(invite, Invite) else invite}"
        return self.client.post(url, {"handle": handle, "password": PASSWORD}, follow=True)

    def test_a_vouched_member_makes_a_link(self):
        self.client.force_login(self.volunteer)
        response = self.client.post(reverse("trust:invites"), {"note": "My cousin"})
        self.assertRedirects(response, reverse("trust:invites"))
        invite = Invite.objects.get(inviter=self.volunteer)
        self.assertEqual(invite.note, "My cousin")
        self.assertAlmostEqual(
            invite.expires_at, timezone.now() + timedelta(days=7), delta=timedelta(minutes=1)
        )
        self.assertContains(self.client.get(reverse("trust:invites")), str(invite.code))

    def test_a_member_who_could_not_vouch_cannot_invite(self):
        for member in (make_newcomer("newt"), make_new_voucher("fresh", days=2)):
            self.client.force_login(member)
            with trust_unchanged(self):
                response = self.client.post(reverse("trust:invites"), {"note": "Friend"})
            self.assertEqual(response.status_code, 422)
            self.assertFalse(Invite.objects.exists())

    def test_the_friend_joins_carrying_the_vouch(self):
        invite = services.invite_create(inviter=self.volunteer, note="My cousin")
        page = self.client.get(reverse("accounts:signup") + f"?invite={invite.code}")
        self.assertContains(page, "vic invited you")
        response = self.signup(invite)
        self.assertContains(response, "vic vouches for you")
        friend = Member.objects.get(handle="friend")
        self.assertEqual(friend.level, Level.VOUCHED)
        vouch = Vouch.objects.get(vouchee=friend)
        self.assertEqual((vouch.voucher, vouch.note), (self.volunteer, "My cousin"))
        invite.refresh_from_db()
        self.assertEqual(invite.used_by, friend)
        self.assertTrue(friend.trust_events.filter(kind=TrustEventKind.INVITE_USED).exists())

    def test_an_invite_is_one_vouch_and_never_bypasses_the_count(self):
        NetworkSettings.objects.update_or_create(pk=1, defaults={"vouches_required": 2})
        invite = services.invite_create(inviter=self.volunteer, note="My cousin")
        self.signup(invite)
        friend = Member.objects.get(handle="friend")
        self.assertEqual(friend.level, Level.NEWCOMER)
        self.assertEqual(Vouch.objects.filter(vouchee=friend).count(), 1)

    def test_a_used_invite_works_once(self):
        invite = services.invite_create(inviter=self.volunteer, note="My cousin")
        self.signup(invite)
        self.client.logout()
        page = self.client.get(reverse("accounts:signup") + f"?invite={invite.code}")
        self.assertContains(page, "already been used")
        response = self.signup(invite, handle="second")
        self.assertContains(response, "already been used")
        second = Member.objects.get(handle="second")  # still a plain sign-up
        self.assertEqual(second.level, Level.NEWCOMER)
        self.assertFalse(Vouch.objects.filter(vouchee=second).exists())

    def test_an_expired_invite_gives_a_plain_sign_up(self):
        invite = services.invite_create(inviter=self.volunteer, note="My cousin")
        with time_machine.travel(timezone.now() + timedelta(days=8)):
            response = self.signup(invite)
        self.assertContains(response, "expired")
        friend = Member.objects.get(handle="friend")
        self.assertEqual(friend.level, Level.NEWCOMER)
        invite.refresh_from_db()
        self.assertIsNone(invite.used_at)

    def test_a_garbled_code_gives_a_plain_sign_up(self):
        response = self.signup("not-a-code")
        self.assertContains(response, "expired")
        self.assertTrue(Member.objects.filter(handle="friend").exists())

    def test_an_inviter_who_can_no_longer_vouch_leaves_the_invite_unused(self):
        invite = services.invite_create(inviter=self.volunteer, note="My cousin")
        for handle in ("aa1", "aa2", "aa3"):
            services.vouch_give(voucher=self.volunteer, vouchee=make_newcomer(handle), note="Hi")
        response = self.signup(invite)
        self.assertContains(response, "30 days")
        invite.refresh_from_db()
        self.assertIsNone(invite.used_at)
        self.assertEqual(Member.objects.get(handle="friend").level, Level.NEWCOMER)

    def test_the_service_refuses_a_second_use(self):
        invite = services.invite_create(inviter=self.volunteer, note="My cousin")
        one, two = make_newcomer("one"), make_newcomer("two")
        services.invite_use(invite=invite, member=one)
        stale = Invite.objects.get(pk=invite.pk)
        stale.used_at = None  # loaded before the first use
        with trust_unchanged(self), self.assertRaisesMessage(Refusal, "used"):
            services.invite_use(invite=stale, member=two)

    def test_the_page_answers_in_a_fixed_number_of_queries(self):
        NetworkSettings.objects.update_or_create(pk=1, defaults={"vouch_limit": 50})
        self.client.force_login(self.volunteer)
        url = reverse("trust:invites")
        services.invite_create(inviter=self.volunteer, note="One")
        self.client.get(url)
        few, _response = queries_for(self.client, url)
        for i in range(5):
            invite = services.invite_create(inviter=self.volunteer, note=f"Note {i}")
            services.invite_use(invite=invite, member=make_newcomer(f"used{i}"))
        many, response = queries_for(self.client, url)
        self.assertContains(response, "used4")
        self.assertEqual(many, few)

    def test_the_anonymous_are_sent_to_log_in(self):
        response = self.client.post(reverse("trust:invites"), {"note": "Friend"})
        self.assertIn(reverse("accounts:login"), response["Location"])
        self.assertFalse(Invite.objects.exists())
