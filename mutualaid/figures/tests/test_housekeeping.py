"""The figures are brought up to date on every housekeeping tick, after the clocks that end
needs, and computed again from scratch by a command."""

from io import StringIO

from django.core.management import call_command

from mutualaid.figures.models import EVERY, DailyFigure, Refresh
from mutualaid.test import BaseTestCase

from .network import NOW, at, travel


class HousekeepingTestCase(BaseTestCase):
    def test_each_tick_counts_what_happened_since_the_last(self):
        with travel(at(0, 9)):
            self.post_need()
        with travel(at(0, 10)):
            out = StringIO()
            call_command("housekeeping", stdout=out)
        self.assertIn("refresh_figures", out.getvalue())
        self.assertEqual(Refresh.objects.get().through, at(0, 10))
        with travel(at(0, 11)):
            self.post_need()
        with travel(at(0, 12)):
            call_command("housekeeping", stdout=StringIO())
        day = DailyFigure.objects.get(area=EVERY, category=EVERY)
        self.assertEqual(day.received, 2)

    def test_the_command_computes_every_day_again(self):
        out = StringIO()
        call_command("figures_rebuild", stdout=out)
        self.assertIn("No need yet", out.getvalue())
        with travel(at(0, 9)):
            self.post_need()
        with travel(NOW):
            call_command("figures_rebuild", stdout=out)
        self.assertIn("from 2026-03-02", out.getvalue())
        self.assertEqual(Refresh.objects.get().rebuilt_at, NOW)
