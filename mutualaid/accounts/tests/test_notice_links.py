"""A notice about a need leads to the need's page; the page then applies its own access rule."""

from django.urls import reverse

from mutualaid.accounts.models import Notice
from mutualaid.test import BaseTestCase


class NoticeLinksTestCase(BaseTestCase):
    def test_a_notice_about_a_need_links_to_it(self):
        need = self.claimed_need()
        notice = Notice.objects.get(member=self.requester, kind="need_claimed")
        url = reverse("aid:need", args=[need.code])
        self.assertEqual(notice.url, url)
        self.client.force_login(self.requester)
        self.assertContains(self.client.get(reverse("accounts:notices")), f'href="{url}"')

    def test_a_notice_without_a_page_has_no_link(self):
        need = self.claimed_need()
        from mutualaid.aid import services

        services.need_cancel(need=need, member=self.requester)
        notice = Notice.objects.get(member=self.volunteer, kind="need_cancelled")
        self.assertIsNone(notice.url)

    def test_the_outsider_sees_no_one_elses_notices(self):
        self.claimed_need()
        self.client.force_login(self.outsider)
        self.assertNotContains(self.client.get(reverse("accounts:notices")), "Groceries")
