"""A member's own language for the site and their messages (``Member.language``): kept at sign-up
from the page they joined on, changed on their account page, and the language of every page they
read once logged in. Visitors get the language cookie's or their browser's."""

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mutualaid.accounts import services
from mutualaid.accounts.backends import MemberBackend
from mutualaid.accounts.models import Member
from mutualaid.lib.refusal import Refusal
from mutualaid.test import BaseTestCase, changes_nothing

PASSWORD = "a long and quiet evening"


def set_language(member, language):
    Member.objects.filter(pk=member.pk).update(language=language)


class MemberLanguageTestCase(BaseTestCase):
    def test_none_at_first_means_the_networks(self):
        self.assertEqual(self.requester.language, "")
        self.assertEqual(self.requester.interface_language(), "en")
        with override_settings(LANGUAGE_CODE="es"):
            self.assertEqual(self.requester.interface_language(), "es")

    def test_their_own_comes_first_then_the_one_asked_then_the_networks(self):
        self.assertEqual(self.requester.interface_language(default="es"), "es")
        self.requester.language = "en"
        self.assertEqual(self.requester.interface_language(default="es"), "en")
        self.requester.language = "klingon"  # a language the site no longer speaks
        self.assertEqual(self.requester.interface_language(default="xx"), "en")

    def test_the_service_keeps_a_language_of_the_site_or_none(self):
        services.member_set_language(member=self.requester, language="es")
        self.assertEqual(Member.objects.get(pk=self.requester.pk).language, "es")
        with changes_nothing(self), self.assertRaises(Refusal):
            services.member_set_language(member=self.requester, language="vi")  # spoken, not ours
        self.assertEqual(Member.objects.get(pk=self.requester.pk).language, "es")
        services.member_set_language(member=self.requester, language="")
        self.assertEqual(Member.objects.get(pk=self.requester.pk).language, "")

    def test_the_member_is_still_read_in_one_query(self):
        set_language(self.requester, "es")
        with self.assertNumQueries(1):
            member = MemberBackend().get_user(self.requester.pk)
            self.assertEqual((member.language, member.roles), ("es", frozenset()))


class SignUpLanguageTestCase(BaseTestCase):
    url = reverse("accounts:signup")

    def sign_up(self, handle, **headers):
        data = {"handle": handle, "password": PASSWORD, "home_area": "", "email": ""}
        return self.client.post(self.url, data, headers=headers)

    def test_it_keeps_the_language_of_the_page_they_joined_on(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
        self.sign_up("nuevo")
        self.assertEqual(Member.objects.get(handle="nuevo").language, "es")

    def test_a_browser_in_spanish_joins_in_spanish(self):
        self.sign_up("nueva", accept_language="es-MX,es;q=0.9,en;q=0.5")
        self.assertEqual(Member.objects.get(handle="nueva").language, "es")

    def test_in_english_it_is_english(self):
        self.sign_up("newbie")
        self.assertEqual(Member.objects.get(handle="newbie").language, "en")

    def test_a_language_the_site_does_not_speak_is_not_kept(self):
        member = services.member_sign_up(handle="another", password=PASSWORD, language="fr")
        self.assertEqual(member.language, "")


class AccountPageLanguageTestCase(BaseTestCase):
    url = reverse("accounts:account")

    def save(self, member, **changes):
        self.client.force_login(member)
        data = {"email": "", "home_area": str(member.home_area.code), "language": ""}
        return self.client.post(self.url, {**data, **changes})

    def test_the_page_offers_the_sites_languages_and_the_networks(self):
        self.client.force_login(self.requester)
        page = self.client.get(self.url)
        self.assertContains(page, '<label for="id_language">Language of the site and your')
        self.assertContains(page, '<option value="" selected>The network&#x27;s language</option>')
        self.assertContains(page, '<option value="es">Español</option>')

    def test_the_member_chooses_spanish_and_reads_the_next_page_in_it(self):
        response = self.save(self.requester, language="es")
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        self.assertEqual(Member.objects.get(pk=self.requester.pk).language, "es")
        self.assertEqual(response.cookies[settings.LANGUAGE_COOKIE_NAME].value, "es")
        page = self.client.get(self.url)
        self.assertContains(page, "Tus datos están guardados.")
        self.assertContains(page, "<h1>Tu cuenta</h1>", html=True)
        self.assertContains(page, '<option value="es" selected>Español</option>')

    def test_a_made_up_language_is_refused_and_changes_nothing(self):
        set_language(self.requester, "es")
        response = self.save(self.requester, language="klingon", home_area=str(self.far.code))
        self.assertContains(response, "Elige una opción válida.", status_code=422)  # Django's
        member = Member.objects.get(pk=self.requester.pk)
        self.assertEqual((member.language, member.home_area), ("es", self.north))

    def test_an_anonymous_visitor_is_sent_to_log_in(self):
        response = self.client.post(self.url, {"language": "es"})
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={self.url}")


class PagesInTheMembersLanguageTestCase(BaseTestCase):
    url = reverse("accounts:account")

    def test_a_member_reads_their_language_whatever_the_cookie_and_the_browser(self):
        set_language(self.requester, "es")
        self.client.force_login(self.requester)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        page = self.client.get(self.url, headers={"accept-language": "en"})
        self.assertContains(page, "<h1>Tu cuenta</h1>", html=True)
        self.assertContains(page, '<html lang="es">')
        self.assertEqual(page["Content-Language"], "es")

    def test_a_member_who_chose_none_reads_the_cookies_or_the_browsers(self):
        self.client.force_login(self.requester)
        page = self.client.get(self.url, headers={"accept-language": "es"})
        self.assertContains(page, "<h1>Tu cuenta</h1>", html=True)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self.assertContains(self.client.get(self.url), "<h1>Your account</h1>", html=True)

    def test_a_visitor_reads_the_browsers_language(self):
        page = self.client.get(reverse("accounts:login"), headers={"accept-language": "es"})
        self.assertContains(page, '<html lang="es">')
        self.assertContains(self.client.get(reverse("accounts:login")), '<html lang="en">')

    def test_the_same_page_costs_the_same_queries_in_either_language(self):
        self.client.force_login(self.requester)
        counts = {}
        for language in ("en", "es"):
            set_language(self.requester, language)
            cache.clear()  # cold against cold
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(self.url).status_code, 200)
            counts[language] = len(queries)
        self.assertEqual(counts["es"], counts["en"])

    def test_a_suspended_member_reads_the_suspension_page_in_their_language(self):
        set_language(self.outsider, "es")
        Member.objects.filter(pk=self.outsider.pk).update(
            level="suspended", suspended_at=timezone.now()
        )
        self.client.force_login(self.outsider)
        page = self.client.get(reverse("aid:board"))
        self.assertContains(page, '<html lang="es">', status_code=403)
