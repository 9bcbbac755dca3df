"""The public page of the anonymous figures: anyone may read it, one whole quarter at a time; no
count under 5 and nothing to subtract, for every small network (a property-based test through
the database), its CSV, and what it says before there is a whole quarter."""

import csv
import io
from datetime import UTC, datetime, timedelta

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from mutualaid.aid.models import NeedStatus
from mutualaid.figures import disclosure, selectors, services, waits
from mutualaid.test import BaseTestCase, make_member

from .bulk import add_needs
from .network import travel
from .test_disclosure import disclosed
from .test_waits import exact_percentile

JANUARY = datetime(2026, 1, 1, 10, tzinfo=UTC)
APRIL = datetime(2026, 4, 15, 12, tzinfo=UTC)
Q1 = (2026, 1)


def need_specs(case, rows):
    """(area index, category index, day of Q1, fulfilled, minutes to the first claim or None,
    volunteer index) -> add_needs' specs."""
    areas = (case.north, case.central, case.south)
    categories = (case.groceries, case.rides)
    specs = []
    for area, category, day, fulfilled, claimed_after, volunteer in rows:
        posted = JANUARY + timedelta(days=day)
        specs.append(
            {
                "area": areas[area],
                "category": categories[category],
                "posted": posted,
                "ended": posted + timedelta(hours=1),
                "status": NeedStatus.CLOSED if fulfilled else NeedStatus.EXPIRED,
                "claimed_after": timedelta(minutes=claimed_after)
                if claimed_after is not None
                else None,
                "volunteer": case.pool[volunteer],
            }
        )
    return specs


# Posted by the 88th day of the quarter, so that even the latest first claim (3,000 minutes on)
# falls inside it: each figure counts what happened in the quarter, on the day it happened.
NEEDS = st.lists(
    st.tuples(
        st.integers(0, 2),
        st.integers(0, 1),
        st.integers(0, 87),
        st.booleans(),
        st.one_of(st.none(), st.integers(0, 3000)),
        st.integers(0, 6),
    ),
    max_size=14,
)


