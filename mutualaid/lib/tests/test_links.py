"""Full addresses: SITE_URL's, the request's on a laptop without one, and a refusal with neither."""

from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, SimpleTestCase, override_settings

from mutualaid.lib.links import absolute


class AbsoluteTestCase(SimpleTestCase):
    @override_settings(SITE_URL="https://aid.example.org/")
    def test_it_puts_the_path_on_the_site_url(self):
        request = RequestFactory().get("/", HTTP_HOST="elsewhere.example")
        for asked in (None, request):  # SITE_URL wins over the address asked at
            self.assertEqual(absolute("/needs/", asked), "https://aid.example.org/needs/")

    @override_settings(SITE_URL="")
    def test_without_a_site_url_a_page_uses_its_own_address_and_a_message_refuses(self):
        request = RequestFactory().get("/")  # testserver, an allowed host
        self.assertEqual(absolute("/needs/", request), "http://testserver/needs/")
        with self.assertRaises(ImproperlyConfigured):
            absolute("/needs/")
