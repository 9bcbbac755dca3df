from django.urls import reverse

from mutualaid.test import BaseTestCase


class PagesRenderTestCase(BaseTestCase):
    def test_the_main_pages_render_for_a_member(self):
        need = self.claimed_need()
        self.client.force_login(self.requester)
        for url in [
            reverse("aid:board"),
            reverse("aid:need_new"),
            reverse("aid:need", args=[need.code]),
            reverse("aid:offer_board"),
            reverse("aid:offer_new"),
            reverse("aid:my_needs"),
            reverse("aid:my_claims"),
            reverse("aid:my_offers"),
        ]:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_public_pages_render(self):
        for name in ["home", "accounts:login", "accounts:signup"]:
            with self.subTest(name=name):
                self.assertEqual(self.client.get(reverse(name)).status_code, 200)
