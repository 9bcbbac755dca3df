import ast
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import time_machine
from django.urls import reverse
from django.utils import timezone

from mutualaid import accounts
from mutualaid.accounts.models import Member
from mutualaid.lib.refusal import Refusal
from mutualaid.network.models import NetworkSettings
from mutualaid.test import PASSWORD, BaseTestCase
from mutualaid.trust import services
from mutualaid.trust.models import Invite, Level, TrustEventKind, Vouch

from .helpers import make_new_voucher, make_newcomer, queries_for, trust_unchanged


def join_url(invite) -> str:
    return reverse("trust:join", args=[invite.code if isinstance(invite, Invite) else invite])


class InviteTestCase(BaseTestCase):
    def signup(self, invite, handle="friend", **extra):
        data = {"handle": handle, "password": PASSWORD}
        return self.client.post(join_url(invite), data, follow=True, **extra)

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
        page = self.client.get(join_url(invite))
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
        page = self.client.get(join_url(invite))
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

    def test_an_unknown_code_gives_a_plain_sign_up(self):
        code = uuid.uuid4()
        self.assertContains(self.client.get(join_url(code)), "expired")
        response = self.signup(code)
        self.assertContains(response, "expired")
        self.assertEqual(Member.objects.get(handle="friend").level, Level.NEWCOMER)

    def test_a_garbled_code_is_no_page(self):
        self.assertEqual(self.client.get("/join/not-a-code/").status_code, 404)
        response = self.client.post("/join/not-a-code/", {"handle": "friend", "password": PASSWORD})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(Member.objects.filter(handle="friend").exists())

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


class JoinPageTestCase(BaseTestCase):
    """The invitation's own page (trust:join), and the old links that lead to it."""

    def old_link(self, code, **query):
        return reverse("accounts:signup") + "?" + urlencode({"invite": code, **query})

    def test_the_invites_page_shows_the_join_link(self):
        invite = services.invite_create(inviter=self.volunteer, note="My cousin")
        self.client.force_login(self.volunteer)
        response = self.client.get(reverse("trust:invites"))
        self.assertContains(response, f"<code>http://testserver{join_url(invite)}</code>")
        self.assertNotContains(response, "?invite=")

    def test_an_old_link_leads_to_the_join_page_keeping_a_safe_next_page(self):
        invite = services.invite_create(inviter=self.volunteer, note="My cousin")
        response = self.client.get(self.old_link(invite.code, next="/offers/"))
        target = join_url(invite) + "?next=%2Foffers%2F"
        self.assertRedirects(response, target, status_code=307, fetch_redirect_response=False)
        for unsafe in ("https://evil.example/", "board"):
            with self.subTest(unsafe):
                response = self.client.get(self.old_link(invite.code, next=unsafe))
                self.assertEqual(response["Location"], join_url(invite))

    def test_an_old_form_still_joins_carrying_the_vouch(self):
        invite = services.invite_create(inviter=self.volunteer, note="My cousin")
        data = {"handle": "friend", "password": PASSWORD}
        url = self.old_link(invite.code, next="/offers/")
        response = self.client.post(url, data, follow=True)
        self.assertEqual(
            response.redirect_chain,
            [(join_url(invite) + "?next=%2Foffers%2F", 307), ("/offers/", 302)],
        )
        self.assertContains(response, "vic vouches for you")
        friend = Member.objects.get(handle="friend")
        self.assertEqual(Vouch.objects.get(vouchee=friend).voucher, self.volunteer)

    def test_an_incomplete_old_link_gives_the_plain_form_saying_so(self):
        page = self.client.get(self.old_link("3f2a-cut-sh"))
        self.assertContains(page, "This invitation link is incomplete")
        self.assertContains(page, 'name="handle"')
        response = self.client.post(
            self.old_link("3f2a-cut-sh"), {"handle": "friend", "password": PASSWORD}
        )
        self.assertRedirects(response, reverse("aid:board"), fetch_redirect_response=False)
        self.assertEqual(Member.objects.get(handle="friend").level, Level.NEWCOMER)

    def test_a_bare_word_next_page_falls_back_to_the_board(self):
        invite = services.invite_create(inviter=self.volunteer, note="My cousin")
        for word in ("board", "home", "trust:invites"):
            with self.subTest(word):
                response = self.client.post(
                    join_url(invite) + f"?next={word}",
                    {"handle": f"friend-{word.replace(':', '-')}", "password": PASSWORD},
                )
                self.assertRedirects(response, reverse("aid:board"), fetch_redirect_response=False)
                self.client.logout()
        self.assertEqual(Vouch.objects.filter(vouchee__handle="friend-board").count(), 1)

    def test_a_logged_in_member_cannot_take_the_vouch_for_their_own_account(self):
        invite = services.invite_create(inviter=self.volunteer, note="My cousin")
        self.client.force_login(self.outsider)
        with trust_unchanged(self):
            page = self.client.get(join_url(invite))
            response = self.client.post(join_url(invite), {"handle": "otto", "password": PASSWORD})
        self.assertContains(page, "vic invited you")
        self.assertContains(response, "That handle can&#x27;t be used", status_code=422)
        self.assertFalse(Vouch.objects.filter(vouchee=self.outsider).exists())

    def test_its_sign_ups_count_with_those_of_the_sign_up_page(self):
        next_hour = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        with time_machine.travel(next_hour, tick=False):  # one window of the limit
            invite = services.invite_create(inviter=self.volunteer, note="My cousin")
            for _ in range(20):  # a taken handle, twenty times
                refused = self.client.post(
                    reverse("accounts:signup"), {"handle": "rosa", "password": PASSWORD}
                )
                self.assertEqual(refused.status_code, 422)
            with trust_unchanged(self):
                response = self.client.post(
                    join_url(invite), {"handle": "friend", "password": PASSWORD}
                )
        self.assertEqual(response.status_code, 429)
        invite.refresh_from_db()
        self.assertIsNone(invite.used_at)

    def test_accounts_never_imports_trust(self):
        """Joining by invitation is trust's page: accounts, lower down, knows nothing of it."""
        for path in Path(accounts.__file__).parent.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
                elif isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                else:
                    continue
                upward = [
                    n for n in names if n == "mutualaid.trust" or n.startswith("mutualaid.trust.")
                ]
                self.assertEqual(upward, [], f"{path}:{node.lineno}")
