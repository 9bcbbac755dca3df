"""A member blocks another, by handle or from one of their messages, silently; and unblocks them."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutualaid.accounts.models import Block
from mutualaid.aid import services as aid_services
from mutualaid.safety.services import member_block
from mutualaid.safety.tests.helpers import SafetyTestCase, safety_counts
from mutualaid.test import make_member, share_private_text


class BlockByHandleTests(SafetyTestCase):
    def setUp(self):
        self.url = reverse("safety:blocks")

    def test_it_blocks_by_handle_silently(self):
        self.client.force_login(self.requester)
        self.assertEqual(self.client.get(self.url).status_code, 200)
        before = safety_counts()
        response = self.client.post(self.url, {"handle": "@Vic"})
        self.assertRedirects(response, self.url)
        block = Block.objects.get()
        self.assertEqual(
            (block.blocker, block.blocked, block.label), (self.requester, self.volunteer, "vic")
        )
        self.assertEqual(safety_counts(), {**before, "Block": 1})  # and no notice to anyone
        self.assertContains(self.client.get(self.url), "vic")

    def test_blocking_twice_is_blocking_once(self):
        self.client.force_login(self.requester)
        self.client.post(self.url, {"handle": "vic"})
        response = self.client.post(self.url, {"handle": "VIC"})
        self.assertRedirects(response, self.url)
        self.assertEqual(Block.objects.count(), 1)

    def test_it_refuses_an_unknown_handle_or_oneself(self):
        self.client.force_login(self.requester)
        before = safety_counts()
        for handle in ("nobody-here", "", "rosa"):
            with self.subTest(handle=handle):
                self.assertEqual(self.client.post(self.url, {"handle": handle}).status_code, 422)
        self.assertNothingChanged(before)

    def test_it_sends_the_anonymous_visitor_to_log_in(self):
        before = safety_counts()
        response = self.client.post(self.url, {"handle": "vic"})
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={self.url}")
        self.assertNothingChanged(before)

    def test_the_page_costs_the_same_whatever_the_number_of_blocks(self):
        self.client.force_login(self.requester)
        member_block(blocker=self.requester, blocked=self.volunteer)
        with self.assertNumQueries(self._count()):
            self.client.get(self.url)
        for i in range(3):
            member_block(blocker=self.requester, blocked=make_member(f"blocked{i}"))
        with self.assertNumQueries(self._count()):
            self.client.get(self.url)

    def _count(self):
        with CaptureQueriesContext(connection) as queries:
            self.client.get(self.url)
        return len(queries)


class UnblockTests(SafetyTestCase):
    def setUp(self):
        self.block = member_block(blocker=self.requester, blocked=self.volunteer)
        self.url = reverse("safety:unblock")

    def test_it_unblocks(self):
        self.client.force_login(self.requester)
        response = self.client.post(self.url, {"block": self.block.code})
        self.assertRedirects(response, reverse("safety:blocks"))
        self.assertFalse(Block.objects.exists())

    def test_nobody_else_can_remove_the_block(self):
        before = safety_counts()
        response = self.client.post(self.url, {"block": self.block.code})
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={self.url}")
        for member in (self.volunteer, self.outsider, self.organizer):
            with self.subTest(member=member.handle):
                self.client.force_login(member)
                response = self.client.post(self.url, {"block": self.block.code})
                self.assertEqual(response.status_code, 404)
        self.assertNothingChanged(before)

    def test_it_refuses_bad_input(self):
        self.client.force_login(self.requester)
        before = safety_counts()
        for data in ({}, {"block": "not-a-code"}):
            with self.subTest(data=data):
                self.assertEqual(self.client.post(self.url, data).status_code, 422)
        self.assertNothingChanged(before)


class BlockFromMessageTests(SafetyTestCase):
    def setUp(self):
        self.need = self.claimed_need(anonymous=True)
        share_private_text(self.need)
        claim = self.need.claims.get()
        self.from_requester = claim.messages.get(sender=self.requester)
        self.from_volunteer = claim.messages.get(sender=self.volunteer)

    def url(self, message):
        return reverse("safety:block_from_message", args=[message.code])

    def test_the_requester_blocks_the_volunteer_from_their_message(self):
        self.client.force_login(self.requester)
        page = self.client.get(reverse("aid:need", args=[self.need.code]))
        self.assertContains(page, self.url(self.from_volunteer))
        self.assertNotContains(page, self.url(self.from_requester))
        response = self.client.post(self.url(self.from_volunteer))
        self.assertRedirects(response, reverse("aid:need", args=[self.need.code]))
        block = Block.objects.get()
        self.assertEqual((block.blocker, block.blocked), (self.requester, self.volunteer))

    def test_an_anonymous_requester_blocked_from_a_message_stays_anonymous(self):
        self.client.force_login(self.volunteer)
        self.client.post(self.url(self.from_requester))
        block = Block.objects.get()
        self.assertEqual(block.blocked, self.requester)
        self.assertNotIn("rosa", block.label)
        page = self.client.get(reverse("safety:blocks"))
        self.assertContains(page, "anonymous requester")
        self.assertNotContains(page, "rosa")

    def test_it_refuses_who_cannot_read_the_message(self):
        aid_services.need_release(need=self.need, member=self.volunteer)
        before = safety_counts()
        for member in (self.outsider, self.volunteer):
            with self.subTest(member=member.handle):
                self.client.force_login(member)
                self.assertEqual(self.client.post(self.url(self.from_requester)).status_code, 404)
        self.client.logout()
        response = self.client.post(self.url(self.from_requester))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])
        self.assertNothingChanged(before)

    def test_one_cannot_block_oneself(self):
        self.client.force_login(self.requester)
        before = safety_counts()
        response = self.client.post(self.url(self.from_requester))
        self.assertRedirects(response, reverse("aid:need", args=[self.need.code]))
        self.assertNothingChanged(before)


class AccountLinkTests(SafetyTestCase):
    def test_the_account_page_links_to_blocks_and_reports(self):
        self.client.force_login(self.requester)
        page = self.client.get(reverse("accounts:account"))
        self.assertContains(page, reverse("safety:blocks"))
        self.assertContains(page, reverse("safety:report_member"))
