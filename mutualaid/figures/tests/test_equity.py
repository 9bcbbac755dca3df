"""The areas side by side: each area's fulfilment rate and median wait against the network's,
with the number of needs behind each, and the areas served worse flagged only when chance alone
would rarely make them look so bad."""

from datetime import timedelta

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutualaid.aid.models import NeedStatus
from mutualaid.areas.models import Area
from mutualaid.figures import selectors, services, stats
from mutualaid.network.models import NetworkSettings
from mutualaid.test import BaseTestCase, make_member
from mutualaid.trust.models import Role

from .bulk import add_needs
from .network import NOW, at, build, travel


class EquityOfTheSmallNetworkTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build(cls)
        with travel(NOW):
            services.figures_rebuild()

    def test_each_area_with_the_needs_behind_its_figures(self):
        with travel(NOW):
            figures = selectors.equity(weeks=4)
        self.assertEqual(
            figures["network"],
            # Ended: A, B (fulfilled), C (cancelled), D (expired); E was declined: not counted.
            {
                "ended": 4,
                "fulfilled": 2,
                "rate": 0.5,
                "claims": 2,
                "median": {"value": 30, "unit": "minute"},
            },
        )
        areas = {a["name"]: a for a in figures["areas"]}
        self.assertEqual(set(areas), {"Northside", "Central", "Southside", "Far Hills"})
        north, central, south, far = (
            areas[n] for n in ("Northside", "Central", "Southside", "Far Hills")
        )
        self.assertEqual((north["ended"], north["fulfilled"], north["rate"]), (2, 1, 0.5))  # A, C
        self.assertEqual((central["ended"], central["rate"], central["claims"]), (1, 1.0, 1))  # B
        self.assertEqual(central["median"], {"value": 2, "unit": "hour"})
        self.assertEqual(central["longer"], 1)  # 2 h against the network's 30 min
        self.assertEqual((south["ended"], south["rate"]), (1, 0.0))  # D
        self.assertEqual((far["ended"], far["rate"], far["claims"]), (0, None, 0))  # F, open
        self.assertFalse(
            any(a["rate_worse"] or a["wait_worse"] for a in figures["areas"])
        )  # too few

    def test_a_kind_of_help(self):
        with travel(NOW):
            figures = selectors.equity(weeks=4, category=self.rides)
        self.assertEqual(figures["network"]["ended"], 1)  # B (E declined)
        self.assertEqual([a["name"] for a in figures["areas"]], ["Central", "Northside"])


class FlagsTestCase(BaseTestCase):
    def test_an_area_served_worse_is_flagged_and_one_served_alike_is_not(self):
        hour = timedelta(hours=1)
        specs = []
        for i in range(20):  # central: 18 of 20 fulfilled, taken on within an hour
            specs.append(
                {
                    "area": self.central,
                    "posted": at(-10, 8) + i * hour,
                    "status": NeedStatus.CLOSED if i < 18 else NeedStatus.EXPIRED,
                    "claimed_after": timedelta(minutes=10 + i),
                }
            )
        for i in range(10):  # north: 1 of 10 fulfilled, each waited a day or more
            specs.append(
                {
                    "area": self.north,
                    "posted": at(-10, 8) + i * hour,
                    "status": NeedStatus.CLOSED if i < 1 else NeedStatus.CANCELLED,
                    "claimed_after": timedelta(days=1, hours=i),
                }
            )
        for i in range(6):  # south: 4 of 6 fulfilled, waits like central's: nothing to tell
            specs.append(
                {
                    "area": self.south,
                    "posted": at(-10, 8) + i * hour,
                    "status": NeedStatus.CLOSED if i < 4 else NeedStatus.EXPIRED,
                    "claimed_after": timedelta(minutes=15 + i),
                }
            )
        add_needs(self, specs)
        with travel(NOW):
            services.figures_rebuild()
            figures = selectors.equity(weeks=4)
        self.assertAlmostEqual(figures["network"]["rate"], 23 / 36)
        areas = {a["name"]: a for a in figures["areas"]}
        north, central, south = areas["Northside"], areas["Central"], areas["Southside"]
        self.assertTrue(north["rate_worse"] and north["wait_worse"])
        self.assertEqual((north["ended"], north["claims"], north["longer"]), (10, 10, 10))
        self.assertAlmostEqual(north["rate_p"], stats.at_most(1, 10, 23 / 36))
        self.assertAlmostEqual(north["wait_p"], 0.5**10)
        self.assertFalse(central["rate_worse"] or central["wait_worse"])
        self.assertFalse(south["rate_worse"] or south["wait_worse"])
        self.assertEqual(figures["areas"][0]["name"], "Northside")  # flagged first
        self.client.force_login(self.organizer)
        with travel(NOW):
            response = self.client.get(reverse("figures:equity"), {"weeks": 4})
        self.assertContains(response, "Yes: fewer fulfilled, and a longer wait")
        self.assertContains(response, 'aria-describedby="table-equity"')


class StatsTestCase(BaseTestCase):
    def test_binomial_tails(self):
        self.assertAlmostEqual(stats.at_most(0, 3, 0.5), 0.125)
        self.assertAlmostEqual(stats.at_least(3, 3, 0.5), 0.125)
        self.assertAlmostEqual(stats.at_most(3, 3, 0.5), 1.0)
        self.assertAlmostEqual(stats.at_least(0, 5, 0.3), 1.0)
        self.assertAlmostEqual(stats.at_most(2, 10, 0.3), 0.3827827864, places=8)


class EquityPageTestCase(BaseTestCase):
    url = reverse("figures:equity")

    def count(self):
        cache.clear()
        with travel(NOW), CaptureQueriesContext(connection) as queries:
            response = self.client.get(self.url, {"weeks": 13, "category": "groceries"})
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_it_reads_a_fixed_number_of_queries_whatever_the_areas(self):
        NetworkSettings.load()  # made on first use
        self.client.force_login(make_member("saf", roles=[Role.SAFETY]))
        add_needs(self, [{"posted": at(-3, 9), "claimed_after": timedelta(hours=1)}])
        with travel(NOW):
            services.figures_rebuild()
        few = self.count()
        areas = [Area.objects.create(name=f"Area {i}") for i in range(12)]
        add_needs(
            self,
            [
                {"posted": at(-i, 9), "area": areas[i % 12], "claimed_after": timedelta(hours=i)}
                for i in range(40)
            ],
        )
        with travel(NOW):
            services.figures_rebuild()
        self.assertEqual(self.count(), few)

    def test_bad_filters_are_refused_with_a_message(self):
        self.client.force_login(self.organizer)
        response = self.client.get(self.url, {"weeks": "forever", "category": "nothing"})
        self.assertContains(response, "not understood", status_code=400)
        self.assertEqual(response.context["board"].figures["period"]["weeks"], 13)
