"""The footer's language picker: a plain form on every page, for visitors and members, that sets
the language cookie, keeps a member's choice, and goes back to the page it was on."""

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mutualaid.accounts.models import Member
from mutualaid.test import BaseTestCase

URL = reverse("accounts:set_language")
COOKIE = settings.LANGUAGE_COOKIE_NAME


class LanguagePickerTestCase(BaseTestCase):
    def choose(self, language, next="/offers/?page=2", client=None, **headers):
        return (client or self.client).post(
            URL, {"language": language, "next": next}, headers=headers
        )

    def test_every_page_has_it_in_its_footer_each_language_in_its_own_name(self):
        page = self.client.get(reverse("about") + "?x=1")
        self.assertContains(page, '<label for="site-language">Language</label>', html=True)
        self.assertContains(page, '<input type="hidden" name="next" value="/about/?x=1">')
        self.assertContains(page, '<option value="en" lang="en" selected>English</option>')
        self.assertContains(page, '<option value="es" lang="es">Español</option>')
        self.assertContains(page, "Change language</button>")
        in_spanish = self.client.get(reverse("about"), headers={"accept-language": "es"})
        self.assertContains(in_spanish, '<option value="en" lang="en">English</option>')
        self.assertContains(in_spanish, '<option value="es" lang="es" selected>Español</option>')
        self.assertContains(in_spanish, "Cambiar idioma</button>")

    def test_a_visitor_gets_the_cookie_and_goes_back_to_the_page(self):
        response = self.choose("es")
        self.assertRedirects(response, "/offers/?page=2", fetch_redirect_response=False)
        cookie = response.cookies[COOKIE]
        self.assertEqual(cookie.value, "es")
        self.assertEqual(cookie["max-age"], settings.LANGUAGE_COOKIE_AGE)
        self.assertTrue(cookie["httponly"])
        self.assertEqual(cookie["samesite"], "Lax")
        page = self.client.get(reverse("accounts:login"))
        self.assertContains(page, '<html lang="es">')
        self.assertFalse(Member.objects.exclude(language="").exists())

    def test_a_member_keeps_the_choice_on_every_device(self):
        self.client.force_login(self.requester)
        self.assertRedirects(self.choose("es"), "/offers/?page=2", fetch_redirect_response=False)
        self.assertEqual(Member.objects.get(pk=self.requester.pk).language, "es")
        other_device = Client()
        other_device.force_login(self.requester)
        page = other_device.get(reverse("accounts:account"))
        self.assertContains(page, "<h1>Tu cuenta</h1>", html=True)
        self.choose("en")
        self.assertEqual(Member.objects.get(pk=self.requester.pk).language, "en")
        self.assertEqual(Member.objects.get(pk=self.volunteer.pk).language, "")

    def test_a_language_the_site_does_not_speak_changes_nothing(self):
        self.client.force_login(self.requester)
        for language in ("", "fr", "klingon", "es-XX" * 100):
            with self.subTest(language=language[:10]):
                response = self.choose(language)
                self.assertRedirects(response, "/offers/?page=2", fetch_redirect_response=False)
                self.assertNotIn(COOKIE, response.cookies)
                self.assertEqual(Member.objects.get(pk=self.requester.pk).language, "")
        page = self.client.get(reverse("accounts:account"))
        self.assertContains(page, "Choose one of the languages listed.")

    def test_it_never_sends_anyone_off_the_site(self):
        for next in ("https://evil.example/", "//evil.example/", "board", "javascript:alert(1)"):
            with self.subTest(next=next):
                response = self.choose("es", next=next)
                self.assertRedirects(response, "/", fetch_redirect_response=False)
                self.assertEqual(response.cookies[COOKIE].value, "es")

    def test_without_next_it_goes_back_to_the_page_it_came_from_if_it_is_ours(self):
        back = self.choose("es", next="", referer="http://testserver/offers/")
        self.assertRedirects(back, "http://testserver/offers/", fetch_redirect_response=False)
        away = self.choose("es", next="", referer="https://evil.example/")
        self.assertRedirects(away, "/", fetch_redirect_response=False)

    def test_only_a_post_with_its_csrf_token_changes_it(self):
        self.assertEqual(self.client.get(URL, {"language": "es"}).status_code, 405)
        guarded = Client(enforce_csrf_checks=True)
        guarded.force_login(self.requester)
        self.assertEqual(self.choose("es", client=guarded).status_code, 403)
        self.assertEqual(Member.objects.get(pk=self.requester.pk).language, "")

    def test_a_suspended_member_may_still_choose_the_language_they_read_in(self):
        Member.objects.filter(pk=self.outsider.pk).update(
            level="suspended", suspended_at=timezone.now()
        )
        self.client.force_login(self.outsider)
        response = self.choose("es", next="/needs/")
        self.assertRedirects(response, "/needs/", fetch_redirect_response=False)
        self.assertEqual(Member.objects.get(pk=self.outsider.pk).language, "es")
