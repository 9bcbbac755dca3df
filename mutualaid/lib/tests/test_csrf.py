"""A page's CSRF token, masked by lib/csrf.py: Django's own format, unmasked by its middleware to
the viewer's secret, drawn anew on every page, and what a form posts back is accepted."""

import re
import warnings
from collections import Counter

from django.middleware.csrf import CSRF_ALLOWED_CHARS, _get_new_csrf_string, _unmask_cipher_token
from django.test import Client, SimpleTestCase
from django.urls import reverse
from django.utils.deprecation import RemovedInDjango60Warning

from mutualaid.lib.csrf import mask_secret
from mutualaid.test import BaseTestCase, make_member

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class MaskTestCase(SimpleTestCase):
    def test_a_masked_secret_unmasks_to_the_secret_and_never_repeats(self):
        secret = _get_new_csrf_string()
        tokens = {mask_secret(secret) for _ in range(500)}
        self.assertEqual(len(tokens), 500)
        for token in tokens:
            self.assertEqual(len(token), 64)
            self.assertTrue(set(token) <= set(CSRF_ALLOWED_CHARS))
            self.assertEqual(_unmask_cipher_token(token), secret)

    def test_every_character_of_a_mask_is_drawn(self):
        secret = _get_new_csrf_string()
        drawn = Counter("".join(mask_secret(secret)[:32] for _ in range(2000)))
        self.assertEqual(set(drawn), set(CSRF_ALLOWED_CHARS))
        # 64,000 draws over 62 characters: about 1,032 each; an uneven draw would stand out.
        self.assertGreater(min(drawn.values()), 800)
        self.assertLess(max(drawn.values()), 1300)


class FormTokenTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.client = Client(enforce_csrf_checks=True)
        self.client.force_login(make_member("tasha", area=self.central))
        self.url = reverse("privacy:export")

    def token_of(self, response) -> str:
        return TOKEN.search(response.content.decode())[1]

    def test_the_pages_token_is_the_cookies_secret_masked_anew(self):
        first = self.token_of(self.client.get(self.url))
        second = self.token_of(self.client.get(self.url))
        self.assertNotEqual(first, second)
        secret = self.client.cookies["csrftoken"].value
        self.assertEqual(_unmask_cipher_token(first), secret)
        self.assertEqual(_unmask_cipher_token(second), secret)

    def test_a_form_posts_with_its_token_and_not_without(self):
        token = self.token_of(self.client.get(self.url))
        self.assertEqual(self.client.post(self.url).status_code, 403)
        response = self.client.post(self.url, {"csrfmiddlewaretoken": token})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")

    def test_an_outsider_is_sent_to_log_in(self):
        response = Client().get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])


class CsrfTokenTagTestCase(SimpleTestCase):
    """{% csrf_token %} (lib/csrf.py) writes what Django's writes, for every token it may get."""

    def test_it_writes_djangos_field(self):
        from django.template import Context, engines
        from django.template.base import NodeList
        from django.template.base import Template as DjangoTemplate
        from django.template.defaulttags import CsrfTokenNode

        engine = engines["django"].engine
        ours = engines["django"].from_string("{% csrf_token %}")
        theirs = DjangoTemplate("{% csrf_token %}", engine=engine)
        theirs.nodelist = NodeList([CsrfTokenNode()])
        self.assertIsNot(type(ours.template.nodelist[0]), CsrfTokenNode)  # ours is in use
        secret = _get_new_csrf_string()
        for token in [mask_secret(secret), "NOTPROVIDED", "", None, '"><script>']:
            with self.subTest(token=token):
                with warnings.catch_warnings():  # Django's own node, on "NOTPROVIDED"
                    warnings.simplefilter("ignore", RemovedInDjango60Warning)
                    expected = theirs.render(Context({"csrf_token": token}))
                self.assertEqual(ours.render({"csrf_token": token}), expected)
        self.assertEqual(ours.render({}), "")