class PublicFiguresPropertyTestCase(HypothesisTestCase, BaseTestCase):
    """Each example in a transaction of its own, rolled back (hypothesis.extra.django)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.pool = [make_member(f"pool{i}") for i in range(7)]

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(NEEDS)
    def test_every_public_figure_is_true_and_singles_nobody_out(self, rows):
        add_needs(self, need_specs(self, rows))
        with travel(APRIL):
            services.figures_rebuild()
            figures = selectors.public_figures()
        self.check(rows, figures)

    def check(self, rows, figures):
        if not rows:
            self.assertIsNone(figures)
            return
        self.assertEqual(figures["period"]["year"], 2026)
        self.assertEqual(figures["period"]["quarter"], 1)
        truth = {m: {} for m in ("received", "fulfilled")}
        for area, category, _day, fulfilled, _after, _v in rows:
            key = (area, category)
            truth["received"][key] = truth["received"].get(key, 0) + 1
            truth["fulfilled"][key] = truth["fulfilled"].get(key, 0) + fulfilled
        for m in truth:
            self.assertEqual(figures[m], disclosure.shown(sum(truth[m].values())))
        helped = {v for *_rest, after, v in rows if after is not None}
        self.assertEqual(figures["volunteers"], disclosure.shown(len(helped)))
        claimed = [after * 60 for *_rest, after, _v in rows if after is not None]
        if len(claimed) >= disclosure.THRESHOLD:
            expected = waits.value(waits.bucket(exact_percentile(claimed, 50)))
            self.assertEqual(figures["first_claim_median"], expected)
        else:
            self.assertIsNone(figures["first_claim_median"])
        names = (
            {self.north.name: 0, self.central.name: 1, self.south.name: 2},
            {self.groceries.name: 0, self.rides.name: 1},
        )
        shown = {"totals": {m: figures[m] for m in truth}}
        for index, name in ((0, "by_area"), (1, "by_category")):
            part = figures[name]
            groups = []
            for group in part["groups"]:
                keys = [] if group["other"] else [names[index][group["name"]]]
                for m in part["measures"]:
                    self.assertGreaterEqual(group["counts"][m], disclosure.THRESHOLD)
                    true = sum(n for key, n in truth[m].items() if key[index] in keys)
                    if not group["other"]:
                        self.assertEqual(group["counts"][m], true)
                groups.append({"keys": keys, "other": group["other"], "counts": group["counts"]})
            for m in part["measures"]:
                if groups:  # the groups make the total: the others are the rest exactly
                    self.assertEqual(sum(g["counts"][m] for g in groups), sum(truth[m].values()))
            shown[name] = (part["measures"], groups)
        for m in truth:
            table = {(a, c): truth[m].get((a, c), 0) for a in range(3) for c in range(2)}
            self.assertEqual(disclosed(range(3), range(2), shown, m, table), [])


class ImpactPageTestCase(BaseTestCase):
    url = reverse("figures:impact")

    def test_before_a_whole_quarter_it_says_so(self):
        self.post_need()
        services.figures_rebuild()
        response = self.client.get(self.url)
        self.assertContains(response, "once the network")
        self.assertEqual(self.client.get(reverse("figures:impact_export")).status_code, 404)

    def test_anyone_reads_the_last_whole_quarter_with_small_counts_hidden(self):
        add_needs(
            self,
            [
                {
                    "posted": JANUARY + timedelta(days=d),
                    "ended": JANUARY + timedelta(days=d, hours=1),
                }
                for d in range(7)
            ]
            + [
                {
                    "posted": JANUARY + timedelta(days=d),
                    "area": self.central,
                    "status": NeedStatus.EXPIRED,
                    "ended": JANUARY + timedelta(days=d, hours=1),
                }
                for d in range(3)
            ],
        )
        with travel(APRIL):
            services.figures_rebuild()
            response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        figures = response.context["figures"]
        self.assertEqual(figures["received"], {"count": 10})
        self.assertEqual(figures["fulfilled"], {"count": 7})
        self.assertEqual(figures["volunteers"], {"fewer_than": 5})
        # North: 7 received, 7 fulfilled; Central's 3 alone would be small, and 10 - 7 gives it
        # away: no breakdown by area at all (one group of two would be the total).
        self.assertEqual(figures["by_area"]["groups"], [])
        self.assertContains(response, "fewer than 5")
        self.assertNotContains(response, "Bulk need")
        self.assertNotContains(response, "rosa")

    def test_an_unknown_quarter_is_refused_with_a_message(self):
        add_needs(self, [{"posted": JANUARY}])
        with travel(APRIL):
            services.figures_rebuild()
            response = self.client.get(self.url, {"quarter": "2020-q1"})
            self.assertEqual(response.status_code, 400)
            self.assertContains(response, "no figures for that quarter", status_code=400)
            self.assertEqual(response.context["figures"]["period"]["quarter"], 1)
            self.assertEqual(
                self.client.get(reverse("figures:impact_export"), {"quarter": "x"}).status_code,
                404,
            )

    def test_the_csv_says_what_the_page_says(self):
        add_needs(
            self,
            [
                {
                    "posted": JANUARY + timedelta(days=d),
                    "category": (self.groceries, self.rides)[d % 2],
                }
                for d in range(12)
            ],
        )
        with travel(APRIL):
            services.figures_rebuild()
            response = self.client.get(reverse("figures:impact_export"), {"quarter": "2026-q1"})
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        self.assertEqual(rows[0], ["quarter", "figure", "group", "value"])
        self.assertIn(["2026-q1", "received", "", "12"], rows)
        self.assertIn(["2026-q1", "volunteers", "", "fewer than 5"], rows)
        self.assertIn(["2026-q1", "received_by_category", "Groceries", "6"], rows)
        self.assertIn(["2026-q1", "received_by_category", "Rides", "6"], rows)

    def test_it_reads_a_fixed_number_of_queries(self):
        add_needs(self, [{"posted": JANUARY}])
        with travel(APRIL):
            services.figures_rebuild()
            cache.clear()
            with CaptureQueriesContext(connection) as few:
                self.client.get(self.url)
            add_needs(
                self,
                [
                    {"posted": JANUARY + timedelta(days=d), "area": (self.north, self.south)[d % 2]}
                    for d in range(40)
                ],
            )
            services.figures_rebuild()
            cache.clear()
            with CaptureQueriesContext(connection) as many:
                self.client.get(self.url)
        self.assertEqual(len(many), len(few))
