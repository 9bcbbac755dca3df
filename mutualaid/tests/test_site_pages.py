"""The inventory of pages (site_pages.py) holds every URL, and each page weighs little.

Every URL name is a page of the inventory or skipped with a reason; a skipped action refuses a
GET; each page answers each persona the inventory names as it says (so the browser's audit of it,
test_browser_axe.py, audits the page and not a login form or a refusal); each page's first load
(its HTML, and every stylesheet and script it names, as served) stays within 100 kB; and a page
that uses htmx loads it (the others do not, which is what keeps them light).
"""

import uuid
from typing import NamedTuple

from django.test import Client, TestCase
from django.urls import NoReverseMatch, resolve, reverse

from mutualaid.lib import network_name

from . import site_pages
from .site_pages import (
    FIRST_LOAD_LIMIT,
    PAGES,
    POST_ONLY,
    SKIPPED,
    first_load,
    page_assets,
    uses_htmx,
)


class InventoryTests(TestCase):
    def test_every_url_is_a_page_or_skipped_with_a_reason(self):
        missing = site_pages.uncovered()
        if missing:
            self.fail(
                "These URLs are neither pages of the inventory nor skipped: add each to PAGES in "
                "mutualaid/tests/site_pages.py (with the record its address names and the personas "
                "who see it), or to SKIPPED with the reason it is not a page:\n  "
                + "\n  ".join(missing)
            )
        names = set(site_pages.url_names())
        gone = sorted({page.name for page in PAGES} - names) + sorted(set(SKIPPED) - names)
        self.assertEqual(gone, [], "the inventory names URLs that are gone")
        self.assertEqual(set(SKIPPED) & {page.name for page in PAGES}, set())

    def test_a_skipped_action_refuses_a_get(self):
        wrong = []
        client = Client()
        for name, reason in SKIPPED.items():
            if reason != POST_ONLY:
                continue
            status = client.get(_any_address(name)).status_code
            if status != 405:
                wrong.append(f"{name}: GET answered {status}")
        self.assertEqual(wrong, [], "skipped as POST-only, these answer a GET")


def _any_address(name: str) -> str:
    """The URL with made-up arguments (require_POST answers 405 before anything reads them)."""
    for kwargs in ({}, {"code": uuid.uuid4()}, {"slug": "x"}, {"code": uuid.uuid4(), "role": "x"}):
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    raise AssertionError(f"{name}: no made-up arguments fit its address")


class Answer(NamedTuple):
    status: int
    html: str
    landed: str  # the URL name of the page a redirecting link landed on
    through: list


class PageTests(TestCase):
    """Each page of the inventory, as each persona who sees it, fetched once for all the tests."""

    maxDiff = None

    @classmethod
    def setUpTestData(cls):
        cls.network = site_pages.seed()
        cls.visits = []  # (page, persona, path, what it answered)
        for persona in site_pages.PERSONAS:
            client = Client()
            member = cls.network.members.get(persona)
            if member is not None:
                client.force_login(member)
            for page in cls.network.visits(persona):
                network_name.get()
                path = cls.network.path(page)  # after the log-in: a reset link's token
                response = client.get(path, follow=bool(page.lands_on))
                answer = Answer(
                    status=response.status_code,
                    html=response.content.decode(),
                    landed=resolve(response.wsgi_request.path).view_name if page.lands_on else "",
                    through=getattr(response, "redirect_chain", []),
                )
                cls.visits.append((page, persona, path, answer))

    def test_each_page_answers_each_persona_who_sees_it(self):
        wrong = []
        for page, persona, path, answer in self.visits:
            if answer.status != page.status or answer.landed != page.lands_on:
                where = f", through {answer.through}" if answer.through else ""
                wrong.append(
                    f"{page.key} as {persona}: GET {path} answered {answer.status}"
                    f"{where}, not {page.status}"
                    + (f" at {page.lands_on}" if page.lands_on else "")
                )
        self.assertEqual(wrong, [], "the inventory's personas do not see these pages")

    def test_no_page_weighs_more_than_100_kb_on_its_first_load(self):
        heavy, heaviest = [], (0, "")
        for page, persona, path, answer in self.visits:
            weight = first_load(answer.html.encode())
            heaviest = max(heaviest, (weight.total, f"{page.key} as {persona}: {weight}"))
            if weight.total > FIRST_LOAD_LIMIT:
                heavy.append(f"{page.key} as {persona} ({path}): {weight}")
        self.assertEqual(heavy, [], f"over {FIRST_LOAD_LIMIT // 1024} kB on the first load")
        print(f"\nThe heaviest first load: {heaviest[1]}")

    def test_a_page_that_asks_htmx_for_anything_loads_it(self):
        """htmx is loaded only by the pages that use it (base.html's "scripts" block)."""
        missing = sorted(
            {
                f"{page.key} ({path})"
                for page, _persona, path, answer in self.visits
                if uses_htmx(answer.html)
                and not any(url.endswith("/htmx.min.js") for url in page_assets(answer.html))
            }
        )
        self.assertEqual(
            missing,
            [],
            "these pages use htmx attributes but do not load htmx: add "
            '{% block scripts %}{% include "includes/htmx.html" %}{% endblock %} to their template',
        )
