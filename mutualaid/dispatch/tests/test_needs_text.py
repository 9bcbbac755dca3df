"""The open needs as plain text, to paste into a group chat or a flyer: the board's public needs
only (never organizers-only, hidden or taken ones), summary, area, urgency and a full link, no
handle and no private word, filtered like the board, capped, downloadable, in a fixed number of
queries, and only for organizers who match needs."""

import re
from datetime import timedelta
from unittest import mock

from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mutualaid.aid.models import Need, Urgency, Visibility
from mutualaid.dispatch import sharing
from mutualaid.test import CANARY, BaseTestCase, make_member
from mutualaid.trust.models import Level, Role

SITE = "https://aid.example.org"


@override_settings(SITE_URL=SITE)
class NeedsTextTestCase(BaseTestCase):
    url = reverse("dispatch:needs_text")

    def setUp(self):
        self.client.force_login(self.organizer)

    def text(self, query=None, status=200) -> str:
        response = self.client.get(self.url, query or {})
        self.assertEqual(response.status_code, status)
        return response.context["shared"].text

    def link(self, need) -> str:
        return SITE + reverse("aid:need", args=[need.code])

    def test_it_refuses_who_does_not_match_needs(self):
        for query in ({}, {"format": "txt"}):
            self.client.logout()
            response = self.client.get(self.url, query)
            self.assertEqual(response.status_code, 302)
            self.assertTrue(response["Location"].startswith(reverse("accounts:login")))
            for member in (
                self.outsider,
                self.requester,
                make_member(f"new{len(query)}", level=Level.NEWCOMER),
                make_member(f"saf{len(query)}", roles=[Role.SAFETY]),
                make_member(f"adm{len(query)}", roles=[Role.ADMIN]),
            ):
                with self.subTest(query=query, member=member.handle):
                    self.client.force_login(member)
                    self.assertEqual(self.client.get(self.url, query).status_code, 403)
        for role in (Role.TRIAGER, Role.DISPATCHER):
            self.client.force_login(make_member(f"{role}x", roles=[role]))
            self.assertEqual(self.client.get(self.url).status_code, 200)

    def test_it_lists_each_open_need_with_its_area_urgency_and_full_link(self):
        groceries = self.post_need(summary="Groceries for a family of four")
        ride = self.post_need(
            summary="A ride to the clinic", area=self.south, urgency=Urgency.TODAY
        )
        text = self.text({"area": ""})
        self.assertIn(
            f"A ride to the clinic\nSouthside · Today\n{self.link(ride)}\n\n"
            f"Groceries for a family of four\nNorthside · In 1–2 days\n{self.link(groceries)}\n",
            text,
        )
        self.assertTrue(text.startswith("Open needs: all areas (2)\n\n"))

    def test_most_urgent_first_then_oldest(self):
        now = timezone.now()
        for days, summary, urgency in (
            (3, "Old anytime", Urgency.ANYTIME),
            (1, "New today", Urgency.TODAY),
            (2, "Old today", Urgency.TODAY),
            (5, "Oldest this week", Urgency.WEEK),
        ):
            need = self.post_need(summary=summary, urgency=urgency)
            Need.objects.filter(pk=need.pk).update(created_at=now - timedelta(days=days))
        text = self.text()
        order = ["Old today", "New today", "Oldest this week", "Old anytime"]
        self.assertEqual(sorted(order, key=text.index), order)

    def test_no_handle_no_private_text_and_only_what_every_member_sees(self):
        anonymous = make_member("hidden_asker")
        self.post_need(requester=anonymous, summary="Shown without a name", anonymous=True)
        self.post_need(summary="For organizers only", visibility=Visibility.ORGANIZERS)
        hidden = self.post_need(summary="Hidden by safety")
        Need.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
        self.claimed_need(summary="Taken already")
        cancelled = self.post_need(summary="Cancelled by its requester")
        Need.objects.filter(pk=cancelled.pk).update(status="cancelled")
        response = self.client.get(self.url)
        text = response.context["shared"].text
        self.assertIn("Shown without a name", text)
        for absent in (
            "For organizers only",
            "Hidden by safety",
            "Taken already",
            "Cancelled by its requester",
        ):
            self.assertNotIn(absent, text)
        self.assertEqual(response.context["shared"].total, 1)
        download = self.client.get(self.url, {"format": "txt"}).content.decode()
        for page in (response.content.decode(), download):
            self.assertNotIn(CANARY, page)
            self.assertNotIn("Flat 3B", page)
        for shared in (text, download):  # the page's header names who is logged in, no one else
            self.assertIsNone(re.search(r"\b(hidden_asker|rosa|vic|olga)\b", shared))

    def test_the_page_escapes_members_words_and_the_download_keeps_them_plain(self):
        self.post_need(summary="Soup & bread <please>")
        response = self.client.get(self.url)
        self.assertContains(response, "Soup &amp; bread &lt;please&gt;")
        self.assertNotContains(response, "<please>")
        download = self.client.get(self.url, {"format": "txt"})
        self.assertIn("Soup & bread <please>\n", download.content.decode())

    def test_the_text_is_shown_in_a_labelled_read_only_box(self):
        self.post_need()
        response = self.client.get(self.url)
        self.assertContains(response, '<label for="needs-text">')
        self.assertContains(response, '<textarea id="needs-text" rows="20" readonly')
        self.assertContains(response, 'aria-describedby="needs-text-help"')
        self.assertContains(response, 'href="?format=txt"')

    def test_filters_by_area_with_neighbors_kind_of_help_and_urgency(self):
        self.post_need(summary="North groceries")
        self.post_need(summary="Central ride", area=self.central, category=self.rides)
        self.post_need(summary="Far groceries today", area=self.far, urgency=Urgency.TODAY)
        everything = ["North groceries", "Central ride", "Far groceries today"]
        cases = [
            ({"area": str(self.north.code)}, ["North groceries"]),
            ({"area": str(self.north.code), "near": "on"}, ["North groceries", "Central ride"]),
            ({"category": "rides"}, ["Central ride"]),
            ({"urgency": "today"}, ["Far groceries today"]),
            ({}, everything),
        ]
        for query, expected in cases:
            with self.subTest(query=query):
                text = self.text(query)
                self.assertEqual([s for s in everything if s in text], expected)
        self.assertTrue(
            self.text({"area": str(self.north.code), "near": "on"}).startswith(
                "Open needs: Northside and neighbors (2)"
            )
        )
        download = self.client.get(self.url, {"category": "rides", "format": "txt"})
        self.assertIn("Central ride", download.content.decode())
        self.assertNotIn("North groceries", download.content.decode())
        # Filters not understood are left out, and said so.
        response = self.client.get(self.url, {"area": "nowhere"})
        self.assertContains(response, "not understood", status_code=400)
        self.assertEqual(response.context["shared"].total, 3)

    def test_the_download_is_plain_text_with_the_same_content(self):
        need = self.post_need(summary="Nappies and formula")
        response = self.client.get(self.url, {"format": "txt", "area": str(self.north.code)})
        self.assertEqual(response["Content-Type"], "text/plain; charset=utf-8")
        self.assertIn("attachment", response["Content-Disposition"])
        self.assertEqual(response.content.decode(), self.text({"area": str(self.north.code)}))
        block = f"Nappies and formula\nNorthside · In 1–2 days\n{self.link(need)}\n"
        self.assertIn(block, response.content.decode())

    def test_a_long_list_is_capped_and_says_how_many_more_and_where(self):
        for i in range(5):
            self.post_need(summary=f"Need number {i}")
        with mock.patch.object(sharing, "SHARE_LIMIT", 2):
            response = self.client.get(self.url, {"category": "groceries"})
        shared = response.context["shared"]
        self.assertEqual((shared.shown, shared.total, shared.more), (2, 5, 3))
        self.assertIn("Need number 0", shared.text)
        self.assertNotIn("Need number 2", shared.text)
        self.assertIn(
            f"…and 3 more on the board: {SITE}{reverse('aid:board')}?area=&category=groceries",
            shared.text,
        )
        self.assertContains(response, "The first 2 of 5 open needs")

    def test_an_empty_list_says_so(self):
        self.assertIn("No open needs right now.", self.text())

    def test_it_takes_a_fixed_number_of_queries(self):
        def capture(query):
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                self.client.get(self.url, query)
            return len(queries)

        self.post_need()
        queries = [{}, {"area": str(self.north.code), "near": "on"}, {"format": "txt"}]
        few = [capture(query) for query in queries]
        for i in range(30):
            area = (self.north, self.central, self.far)[i % 3]
            self.post_need(summary=f"Need {i}", area=area, requester=make_member(f"req{i}"))
        self.assertEqual([capture(query) for query in queries], few)

    @override_settings(SITE_URL="")
    def test_without_a_site_url_links_use_the_address_asked_at(self):
        need = self.post_need()
        self.assertIn(f"http://testserver{reverse('aid:need', args=[need.code])}", self.text())


class OrganizeHomeLinkTestCase(BaseTestCase):
    def test_the_organize_home_links_it_for_who_matches_needs_only(self):
        link = f'href="{reverse("dispatch:needs_text")}"'
        for role, shown in (
            (Role.TRIAGER, True),
            (Role.DISPATCHER, True),
            (Role.SAFETY, False),
            (Role.ADMIN, False),
        ):
            with self.subTest(role=role):
                self.client.force_login(make_member(f"{role}x", roles=[role]))
                response = self.client.get(reverse("dispatch:organize"))
                if shown:
                    self.assertContains(response, link)
                else:
                    self.assertNotContains(response, link)
