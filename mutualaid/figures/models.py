"""The daily figures: counts and waiting times per day (network time), area and kind of help,
derived from needs, claims, the timeline and feedback by services.figures_refresh, and
recomputable from scratch (figures_rebuild) at any time. Nothing here is a person's: a row is a
count.

A row's ``area`` and ``category`` hold an Area's or a Category's id, or EVERY (0) for the row
that counts every area or every kind of help: each day has a row for the whole network, one per
area, one per kind of help and one per area and kind, wherever anything happened, so that a
page reads a few hundred rows whichever filter it shows.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

EVERY = 0


class DailyFigure(models.Model):
    """What happened on one day in one area, for one kind of help. Each count is counted on the
    day its event happened: a need posted (``received``), taken on for the first time
    (``claimed``), closed as done (``fulfilled``), cancelled, expired, or declined as out of scope
    or merged into another (``declined``); an answer to "how did it go?" (``responses``: both
    sides; ``answers``: the requester's, of which ``got_needed`` said yes and ``partly`` partly;
    ``unsafe``: either side said something felt unsafe)."""

    day = models.DateField()
    area = models.PositiveIntegerField()
    category = models.PositiveIntegerField()
    received = models.PositiveIntegerField(default=0)
    claimed = models.PositiveIntegerField(default=0)
    fulfilled = models.PositiveIntegerField(default=0)
    cancelled = models.PositiveIntegerField(default=0)
    expired = models.PositiveIntegerField(default=0)
    declined = models.PositiveIntegerField(default=0)
    responses = models.PositiveIntegerField(default=0)
    answers = models.PositiveIntegerField(default=0)
    got_needed = models.PositiveIntegerField(default=0)
    partly = models.PositiveIntegerField(default=0)
    unsafe = models.PositiveIntegerField(default=0)

    COUNTS = (
        "received",
        "claimed",
        "fulfilled",
        "cancelled",
        "expired",
        "declined",
        "responses",
        "answers",
        "got_needed",
        "partly",
        "unsafe",
    )

    class Meta:
        constraints = [
            # Also the pages' index: WHERE category = ? AND area IN (...) AND day BETWEEN ? AND ?
            # (the areas side by side name every area, so each is one range of the index).
            models.UniqueConstraint(fields=["category", "area", "day"], name="daily_figure_unique"),
        ]

    def __str__(self):
        return f"{self.day} area {self.area} category {self.category}"


class Measure(models.TextChoices):
    FIRST_CLAIM = "claim", _("time to first claim")
    FULFILMENT = "done", _("time to fulfilment")


class DailyWait(models.Model):
    """How many needs waited how long, counted on the day the wait ended: from posting to the
    first time a volunteer took the need on (``claim``), or to the last time its volunteer marked
    it done, for a need then closed as done (``done``, counted on the day it closed). ``bucket``
    is the wait rounded to the unit it is shown in (see waits.py), so that a percentile read
    from the buckets is the true one, rounded."""

    day = models.DateField()
    area = models.PositiveIntegerField()
    category = models.PositiveIntegerField()
    measure = models.CharField(max_length=5, choices=Measure.choices)
    bucket = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            # Also the pages' index: WHERE measure = ? AND category = ? AND area IN (...) AND
            # day BETWEEN ? AND ? GROUP BY [area,] bucket
            models.UniqueConstraint(
                fields=["measure", "category", "area", "day", "bucket"],
                name="daily_wait_unique",
            ),
            models.CheckConstraint(
                condition=Q(measure__in=Measure.values), name="daily_wait_measure_valid"
            ),
        ]


class Refresh(models.Model):
    """When the daily figures were brought up to date (a single row). ``through``: the moment
    the last refresh began reading; the next one computes again every day from that moment's
    day (less a margin for writes still committing), so a day's figures are final once a refresh
    has begun after it ended."""

    through = models.DateTimeField(null=True, blank=True)
    rebuilt_at = models.DateTimeField(null=True, blank=True)
