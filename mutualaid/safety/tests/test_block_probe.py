"""A probe: a volunteer on an anonymous need blocks its requester from a message, then tries to
block candidate handles by name. The requester's handle must not be the one that "adds no row":
blocking by handle never reveals that an existing block already covers that person."""

from django.urls import reverse

from mutualaid.accounts.models import Block
from mutualaid.aid import services
from mutualaid.test import BaseTestCase, make_member


class BlockProbeTestCase(BaseTestCase):
    def test_blocking_by_handle_reveals_nothing_about_an_anonymous_block(self):
        need = self.post_need(anonymous=True)
        services.need_claim(need=need, member=self.volunteer)
        message = services.message_send(need=need, sender=self.requester, body="Hello")
        self.client.force_login(self.volunteer)
        self.client.post(reverse("safety:block_from_message", args=[message.code]))
        page = self.client.get(reverse("safety:blocks")).content.decode()
        self.assertNotIn(self.requester.handle, page)

        decoy = make_member("decoy")
        rows = {}
        for candidate in (decoy, self.requester):
            before = Block.objects.filter(blocker=self.volunteer).count()
            response = self.client.post(reverse("safety:blocks"), {"handle": candidate.handle})
            self.assertEqual(response.status_code, 302)
            rows[candidate.handle] = Block.objects.filter(blocker=self.volunteer).count() - before
        # Both handles add a row of their own: the list grows the same way for each.
        self.assertEqual(rows, {"decoy": 1, self.requester.handle: 1})

    def test_unblocking_one_row_keeps_the_other(self):
        need = self.post_need(anonymous=True)
        services.need_claim(need=need, member=self.volunteer)
        message = services.message_send(need=need, sender=self.requester, body="Hello")
        self.client.force_login(self.volunteer)
        self.client.post(reverse("safety:block_from_message", args=[message.code]))
        self.client.post(reverse("safety:blocks"), {"handle": self.requester.handle})
        by_handle = Block.objects.get(blocker=self.volunteer, via_handle=True)
        self.client.post(reverse("safety:unblock"), {"block": by_handle.code})
        # Still blocked, by the row from the message.
        self.assertTrue(
            Block.objects.filter(blocker=self.volunteer, blocked=self.requester).exists()
        )

    def test_an_outsider_cannot_block_from_a_message_they_cannot_read(self):
        need = self.claimed_need()
        message = services.message_send(need=need, sender=self.requester, body="Hello")
        self.client.force_login(self.outsider)
        response = self.client.post(reverse("safety:block_from_message", args=[message.code]))
        self.assertEqual(response.status_code, 404)
        self.assertFalse(Block.objects.exists())
