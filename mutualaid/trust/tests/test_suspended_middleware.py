from django.urls import reverse

from mutualaid.test import BaseTestCase, make_member
from mutualaid.trust import services
from mutualaid.trust.models import Role


class SuspendedMiddlewareTestCase(BaseTestCase):
    def setUp(self):
        services.member_suspend(
            member=self.volunteer,
            by=make_member("sam", roles=[Role.SAFETY]),
            reason="Rude to neighbors",
        )
        self.client.force_login(self.volunteer)

    def test_every_other_page_says_why(self):
        need = self.post_need()
        for url in (
            reverse("aid:board"),
            reverse("aid:need", args=[need.code]),
            reverse("aid:need_new"),
            reverse("trust:vouch"),
            reverse("home"),
        ):
            response = self.client.get(url)
            self.assertContains(
                response, "Your account is suspended: Rude to neighbors", status_code=403
            )

    def test_a_post_is_refused_too(self):
        need = self.post_need()
        response = self.client.post(reverse("aid:need_claim", args=[need.code]))
        self.assertEqual(response.status_code, 403)
        need.refresh_from_db()
        self.assertIsNone(need.claimant)

    def test_the_account_notices_export_and_logout_stay_open(self):
        self.assertEqual(self.client.get(reverse("accounts:account")).status_code, 200)
        response = self.client.get(reverse("accounts:notices"))
        self.assertContains(response, "Rude to neighbors")
        self.assertEqual(self.client.post(reverse("privacy:export")).status_code, 200)
        response = self.client.post(reverse("accounts:logout"))
        self.assertRedirects(response, reverse("home"))

    def test_others_are_not_affected(self):
        self.client.force_login(self.requester)
        self.assertEqual(self.client.get(reverse("aid:board")).status_code, 200)
        self.client.logout()
        self.assertEqual(self.client.get(reverse("home")).status_code, 200)

    def test_lifting_the_suspension_opens_the_pages_again(self):
        services.member_unsuspend(member=self.volunteer, by=make_member("sue", roles=[Role.SAFETY]))
        self.assertEqual(self.client.get(reverse("aid:board")).status_code, 200)
