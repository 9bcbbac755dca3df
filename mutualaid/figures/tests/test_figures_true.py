"""Every figure of the dashboard, against the small network of network.py whose figures are
worked out by hand: counted on the day it happened, a need's first claim only, a reopened need
fulfilled once, a refresh as it goes the same as a rebuild, and nothing at all in an empty
network."""

from datetime import date

from django.test import override_settings

from mutualaid.figures import selectors, services
from mutualaid.figures.models import EVERY, DailyFigure, DailyWait
from mutualaid.test import BaseTestCase

from .network import NOW, at, build, travel

MINUTES, HOURS, DAYS = "minute", "hour", "day"


def wait(value, unit):
    return {"value": value, "unit": unit}


def stored():
    """Every stored row, as plain values."""
    return (
        sorted(DailyFigure.objects.values_list("day", "area", "category", *DailyFigure.COUNTS)),
        sorted(
            DailyWait.objects.values_list("day", "area", "category", "measure", "bucket", "count")
        ),
    )


class FiguresTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.needs = build(cls)
        with travel(NOW):
            services.figures_rebuild()

    def dashboard(self, **scope):
        with travel(NOW):
            return selectors.dashboard(**scope)

    def test_the_counts_of_the_last_four_weeks(self):
        figures = self.dashboard(weeks=4)
        self.assertEqual(
            figures["period"], {"weeks": 4, "first": date(2026, 2, 9), "last": date(2026, 3, 6)}
        )
        totals = figures["totals"]
        expected = {
            "received": 5,  # A, B, C, E, F (D was posted in February, H in January)
            "claimed": 2,  # A and B, once each
            "fulfilled": 2,  # A, and B once though marked done twice
            "cancelled": 1,  # C
            "expired": 1,  # D, posted before the period
            "declined": 1,  # E
        }
        self.assertEqual({k: totals[k] for k in expected}, expected)
        self.assertEqual([row["week"] for row in figures["weeks"]], [
            date(2026, 2, 9), date(2026, 2, 16), date(2026, 2, 23), date(2026, 3, 2)
        ])  # fmt: skip
        self.assertEqual(figures["weeks"][-1], {"week": date(2026, 3, 2), **expected})
        for week in figures["weeks"][:-1]:
            self.assertEqual(sum(week[k] for k in expected), 0)

    def test_each_day_holds_what_happened_that_day(self):
        whole = {
            row["day"]: row
            for row in DailyFigure.objects.filter(area=EVERY, category=EVERY).values()
        }
        self.assertEqual(
            sorted(whole),
            [
                date(2026, 1, 20),
                date(2026, 1, 21 + 1),
                date(2026, 2, 1),
                date(2026, 3, 2),
                date(2026, 3, 3),
                date(2026, 3, 4),
            ],
        )
        monday, tuesday, wednesday = (whole[date(2026, 3, d)] for d in (2, 3, 4))
        self.assertEqual((monday["received"], monday["claimed"], monday["fulfilled"]), (3, 2, 0))
        self.assertEqual(
            (tuesday["fulfilled"], tuesday["cancelled"], tuesday["expired"], tuesday["declined"]),
            (1, 1, 1, 1),
        )
        self.assertEqual(
            (wednesday["fulfilled"], wednesday["received"], wednesday["claimed"]), (1, 1, 0)
        )
        self.assertEqual(whole[date(2026, 1, 22)]["cancelled"], 1)
        self.assertEqual(whole[date(2026, 2, 1)]["received"], 1)

    def test_the_waits_first_claim_only_and_the_last_marked_done(self):
        figures = self.dashboard(weeks=4)
        # A waited 30 min, B 2 h for rey (not a day, for vic, after rey released it).
        self.assertEqual(
            figures["first_claim"],
            {"count": 2, "median": wait(30, MINUTES), "p90": wait(2, HOURS)},
        )
        # A: 6 h to "marked done"; B: 48 h to the second "marked done" (the first was reopened).
        self.assertEqual(
            figures["fulfilment"],
            {"count": 2, "median": wait(6, HOURS), "p90": wait(2, DAYS)},
        )

    def test_a_longer_period_takes_in_january(self):
        figures = self.dashboard(weeks=13)
        self.assertEqual(figures["period"]["first"], date(2025, 12, 8))
        self.assertEqual(figures["totals"]["received"], 7)
        self.assertEqual(figures["totals"]["cancelled"], 2)
        # 30 min (A), 1 h (H), 2 h (B): the median is H's.
        self.assertEqual(
            figures["first_claim"],
            {"count": 3, "median": wait(1, HOURS), "p90": wait(2, HOURS)},
        )

    def test_an_area_and_a_kind_of_help(self):
        north = self.dashboard(weeks=4, area=self.north)["totals"]
        self.assertEqual(
            [north[k] for k in ("received", "claimed", "fulfilled", "cancelled", "declined")],
            [3, 1, 1, 1, 1],  # A, C, E
        )
        rides = self.dashboard(weeks=4, category=self.rides)["totals"]
        self.assertEqual(
            [rides[k] for k in ("received", "claimed", "fulfilled", "declined")], [2, 1, 1, 1]
        )  # B, E
        both = self.dashboard(weeks=4, area=self.central, category=self.rides)
        self.assertEqual(both["totals"]["received"], 1)  # B
        self.assertEqual(both["fulfilment"]["median"], wait(2, DAYS))

    def test_an_area_takes_in_the_areas_inside_it(self):
        self.central.parent = self.north
        self.central.save()
        north = self.dashboard(weeks=4, area=self.north)["totals"]
        self.assertEqual(north["received"], 4)  # A, C, E and B (central, inside the north now)

    def test_the_feedback(self):
        feedback = self.dashboard(weeks=4)["feedback"]
        self.assertEqual(
            feedback,
            {"answers": 1, "got_needed": 1.0, "partly": 0.0, "responses": 2, "unsafe": 0.5},
        )

    def test_the_backlog_now(self):
        backlog = self.dashboard(weeks=4)["backlog"]
        self.assertEqual((backlog["total"], backlog["waiting"], backlog["stale"]), (1, 1, 1))
        self.assertEqual(
            [(b["from_days"], b["to_days"], b["count"]) for b in backlog["by_age"]],
            [(0, 1, 0), (1, 3, 1), (3, 7, 0), (7, 14, 0), (14, 28, 0), (28, None, 0)],
        )
        with travel(at(2, 9)):  # F was an hour old: not stale yet (2 h for today)
            early = selectors.backlog()
        self.assertEqual((early["stale"], early["by_age"][0]["count"]), (0, 1))

    def test_volunteer_retention(self):
        self.assertEqual(
            self.dashboard(weeks=4)["retention"],
            # vic, rey and una lately; vic in the 30 days before (H), and back; rey and una new.
            {"days": 30, "active": 3, "active_before": 1, "stayed": 1, "rate": 1.0, "new": 2},
        )
        north = self.dashboard(weeks=4, area=self.north)["retention"]
        # vic alone held a need in the north (A); not new: vic held H in January.
        self.assertEqual(
            north,
            {"days": 30, "active": 1, "active_before": 0, "stayed": 0, "rate": None, "new": 0},
        )

    def test_a_refresh_as_it_goes_gives_what_a_rebuild_gives(self):
        rebuilt = stored()
        self.assertEqual(services.figures_rebuild.__name__, "figures_rebuild")
        self.assertTrue(rebuilt[0])
        DailyFigure.objects.all().delete()
        DailyWait.objects.all().delete()
        with travel(NOW):
            services.figures_rebuild()
        self.assertEqual(stored(), rebuilt)

    def test_refreshing_changes_no_past_day_and_counts_what_is_new(self):
        before = stored()
        with travel(at(5, 9)):  # Saturday: a new need, claimed at once
            need = self.post_need(summary="Saturday")
        with travel(at(5, 9, 5)):
            from mutualaid.aid import services as aid

            aid.need_claim(need=need, member=self.volunteer)
        with travel(at(5, 10)):
            first = services.figures_refresh()
        self.assertEqual(first, date(2026, 3, 6))  # from the last refresh's day (Friday) on
        after = stored()
        self.assertEqual(
            [r for r in after[0] if r[0] < first], [r for r in before[0] if r[0] < first]
        )
        saturday = DailyFigure.objects.get(day=date(2026, 3, 7), area=EVERY, category=EVERY)
        self.assertEqual((saturday.received, saturday.claimed), (1, 1))
        self.assertEqual(
            DailyWait.objects.get(day=date(2026, 3, 7), area=EVERY, category=EVERY).bucket, 5
        )  # 5 minutes


