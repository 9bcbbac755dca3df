"""The public figures single nobody out: every number shown is 5 or more, a breakdown adds up to
its total with nothing held back, and no count from 1 to 4 (an area's, a kind of help's, or an area
and kind's) can be worked out from the figures, whatever small network lies behind them: checked by
enumerating every table of counts consistent with what is shown."""

import itertools

from django.test import SimpleTestCase
from hypothesis import given, settings
from hypothesis import strategies as st

from mutualaid.figures import disclosure

MEASURES = ["received", "fulfilled"]


def publish(table: dict) -> dict:
    """What the public sees of ``table`` ({(area, category): {measure: n}}), as public_figures
    makes it."""
    areas = sorted({a for a, _c in table})
    categories = sorted({c for _a, c in table})

    def by(index, keys):
        cells = {
            k: {m: sum(v[m] for key, v in table.items() if key[index] == k) for m in MEASURES}
            for k in keys
        }
        return cells, disclosure.breakdown(cells, MEASURES)

    area_cells, (area_measures, area_groups) = by(0, areas)
    category_cells, (category_measures, category_groups) = by(1, categories)
    totals = {m: sum(v[m] for v in table.values()) for m in MEASURES}
    return {
        "totals": {m: disclosure.shown(totals[m]) for m in MEASURES},
        "by_area": (area_measures, area_groups),
        "by_category": (category_measures, category_groups),
        "area_cells": area_cells,
        "category_cells": category_cells,
    }


def consistent_tables(areas, categories, shown, measure):
    """Every table of one measure's counts ({(area, category): n}) that would be published as
    ``shown`` was: the total (or "fewer than 5"), and each breakdown's groups, named or not."""
    keys = [(a, c) for a in areas for c in categories]
    total = shown["totals"][measure]
    totals = [total["count"]] if "count" in total else range(total["fewer_than"])
    constraints = []
    for index, name in ((0, "by_area"), (1, "by_category")):
        measures, groups = shown[name]
        if measure not in measures or not groups:
            continue
        named = [(g["keys"][0], g["counts"][measure]) for g in groups if not g["other"]]
        constraints += [((index, {k}), n) for k, n in named]
        rest = {k for k in (areas if index == 0 else categories)} - {k for k, _n in named}
        other = next((g["counts"][measure] for g in groups if g["other"]), 0)
        constraints.append(((index, rest), other))
    for t in totals:
        for cut in itertools.combinations(range(t + len(keys) - 1), len(keys) - 1):
            bounds = (-1, *cut, t + len(keys) - 1)
            values = [bounds[i + 1] - bounds[i] - 1 for i in range(len(keys))]
            table = dict(zip(keys, values, strict=True))
            if all(
                sum(n for key, n in table.items() if key[index] in members) == count
                for (index, members), count in constraints
            ):
                yield table


def disclosed(areas, categories, shown, measure, truth) -> list[str]:
    """The counts from 1 to 4 that every table consistent with ``shown`` agrees on (``truth``,
    the table behind it, must be one of them)."""
    possible, found = {}, False
    for table in consistent_tables(areas, categories, shown, measure):
        found = found or table == truth
        atoms = {("cell", key): n for key, n in table.items()}
        for a in areas:
            atoms["area", a] = sum(n for (x, _c), n in table.items() if x == a)
        for c in categories:
            atoms["category", c] = sum(n for (_a, y), n in table.items() if y == c)
        for atom, n in atoms.items():
            possible.setdefault(atom, set()).add(n)
    assert found, "the figures do not say what the table behind them holds"
    return [
        f"{atom} = {n}"
        for atom, values in possible.items()
        if len(values) == 1
        for n in values
        if 1 <= n <= 4
    ]


def tables(max_areas, max_categories, max_count):
    return st.integers(1, max_areas).flatmap(
        lambda areas: st.integers(1, max_categories).flatmap(
            lambda categories: st.fixed_dictionaries(
                {
                    (a, c): st.fixed_dictionaries({m: st.integers(0, max_count) for m in MEASURES})
                    for a in range(areas)
                    for c in range(categories)
                }
            )
        )
    )


class DisclosureTestCase(SimpleTestCase):
    def test_a_small_total_is_fewer_than_5_and_not_broken_down(self):
        self.assertEqual(disclosure.shown(4), {"fewer_than": 5})
        self.assertEqual(disclosure.shown(5), {"count": 5})
        self.assertEqual(
            disclosure.breakdown({"a": {"received": 2}, "b": {"received": 2}}, ["received"]),
            ([], []),
        )

    def test_a_small_group_is_counted_with_others_never_alone_nor_by_subtraction(self):
        cells = {"north": {"received": 9}, "south": {"received": 6}, "far": {"received": 2}}
        measures, groups = disclosure.breakdown(cells, ["received"])
        # far alone would be 2, and 17 - 9 - 6 would give it away: it joins the smallest other.
        self.assertEqual(measures, ["received"])
        self.assertEqual(
            [(g["keys"], g["other"], g["counts"]) for g in groups],
            [(["north"], False, {"received": 9}), (["far", "south"], True, {"received": 8})],
        )

    def test_a_breakdown_of_one_group_is_no_breakdown(self):
        cells = {"north": {"received": 9}, "far": {"received": 2}}
        self.assertEqual(disclosure.breakdown(cells, ["received"]), (["received"], []))

    @settings(max_examples=400)
    @given(tables(6, 5, 40))
    def test_every_number_shown_is_5_or_more_and_the_groups_add_up(self, table):
        shown = publish(table)
        for name, cells in (
            ("by_area", shown["area_cells"]),
            ("by_category", shown["category_cells"]),
        ):
            measures, groups = shown[name]
            keys = [k for g in groups for k in g["keys"]]
            self.assertEqual(len(keys), len(set(keys)))  # each key in one group at most
            for g in groups:
                self.assertTrue(all(g["counts"][m] >= disclosure.THRESHOLD for m in measures))
                self.assertTrue(not g["other"] or len(g["keys"]) >= 2)
                for m in measures:
                    self.assertEqual(g["counts"][m], sum(cells[k][m] for k in g["keys"]))
            for m in measures:  # nothing held back: the groups make the total
                if groups:
                    self.assertEqual(
                        sum(g["counts"][m] for g in groups), sum(c[m] for c in cells.values())
                    )
                    left_out = set(cells) - set(keys)
                    self.assertTrue(all(cells[k][x] == 0 for k in left_out for x in measures))

    @settings(max_examples=400)
    @given(tables(6, 5, 40))
    def test_an_area_s_share_of_a_kind_of_help_is_never_narrowed_below_5(self, table):
        """Two breakdowns of one total bound their crossing (Fréchet): never narrower than 5."""
        shown = publish(table)
        for m in MEASURES:
            if m not in shown["by_area"][0] or m not in shown["by_category"][0]:
                continue
            total = shown["totals"][m]["count"]
            for a in shown["by_area"][1]:
                for c in shown["by_category"][1]:
                    low = max(0, a["counts"][m] + c["counts"][m] - total)
                    high = min(a["counts"][m], c["counts"][m])
                    self.assertGreaterEqual(high - low, disclosure.THRESHOLD)

    @settings(max_examples=150, deadline=None)
    @given(tables(3, 2, 3))
    def test_no_count_under_5_can_be_worked_out_from_the_figures(self, table):
        shown = publish(table)
        areas = sorted({a for a, _c in table})
        categories = sorted({c for _a, c in table})
        for m in MEASURES:
            truth = {key: counts[m] for key, counts in table.items()}
            self.assertEqual(disclosed(areas, categories, shown, m, truth), [], shown)
