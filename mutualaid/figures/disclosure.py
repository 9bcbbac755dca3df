"""What the public may see of the figures: no count under THRESHOLD, and nothing that adds or
subtracts to one.

A total under THRESHOLD is shown as "fewer than 5", and nothing is broken down from it. A
breakdown (by area, by kind of help) shows every group that reaches THRESHOLD in each of its
measures on its own, and the others together as one group ("other areas"), which must reach it
too (when it does not, the smallest group shown on its own joins it, until it does). So every
number shown is THRESHOLD or more, the groups add up to the total exactly, and nothing is held
back: there is no hidden cell for a subtraction to recover. The group of others never holds a
single key (a single key that reaches THRESHOLD is shown on its own).

Two breakdowns of the same total (areas, kinds of help) do not pin down their crossing either:
when each has two groups or more, every group reaching THRESHOLD, what an area group holds of a
kind-of-help group can only be narrowed to a range at least THRESHOLD wide (tests/
test_disclosure.py checks it, and that no count from 1 to 4 can be worked out, by enumerating
every table that could lie behind the figures of small networks).

Figures are published for whole calendar quarters only, each on its own: two overlapping periods
(this year and last quarter, a rolling twelve months) would give away their difference.
"""

THRESHOLD = 5


def shown(n: int) -> dict:
    """A count as the public sees it: {"count": n}, or {"fewer_than": THRESHOLD}."""
    return {"count": n} if n >= THRESHOLD else {"fewer_than": THRESHOLD}


def breakdown(cells: dict, measures: list[str]) -> tuple[list[str], list[dict]]:
    """The groups of ``cells`` ({key: {measure: count}}) the public may see.

    Returns (the measures broken down: those whose total reaches THRESHOLD, and the groups,
    each {"keys": [...], "other": bool, "counts": {measure: count}}; the groups on their own
    first, the largest in the first measure first, then the others together). No groups when
    the breakdown would say no more than the total (a single group)."""
    totals = {m: sum(c.get(m, 0) for c in cells.values()) for m in measures}
    broken = [m for m in measures if totals[m] >= THRESHOLD]
    if not broken:
        return [], []

    def sums(keys):
        return {m: sum(cells[k].get(m, 0) for k in keys) for m in broken}

    def enough(counts):
        return all(counts[m] >= THRESHOLD for m in broken)

    keys = sorted((k for k, c in cells.items() if any(c.get(m, 0) for m in broken)), key=str)
    alone = [k for k in keys if enough(sums([k]))]
    others = [k for k in keys if k not in alone]
    # The smallest first, to join the others if they fall short.
    alone.sort(key=lambda k: (min(sums([k]).values()), sum(sums([k]).values()), str(k)))
    while others and not enough(sums(others)):
        others.append(alone.pop(0))  # never empties: all keys together make the total
    alone.sort(key=lambda k: (-sums([k])[broken[0]], str(k)))  # the largest first
    groups = [{"keys": [k], "other": False, "counts": sums([k])} for k in alone]
    if others:
        groups.append({"keys": sorted(others, key=str), "other": True, "counts": sums(others)})
    if len(groups) < 2:
        return broken, []
    return broken, groups