class RefreshAsItGoesTestCase(BaseTestCase):
    def test_refreshing_along_the_way_gives_what_a_rebuild_gives(self):
        build(self, refresh=lambda moment: services.figures_refresh())
        as_it_went = stored()
        with travel(NOW):
            services.figures_rebuild()
        self.assertEqual(stored(), as_it_went)


class EmptyNetworkTestCase(BaseTestCase):
    def test_no_need_no_figure(self):
        self.assertIsNone(services.figures_refresh())
        figures = selectors.dashboard(weeks=4)
        self.assertEqual(set(figures["totals"].values()), {0})
        self.assertEqual(figures["first_claim"], {"count": 0, "median": None, "p90": None})
        self.assertEqual(figures["feedback"]["got_needed"], None)
        self.assertEqual(figures["retention"]["rate"], None)
        self.assertEqual(len(figures["weeks"]), 4)
        self.assertIsNotNone(figures["refreshed_at"])
        self.assertEqual(selectors.equity()["areas"], [])
        self.assertIsNone(selectors.public_figures())


class NetworkTimeTestCase(BaseTestCase):
    @override_settings(TIME_ZONE="America/New_York")
    def test_a_day_is_the_network_s_day(self):
        with travel(at(1, 2)):  # Tuesday 02:00 UTC is Monday 21:00 in New York
            self.post_need()
            services.figures_rebuild()
        days = list(
            DailyFigure.objects.filter(area=EVERY, category=EVERY).values_list("day", flat=True)
        )
        self.assertEqual(days, [date(2026, 3, 2)])


class RefreshesSideBySideTestCase(BaseTestCase):
    def test_a_refresh_that_began_before_the_last_one_written_writes_nothing(self):
        with travel(at(0, 9)):
            self.post_need()
            services.figures_refresh()
        with travel(at(0, 11)):
            self.post_need()
            services.figures_refresh()
        before = stored()
        with travel(at(0, 10)):  # began before the 11:00 one, which wrote first
            services.figures_refresh(now=at(0, 10))
        self.assertEqual(stored(), before)
        self.assertEqual(services.Refresh.objects.get().through, at(0, 11))
