"""The organizers' dashboard: every organizer role and nobody else, the figures of network.py as
the page shows them (charts with their tables, no inline style or script), bad filters refused
with a message, a fixed number of queries, the CSV, and a refresh on demand."""

import csv
import io
from datetime import timedelta

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutualaid.figures import services
from mutualaid.figures.models import Refresh
from mutualaid.network.models import NetworkSettings
from mutualaid.test import BaseTestCase, make_member
from mutualaid.trust.models import Level, Role

from .bulk import add_needs
from .network import NOW, at, build, travel


class DashboardAccessTestCase(BaseTestCase):
    def test_only_organizers_see_the_figures(self):
        for name in ("figures:dashboard", "figures:equity", "figures:export"):
            url = reverse(name)
            self.client.logout()
            self.assertRedirects(self.client.get(url), f"{reverse('accounts:login')}?next={url}")
            for member in (
                self.outsider,
                self.requester,
                make_member(f"new{len(url)}", level=Level.NEWCOMER),
            ):
                with self.subTest(url=url, member=member.handle):
                    self.client.force_login(member)
                    self.assertEqual(self.client.get(url).status_code, 403)
            for role in Role.values:
                with self.subTest(url=url, role=role):
                    self.client.force_login(make_member(f"{role[:4]}{len(url)}", roles=[role]))
                    self.assertEqual(self.client.get(url).status_code, 200)

    def test_only_organizers_bring_them_up_to_date_and_only_by_post(self):
        url = reverse("figures:refresh")
        self.assertRedirects(self.client.post(url), f"{reverse('accounts:login')}?next={url}")
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.post(url).status_code, 403)
        self.assertFalse(Refresh.objects.exists())
        self.client.force_login(self.organizer)
        self.assertEqual(self.client.get(url).status_code, 405)
        self.assertFalse(Refresh.objects.exists())

    def test_the_organize_home_and_its_navigation_link_here(self):
        self.client.force_login(make_member("saf", roles=[Role.SAFETY]))
        response = self.client.get(reverse("dispatch:organize"))
        self.assertContains(response, f'href="{reverse("figures:dashboard")}"', count=2)
        self.client.force_login(self.volunteer)
        self.assertNotContains(self.client.get(reverse("aid:board")), reverse("figures:dashboard"))


class DashboardPageTestCase(BaseTestCase):
    url = reverse("figures:dashboard")

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build(cls)
        with travel(NOW):
            services.figures_rebuild()

    def setUp(self):
        self.client.force_login(self.organizer)

    def get(self, query=None):
        with travel(NOW):
            return self.client.get(self.url, query or {"weeks": 4})

    def test_it_shows_the_figures_with_a_table_beside_each_chart(self):
        response = self.get()
        self.assertEqual(response.status_code, 200)
        figures = response.context["board"].figures
        self.assertEqual(figures["totals"]["received"], 5)
        html = response.content.decode()
        for chart, table in (("chart-weekly", "table-weekly"), ("chart-backlog", "table-backlog")):
            self.assertIn(f'aria-labelledby="{chart}-title" aria-describedby="{table}"', html)
            self.assertIn(f'<table id="{table}">', html)
        self.assertNotIn("style=", html)
        self.assertNotIn("<script", html)
        self.assertIn(
            "<td>5</td><td>2</td><td>2</td><td>1</td><td>1</td><td>1</td>", html
        )  # totals
        for shown in ("30 min", "2 h", "6 h", "2 days"):  # the waits' medians and 90th percentiles
            self.assertIn(shown, html)
        self.assertContains(response, f'href="{reverse("dispatch:queue")}?stale=on">1</a>')

    def test_bad_filters_are_refused_with_a_message_and_the_defaults_shown(self):
        response = self.get({"area": "nowhere", "weeks": "7"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "not understood", status_code=400)
        self.assertEqual(response.context["board"].figures["period"]["weeks"], 13)

    def test_filters_narrow_the_figures(self):
        response = self.get({"weeks": 4, "area": str(self.north.code), "category": "groceries"})
        self.assertEqual(response.context["board"].figures["totals"]["received"], 2)  # A and C

    def test_the_csv_holds_the_weekly_figures(self):
        with travel(NOW):
            response = self.client.get(reverse("figures:export"), {"weeks": 4, "category": "rides"})
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        self.assertEqual(
            rows[0],
            ["week_from", "area", "kind_of_help", "received", "claimed", "fulfilled", "cancelled",
             "expired", "declined"],
        )  # fmt: skip
        self.assertEqual(len(rows), 5)
        self.assertEqual(
            rows[-1], ["2026-03-02", "all areas", "Rides", "2", "1", "1", "0", "0", "1"]
        )

    def test_a_kind_of_help_named_like_a_formula_is_not_one_in_the_csv(self):
        self.rides.name = "=HYPERLINK(1)"
        self.rides.save()
        with travel(NOW):
            response = self.client.get(reverse("figures:export"), {"category": "rides"})
        self.assertIn("'=HYPERLINK(1)", response.content.decode())


class DashboardQueriesTestCase(BaseTestCase):
    url = reverse("figures:dashboard")

    def count(self):
        cache.clear()
        with travel(NOW), CaptureQueriesContext(connection) as queries:
            response = self.client.get(self.url, {"area": str(self.north.code), "weeks": 13})
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_it_reads_a_fixed_number_of_queries_whatever_the_network(self):
        self.client.force_login(self.organizer)
        NetworkSettings.load()  # made on first use
        add_needs(self, [{"posted": at(-3, 9), "claimed_after": timedelta(hours=1)}])
        with travel(NOW):
            services.figures_rebuild()
        few = self.count()
        volunteers = [make_member(f"vol{i}") for i in range(5)]
        add_needs(
            self,
            [
                {
                    "posted": at(-day, 9),
                    "claimed_after": timedelta(minutes=day * 7),
                    "volunteer": volunteers[day % 5],
                    "category": (self.groceries, self.rides)[day % 2],
                }
                for day in range(1, 80)
            ],
        )
        with travel(NOW):
            services.figures_rebuild()
        self.assertEqual(self.count(), few)


class RefreshOnDemandTestCase(BaseTestCase):
    def test_the_first_time_every_day_is_computed_then_what_is_new(self):
        self.client.force_login(self.organizer)
        with travel(at(0, 9)):
            self.post_need()
        with travel(at(0, 10)):
            response = self.client.post(reverse("figures:refresh"), follow=True)
        self.assertContains(response, "being computed")  # in the background (at once, in tests)
        self.assertEqual(Refresh.objects.get().through, at(0, 10))
        with travel(at(0, 11)):
            self.post_need()
            response = self.client.post(reverse("figures:refresh"), follow=True)
            self.assertContains(response, "up to date")
            self.assertEqual(response.context["board"].figures["totals"]["received"], 2)
