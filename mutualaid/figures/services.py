"""Bringing the daily figures up to date: computed from the needs, their claims, the timeline and
feedback, and written per day, area and kind of help (models.py).

What counts, and on which day (network time):
- received: a need posted, on its posting day (a need posted again after it expired or was
  cancelled is a new need, and counts again; so does each time a repeating need comes back);
- claimed: a need taken on by a volunteer for the first time (claimed, or a match accepted), with
  its wait from posting (later claims, after a release or a reopening, do not count again);
- fulfilled, cancelled, expired, declined (turned down as out of scope, or merged): a need that
  ended so, on the day it ended (an ended need never moves again); a fulfilled need also counts
  its wait from posting to the last time its volunteer marked it done;
- the answers to "how did it go?", on the day they were given.

A need counts in the area and kind of help it has when the figures are computed.

``figures_refresh`` computes again every day since the last refresh began (so today's, and
yesterday's after midnight), from the needs that changed since: a past day's figures do not
change, as every event it counts stays where it happened. ``figures_rebuild`` computes every day
from scratch, and writes them CHUNK_DAYS at a time, each in a short transaction of its own (a
day's figures are replaced whole, so a page reads old or new figures, each true, never a mix).
"""

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.db.models import Max, Min, Q
from django.utils import timezone

from mutualaid.aid.models import Claim, EventKind, Need, NeedStatus, TimelineEvent
from mutualaid.safety.models import Feedback, Outcome, Side

from . import waits
from .models import EVERY, DailyFigure, DailyWait, Measure, Refresh

# A write still committing when a refresh begins carries a time a little before it: the next
# refresh computes again from this much earlier.
MARGIN = timedelta(minutes=10)
ENDINGS = {
    NeedStatus.CLOSED: "fulfilled",
    NeedStatus.CANCELLED: "cancelled",
    NeedStatus.EXPIRED: "expired",
    NeedStatus.DECLINED: "declined",
    NeedStatus.DUPLICATE: "declined",
}
BATCH = 2000
CHUNK_DAYS = 61


def network_day(moment: datetime) -> date:
    """The day of ``moment`` in the network's time zone."""
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def day_start(day: date) -> datetime:
    """The first moment of ``day`` in the network's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


class Events:
    """What happened on the days being computed, one row per event: ``counts`` (day, area,
    category, field) and ``waits`` (day, area, category, measure, bucket)."""

    def __init__(self, first_day: date | None):
        self.first_day = first_day
        self.zone = timezone.get_default_timezone()
        self.counts: list[tuple] = []
        self.waits: list[tuple] = []
        self._sorted = False

    def wanted(self, moment) -> date | None:
        day = moment.astimezone(self.zone).date()  # network_day, without its checks (faster)
        return day if self.first_day is None or day >= self.first_day else None

    def count(self, moment, area, category, field) -> None:
        day = self.wanted(moment)
        if day is not None:
            self.counts.append((day, area, category, field))

    def wait(self, moment, area, category, measure, waited: timedelta) -> None:
        day = self.wanted(moment)
        if day is not None:
            self.waits.append((day, area, category, measure, waits.bucket(waited.total_seconds())))

    def days(self) -> list[date]:
        return sorted({row[0] for row in self.counts} | {row[0] for row in self.waits})

    def between(self, first: date | None, last: date | None):
        """The (counts, waits) rows of the days from ``first`` to ``last`` (open-ended None)."""
        if not self._sorted:
            self.counts.sort(key=_day_of)
            self.waits.sort(key=_day_of)
            self._sorted = True
        found = []
        for rows in (self.counts, self.waits):
            low = 0 if first is None else bisect_left(rows, first, key=_day_of)
            high = len(rows) if last is None else bisect_right(rows, last, key=_day_of)
            found.append(rows[low:high])
        return found


def _day_of(row) -> date:
    return row[0]


def _levels(area, category):
    """The rows an event counts in: its area and kind, its area, its kind, the whole network."""
    return ((area, category), (area, EVERY), (EVERY, category), (EVERY, EVERY))


def aggregate(events: Events, first: date | None = None, last: date | None = None):
    """The rows of the days from ``first`` to ``last`` (every day, if not given): {(area,
    category, day): {field: n}} and {(measure, category, area, day, bucket): n}."""
    count_rows, wait_rows = events.between(first, last)
    counts = defaultdict(Counter)
    for day, area, category, field in count_rows:
        for a, c in _levels(area, category):
            counts[a, c, day][field] += 1
    waits_ = Counter()
    for day, area, category, measure, b in wait_rows:
        for a, c in _levels(area, category):
            waits_[measure, c, a, day, b] += 1
    return counts, waits_


def collect(since: datetime | None) -> Events:
    """Every event of the days from ``since``'s day on (every day, if None)."""
    first_day = network_day(since) if since is not None else None
    result = Events(first_day)
    needs = Need.objects.all()
    if first_day is not None:
        # Every event of these days changed its need's status then, or posted it (which sets
        # status_changed_at too), and an ended need's status never changes again: these needs
        # hold all the days' events. By need_clock_idx, one range per status.
        needs = needs.filter(
            status__in=NeedStatus.values, status_changed_at__gte=day_start(first_day)
        )
    rows = needs.values_list(
        "pk", "area_id", "category_id", "status", "created_at", "status_changed_at"
    )
    claims = Claim.objects.values("need_id").annotate(first=Min("created_at")).order_by()
    marks = (
        TimelineEvent.objects.filter(kind=EventKind.NEED_FULFILLED, need__status=NeedStatus.CLOSED)
        .values("need_id")
        .annotate(last=Max("created_at"))
        .order_by()
    )
    if first_day is not None:
        claims = claims.filter(need__in=needs.values("pk"))
        marks = marks.filter(need__in=needs.values("pk"))
    first_claim = dict(claims.values_list("need_id", "first"))
    marked_done = dict(marks.values_list("need_id", "last"))
    for pk, area, category, status, created, changed in rows.iterator(chunk_size=5000):
        result.count(created, area, category, "received")
        claimed = first_claim.get(pk)
        if claimed is not None:
            result.count(claimed, area, category, "claimed")
            result.wait(claimed, area, category, Measure.FIRST_CLAIM, claimed - created)
        ending = ENDINGS.get(status)
        if ending is not None:
            result.count(changed, area, category, ending)
            if status == NeedStatus.CLOSED:
                done = marked_done.get(pk, changed)
                result.wait(changed, area, category, Measure.FULFILMENT, done - created)
    feedback = Feedback.objects.all()
    if first_day is not None:
        feedback = feedback.filter(created_at__gte=day_start(first_day))
    for area, category, side, outcome, unsafe, created in feedback.values_list(
        "need__area_id", "need__category_id", "side", "outcome", "unsafe", "created_at"
    ):
        result.count(created, area, category, "responses")
        if unsafe:
            result.count(created, area, category, "unsafe")
        if side == Side.REQUESTER:
            result.count(created, area, category, "answers")
            if outcome == Outcome.YES:
                result.count(created, area, category, "got_needed")
            elif outcome == Outcome.PARTLY:
                result.count(created, area, category, "partly")
    return result


