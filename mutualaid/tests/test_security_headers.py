"""Every page carries the headers that keep it ours: a strict CSP, nosniff, same-origin referrers,
never framed, and never cached once a member is logged in. No page asks another origin for anything.

Every URL, as every persona, is checked in the one crawl of the URL conf: the access map's
(test_access_map.py, ``test_every_page_is_what_the_map_says``) holds each response it fetches to
``header_problems`` and ``html_problems`` below. The tests here check the pages no URL names: a 404,
a 500 and the CSRF failure page. Django's `check --deploy` does not notice a missing CSP; these
tests do.
"""

import re
from unittest import mock

from django.conf import settings
from django.test import Client
from django.urls import reverse

from mutualaid.test import BaseTestCase

# The only sources a directive may name: our own origin, nothing, and data: for images.
OWN_SOURCES = {"'self'", "'none'"}
DATA_SOURCES = {"img-src": {"data:"}}

# An attribute whose value is an absolute or protocol-relative URL: a request to another origin.
EXTERNAL_URL = re.compile(
    r"""[\w:-]+\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?//(?!testserver[/:"'])[^\s"'>]*""", re.I
)
# What the CSP would block: inline script and style, event handlers, javascript: URLs, hx-on.
INLINE = re.compile(
    r"""<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle\s*=|\son[a-z]+\s*=|\shx-on|javascript:""",
    re.I,
)


def header_problems(response, *, logged_in: bool) -> list[str]:
    problems = []
    policy = response.get("Content-Security-Policy")
    if not policy:
        problems.append("no Content-Security-Policy")
    else:
        directives = {}
        for part in filter(str.strip, policy.split(";")):
            name, *sources = part.split()
            directives[name] = sources
        if directives.get("frame-ancestors") != ["'none'"]:
            problems.append(f"frame-ancestors is {directives.get('frame-ancestors')}, not 'none'")
        if "default-src" not in directives:
            problems.append("no default-src")
        for name, sources in directives.items():
            allowed = OWN_SOURCES | DATA_SOURCES.get(name, set())
            if strange := [source for source in sources if source not in allowed]:
                problems.append(f"{name} allows {' '.join(strange)}")
    expected = {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
    }
    for header, value in expected.items():
        if response.get(header) != value:
            problems.append(f"{header} is {response.get(header)!r}, not {value!r}")
    if logged_in and "no-store" not in response.get("Cache-Control", ""):
        problems.append(f"Cache-Control is {response.get('Cache-Control')!r}, without no-store")
    return problems


def html_problems(response) -> list[str]:
    if not response.get("Content-Type", "").startswith("text/html"):
        return []
    html = response.content.decode()
    return [f"asks another origin: {found}" for found in EXTERNAL_URL.findall(html)] + [
        f"inline code the CSP blocks: {found}" for found in INLINE.findall(html)
    ]


class ErrorPagesTests(BaseTestCase):
    def error_pages(self):
        """(label, response, whether a member is logged in) for each error page."""
        anonymous, member = Client(raise_request_exception=False), Client()
        member.force_login(self.outsider)
        member.raise_request_exception = False
        yield "404 as anonymous", anonymous.get("/no/such/page/"), False
        yield "404 as member", member.get("/no/such/page/"), True
        with mock.patch("mutualaid.views.render", side_effect=RuntimeError("broken on purpose")):
            yield "500 as anonymous", anonymous.get("/"), False
        with mock.patch(
            "mutualaid.aid.selectors.board_needs", side_effect=RuntimeError("broken on purpose")
        ):
            yield "500 as member", member.get(reverse("aid:board")), True
        yield "CSRF failure as anonymous", self.csrf_failure(), False

    def csrf_failure(self):
        return Client(enforce_csrf_checks=True).post(reverse("accounts:login"))

    def test_error_pages_are_what_they_say(self):
        statuses = {label: response.status_code for label, response, _ in self.error_pages()}
        self.assertEqual(
            statuses,
            {
                "404 as anonymous": 404,
                "404 as member": 404,
                "500 as anonymous": 500,
                "500 as member": 500,
                "CSRF failure as anonymous": 403,
            },
        )

    def test_error_pages_have_the_security_headers(self):
        wrong = []
        for label, response, logged_in in self.error_pages():
            wrong += [
                f"{label}: {problem}" for problem in header_problems(response, logged_in=logged_in)
            ]
        if wrong:
            self.fail("Missing or weak security headers:\n  " + "\n  ".join(wrong))

    def test_no_error_page_asks_another_origin_or_holds_inline_code(self):
        wrong = []
        for label, response, _ in self.error_pages():
            wrong += [f"{label}: {problem}" for problem in html_problems(response)]
        if wrong:
            self.fail("Pages that are not all ours:\n  " + "\n  ".join(wrong))

    def test_the_csrf_failure_page_is_ours_too(self):
        response = self.csrf_failure()
        self.assertEqual(response.status_code, 403)
        self.assertEqual(html_problems(response), [])
        self.assertContains(response, 'name="viewport"', status_code=403)


def test_our_stylesheets_ask_no_other_origin():
    stylesheets = list((settings.BASE_DIR / "static").rglob("*.css"))
    assert stylesheets
    for path in stylesheets:
        css = path.read_text()
        assert not re.search(r"url\(\s*[\"']?\s*(?:[a-z]+:)?//|@import", css, re.I), path
