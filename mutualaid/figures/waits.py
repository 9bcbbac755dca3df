"""Waiting times as the figures keep and show them: rounded to the minute under an hour, to the
hour under two days, to the day beyond.

A wait is kept as its *bucket*, the rounded value, so that a percentile read from a day's bucket
counts is exactly the true percentile, rounded: the buckets are in the waits' order, so the need
at a given rank falls in the bucket where the running count reaches that rank. Percentiles are by
nearest rank: the median of n waits is the ceil(n / 2)-th shortest, the 90th percentile the
ceil(0.9 n)-th, always a wait some need really had.
"""

from collections.abc import Mapping

from django.utils.translation import gettext, ngettext

MINUTE, HOUR, DAY = 60, 3600, 86400
# Buckets 0-59: minutes 0-59; 60-106: hours 1-47; 107 and up: days 2 to MAX_DAYS.
FIRST_HOUR = 60
FIRST_DAY = 107
MAX_DAYS = 400  # the last bucket holds every wait of this many days or more


def bucket(seconds: float) -> int:
    """The bucket of a wait of ``seconds`` (a negative wait, from clocks a little apart, is 0)."""
    s = max(0.0, seconds)
    if s < 59.5 * MINUTE:
        return int((s + MINUTE / 2) // MINUTE)
    if s < 47.5 * HOUR:
        return FIRST_HOUR - 1 + int((s + HOUR / 2) // HOUR)
    days = int((s + DAY / 2) // DAY)
    return FIRST_DAY - 2 + min(days, MAX_DAYS)


def value(bucket_: int) -> dict:
    """The rounded wait of a bucket, as plain data: {"value": 5, "unit": "hour"}."""
    if bucket_ < FIRST_HOUR:
        return {"value": bucket_, "unit": "minute"}
    if bucket_ < FIRST_DAY:
        return {"value": bucket_ - FIRST_HOUR + 1, "unit": "hour"}
    return {"value": bucket_ - FIRST_DAY + 2, "unit": "day"}


def seconds(bucket_: int) -> int:
    """The rounded wait of a bucket, in seconds (for a chart's scale)."""
    shown = value(bucket_)
    return shown["value"] * {"minute": MINUTE, "hour": HOUR, "day": DAY}[shown["unit"]]


def describe(shown: dict | None) -> str:
    """How a page shows a rounded wait ({"value": 5, "unit": "hour"}, see ``value``): "under a
    minute", "12 min", "5 h", "3 days"; a dash for None (no need behind it)."""
    if shown is None:
        return "—"
    n = shown["value"]
    if shown["unit"] == "minute":
        return gettext("under a minute") if n == 0 else gettext("%(n)d min") % {"n": n}
    if shown["unit"] == "hour":
        return gettext("%(n)d h") % {"n": n}
    if n >= MAX_DAYS:
        return gettext("%(n)d days or more") % {"n": n}
    return ngettext("%(n)d day", "%(n)d days", n) % {"n": n}


def count(histogram: Mapping[int, int]) -> int:
    return sum(histogram.values())


def percentile(histogram: Mapping[int, int], p: int) -> int | None:
    """The bucket of the ``p``-th percentile (nearest rank) of the waits counted in
    ``histogram`` ({bucket: count}), or None when it counts none."""
    n = count(histogram)
    if n == 0:
        return None
    rank = max(1, -(-p * n // 100))
    seen = 0
    for bucket_ in sorted(histogram):
        seen += histogram[bucket_]
        if seen >= rank:
            return bucket_
    raise AssertionError("unreachable: the running count reaches n")


def above(histogram: Mapping[int, int], bucket_: int) -> int:
    """How many of the waits are in a later bucket than ``bucket_`` (so surely longer than any
    wait in it)."""
    return sum(n for b, n in histogram.items() if b > bucket_)