def _insert(model, columns: list[str], rows: list[tuple]) -> None:
    """Plain INSERTs of many rows, in the order given (the unique index's: each page of the
    index is written once)."""
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (names from the model)
        quote(model._meta.db_table),
        ", ".join(quote(model._meta.get_field(c).column) for c in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


def _replace(events: Events, first: date | None, last: date | None) -> None:
    """Replace the stored rows of the days from ``first`` to ``last`` (open-ended when None)
    with the events' (inside the caller's transaction)."""
    counts, waits_ = aggregate(events, first, last)
    days = {}
    if first is not None:
        days["day__gte"] = first
    if last is not None:
        days["day__lte"] = last
    DailyFigure.objects.filter(**days).delete()
    DailyWait.objects.filter(**days).delete()
    fields = DailyFigure.COUNTS
    _insert(
        DailyFigure,
        ["area", "category", "day", *fields],
        [
            (a, c, day, *(found.get(f, 0) for f in fields))
            for (a, c, day), found in sorted(
                counts.items(), key=lambda item: (item[0][1], item[0][0], item[0][2])
            )
        ],
    )
    _insert(
        DailyWait,
        ["measure", "category", "area", "day", "bucket", "count"],
        [(*key, n) for key, n in sorted(waits_.items())],
    )


def _locked_state() -> Refresh:
    """The refresh row, locked until the transaction ends: refreshes write one at a time."""
    state, _created = Refresh.objects.select_for_update().get_or_create(pk=1)
    return state


def figures_refresh(*, now=None) -> date | None:
    """Compute again every day since the last refresh began (less MARGIN); every day there is,
    the first time (``figures_rebuild``). Returns the first day computed. Safe to run at any
    time, and beside another: one that began before the last refresh written writes nothing."""
    began = now or timezone.now()
    through = Refresh.objects.filter(pk=1).values_list("through", flat=True).first()
    if through is None:
        return figures_rebuild(now=began)
    events = collect(min(through, began) - MARGIN)
    with transaction.atomic():
        state = _locked_state()
        if state.through is not None and state.through > began:
            return events.first_day  # a refresh that began later has written already: fresher
        _replace(events, events.first_day, None)
        state.through = began
        state.save(update_fields=["through"])
    return events.first_day


def figures_rebuild(*, now=None) -> date | None:
    """Compute every day from scratch, and write them CHUNK_DAYS at a time. Returns the first
    day there is (None: nothing happened yet)."""
    began = now or timezone.now()
    events = collect(None)
    days = events.days()
    first = days[0] if days else None
    chunk = first
    while chunk is not None and chunk <= days[-1]:
        end = chunk + timedelta(days=CHUNK_DAYS - 1)
        with transaction.atomic():
            _locked_state()
            _replace(events, chunk, end)
        chunk = end + timedelta(days=1)
    with transaction.atomic():
        state = _locked_state()
        # Whatever lies outside the days there are now (nothing, unless needs were removed).
        outside = Q(day__lt=first) | Q(day__gt=days[-1]) if days else Q()
        DailyFigure.objects.filter(outside).delete()
        DailyWait.objects.filter(outside).delete()
        state.through = state.rebuilt_at = began
        state.save()
    return first
