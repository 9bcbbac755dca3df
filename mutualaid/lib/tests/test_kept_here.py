"""What a process keeps in its own memory in front of the shared cache, page fragments
(lib/fragments.py), and the policy header built once (lib/csp.py): neither may show what the shared
cache or the settings no longer say. (The network's name: network/tests/test_network_name.py.)"""

from datetime import timedelta
from unittest import mock

import time_machine
from csp.constants import NONCE
from csp.decorators import csp_update
from csp.utils import build_policy
from django.core.cache import cache
from django.http import HttpResponse
from django.template import Context, Template
from django.test import RequestFactory, SimpleTestCase, override_settings
from django.utils import timezone
from django.utils.translation import override

from mutualaid.lib import csp, fragments

TEMPLATE = Template(
    '{% load fragments %}{% fragment_vary "part" as key %}'
    '{% fragment "part" key %}{{ shown.pop }}<input type="hidden" name="csrfmiddlewaretoken"'
    ' value="{{ csrf_token }}">{% endfragment %}'
)


def render(shown: list, token="token-a") -> str:  # noqa: S107 (a CSRF token, made up)
    return TEMPLATE.render(Context({"shown": shown, "csrf_token": token}))


class FragmentsKeptHereTestCase(SimpleTestCase):
    def setUp(self):
        cache.clear()

    def test_a_fragment_is_served_again_from_the_process_without_asking_the_shared_cache(self):
        self.assertIn("first", render(["first"]))
        with mock.patch.object(cache, "get", side_effect=AssertionError("asked the cache")):
            served = render(["second"], token="token-b")
        self.assertIn("first", served)  # the kept fragment, not rendered again
        self.assertIn('value="token-b"', served)  # with this viewer's own token
        self.assertNotIn("token-a", served)

    def test_another_process_serves_what_the_shared_cache_holds(self):
        render(["first"])
        fragments.forget_here()  # as a process that has not served it yet
        self.assertIn("first", render(["second"]))

    def test_a_cleared_cache_leaves_nothing_kept_in_the_process(self):
        render(["first"])
        cache.clear()
        self.assertIn("second", render(["second"]))

    def test_another_key_is_another_fragment(self):
        render(["first"])
        with override("es"):
            self.assertIn("second", render(["second"]))
        travelled = timezone.now() + timedelta(minutes=1)
        with time_machine.travel(travelled, tick=False):
            self.assertIn("third", render(["third"]))

    def test_a_kept_copy_lasts_no_longer_than_the_shared_one(self):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            render(["first"])
        with (
            mock.patch("mutualaid.lib.fragments.fragment_key", return_value="fixed"),
            time_machine.travel(start + timedelta(seconds=fragments.FRAGMENT_SECONDS + 1)),
        ):
            # Under a key that did not turn, the copy is stale by its own clock all the same.
            cache.clear()
            self.assertIn("second", render(["second"]))

    def test_the_kept_copies_are_bounded(self):
        with mock.patch.object(fragments, "HERE_CHARACTERS", 300):
            for minute in range(5):
                with time_machine.travel(timezone.now() + timedelta(minutes=minute)):
                    render(["x" * 100])
            self.assertLessEqual(fragments._here_size[0], 300)
            self.assertLessEqual(sum(len(text) for _until, text in fragments._here.values()), 300)


def view(request):
    return HttpResponse("ok")


class PolicyBuiltOnceTestCase(SimpleTestCase):
    def respond(self, view=view):
        request = RequestFactory().get("/somewhere/")
        return csp.CSPMiddleware(view)(request)

    def test_the_headers_are_django_csps_own(self):
        response = self.respond()
        self.assertEqual(response["Content-Security-Policy"], build_policy())
        self.assertNotIn("Content-Security-Policy-Report-Only", response)

    def test_built_once_until_the_settings_change(self):
        self.respond()
        with mock.patch.object(csp, "build_policy", side_effect=AssertionError("built again")):
            self.respond()
        policy = {"DIRECTIVES": {"default-src": ["'none'"]}}
        with override_settings(
            CONTENT_SECURITY_POLICY=policy, CONTENT_SECURITY_POLICY_REPORT_ONLY=policy
        ):
            response = self.respond()
            self.assertEqual(response["Content-Security-Policy"], "default-src 'none'")
            self.assertEqual(response["Content-Security-Policy-Report-Only"], "default-src 'none'")
        self.assertEqual(self.respond()["Content-Security-Policy"], build_policy())

    def test_a_view_that_changes_its_policy_gets_it(self):
        response = self.respond(csp_update({"img-src": ["https://tiles.example"]})(view))
        self.assertIn("https://tiles.example", response["Content-Security-Policy"])
        self.assertNotIn("https://tiles.example", self.respond()["Content-Security-Policy"])

    def test_a_response_that_asks_for_a_nonce_gets_django_csps_header(self):
        def with_nonce(request):
            return HttpResponse(str(request.csp_nonce))

        policy = {"DIRECTIVES": {"default-src": ["'self'"], "script-src": ["'self'", NONCE]}}
        with override_settings(CONTENT_SECURITY_POLICY=policy):
            response = self.respond(with_nonce)
        nonce = response.content.decode()
        self.assertEqual(
            sorted(response["Content-Security-Policy"].split("; ")),
            ["default-src 'self'", f"script-src 'self' 'nonce-{nonce}'"],
        )
