from django.urls import reverse

from mutualaid.notifications import content
from mutualaid.notifications.models import CHAT, EMAIL, Mode
from mutualaid.notifications.selectors import modes_of
from mutualaid.test import BaseTestCase


class UnsubscribeViewTestCase(BaseTestCase):
    def url(self, member=None, kind="need_claimed"):
        token = content.unsubscribe_token(member or self.requester, kind)
        return reverse("notifications:unsubscribe", args=[token])

    def test_get_only_asks_so_that_mail_scanners_unsubscribe_nobody(self):
        response = self.client.get(self.url())
        self.assertContains(response, "Stop these emails")
        self.assertContains(response, 'method="post"')
        self.assertEqual(modes_of(self.requester)[("need_claimed", EMAIL)], Mode.IMMEDIATELY)

    def test_post_unsubscribes_that_member_from_that_kind_by_email_without_login(self):
        response = self.client.post(self.url())
        self.assertContains(response, "Emails stopped")
        modes = modes_of(self.requester)
        self.assertEqual(modes[("need_claimed", EMAIL)], Mode.NEVER)
        self.assertEqual(modes[("need_released", EMAIL)], Mode.IMMEDIATELY)
        self.assertEqual(modes[("need_claimed", CHAT)], Mode.IMMEDIATELY)
        self.assertEqual(modes_of(self.outsider)[("need_claimed", EMAIL)], Mode.IMMEDIATELY)

    def test_a_tampered_token_is_a_clear_400(self):
        url = self.url()[:-3] + "xx/"
        for response in (self.client.get(url), self.client.post(url)):
            self.assertContains(response, "This link does not work", status_code=400)
        self.assertEqual(modes_of(self.requester)[("need_claimed", EMAIL)], Mode.IMMEDIATELY)
