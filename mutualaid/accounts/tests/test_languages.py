"""Members say which languages they speak, on their account page (no JavaScript: checkboxes)."""

from django.urls import reverse

from mutualaid.accounts import services
from mutualaid.accounts.models import Member
from mutualaid.lib.refusal import Refusal
from mutualaid.test import PASSWORD, BaseTestCase


class MemberSetLanguagesTestCase(BaseTestCase):
    def test_it_keeps_the_languages_in_the_lists_order(self):
        services.member_set_languages(member=self.volunteer, languages=["es", "en", "es"])
        self.assertEqual(Member.objects.get(pk=self.volunteer.pk).languages, ["en", "es"])

    def test_a_language_not_on_the_list_changes_nothing(self):
        services.member_set_languages(member=self.volunteer, languages=["vi"])
        with self.assertRaises(Refusal):
            services.member_set_languages(member=self.volunteer, languages=["en", "klingon"])
        self.assertEqual(Member.objects.get(pk=self.volunteer.pk).languages, ["vi"])

    def test_none_is_fine(self):
        services.member_set_languages(member=self.volunteer, languages=[])
        self.assertEqual(Member.objects.get(pk=self.volunteer.pk).languages, [])


class AccountPageLanguagesTestCase(BaseTestCase):
    url = reverse("accounts:account")

    def test_the_account_page_saves_the_languages_ticked(self):
        self.client.force_login(self.volunteer)
        page = self.client.get(self.url)
        self.assertContains(page, 'type="checkbox" name="languages" value="es"')

        response = self.client.post(
            self.url, {"email": "", "home_area": self.central.code, "languages": ["es", "tl"]}
        )

        self.assertRedirects(response, self.url)
        self.assertEqual(Member.objects.get(pk=self.volunteer.pk).languages, ["es", "tl"])
        self.assertContains(self.client.get(self.url), 'value="tl" id="id_languages_4" checked')

    def test_a_made_up_language_is_refused(self):
        self.client.force_login(self.volunteer)
        response = self.client.post(
            self.url, {"email": "", "home_area": self.central.code, "languages": ["xx"]}
        )
        self.assertEqual(response.status_code, 422)
        self.assertEqual(Member.objects.get(pk=self.volunteer.pk).languages, [])

    def test_an_anonymous_visitor_is_sent_to_log_in(self):
        response = self.client.post(self.url, {"languages": ["es"]})
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={self.url}")
        self.assertTrue(self.client.login(username="vic", password=PASSWORD))
