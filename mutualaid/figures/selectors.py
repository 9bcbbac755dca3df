"""The figures, read: for the organizers' dashboard (``dashboard``, and ``weekly`` for its weekly
counts alone), the areas side by side (``equity``), and the anonymous figures the public may see
(``public_quarters`` and ``public_figures``: for the public page and any other outlet, the API
included; nothing else here is fit for the public).

Every function returns plain data (dicts, lists, ints, floats, dates and None), the same whoever
asks: the caller checks who may see it (organizers: the VIEW_FIGURES capability; the public
figures: anyone). Each reads a fixed number of queries, whatever the size of the network: the
stored daily figures (models.py, kept by services.figures_refresh) and, for what is true only
now (the backlog, retention), the needs and claims themselves.

A wait is given as {"value": 5, "unit": "hour"} (rounded, see waits.py) or None when no need
is behind it; a rate as a float from 0 to 1, or None when nothing was counted.
"""

from datetime import date, timedelta

from django.db.models import Case, Count, Min, Q, Sum, Value, When
from django.utils import timezone

from mutualaid.aid.models import WAITING, Category, Claim, Need, NeedStatus
from mutualaid.aid.stale import stale_q
from mutualaid.areas.models import Area
from mutualaid.network.models import NetworkSettings

from . import disclosure, stats, waits
from .models import EVERY, DailyFigure, DailyWait, Measure, Refresh
from .services import day_start, network_day

PERIOD_WEEKS = (4, 13, 26, 52, 104)
DEFAULT_WEEKS = 13
RETENTION_DAYS = 30
# The open backlog's ages, in days: [from, to) and the last one open-ended.
AGE_BINS = ((0, 1), (1, 3), (3, 7), (7, 14), (14, 28), (28, None))
# Needs not yet taken on: waiting for triage, or for a volunteer.
BACKLOG = (NeedStatus.TRIAGE, *WAITING)
FLOW = ("received", "claimed", "fulfilled", "cancelled", "expired", "declined")
# Fewer needs than this behind an area's figure: too few to tell it from the network's.
FEWEST_TO_TELL = 5


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def period(weeks: int, *, now=None) -> tuple[date, date]:
    """The first and last day of the last ``weeks`` weeks (Monday to Sunday, network time), this
    week (so far) the last."""
    today = network_day(now or timezone.now())
    return week_start(today) - timedelta(weeks=weeks - 1), today


def _scope_q(area_ids, category_id) -> Q:
    q = Q(category=category_id or EVERY)
    return q & (Q(area__in=area_ids) if area_ids is not None else Q(area=EVERY))


def _need_scope_q(area_ids, category_id, prefix="") -> Q:
    q = Q()
    if area_ids is not None:
        q &= Q(**{f"{prefix}area_id__in": area_ids})
    if category_id:
        q &= Q(**{f"{prefix}category_id": category_id})
    return q


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _waits(histogram: dict) -> dict:
    median = waits.percentile(histogram, 50)
    p90 = waits.percentile(histogram, 90)
    return {
        "count": waits.count(histogram),
        "median": waits.value(median) if median is not None else None,
        "p90": waits.value(p90) if p90 is not None else None,
    }


def refreshed_at():
    """When the stored figures were last brought up to date (None: never)."""
    return Refresh.objects.filter(pk=1).values_list("through", flat=True).first()


def _stale_q(*, now, settings: NetworkSettings) -> Q:
    """A waiting need that has turned stale, as the dispatch queue says it (aid.stale)."""
    return Q(status__in=WAITING) & stale_q(now=now, settings=settings)


def backlog(*, area_ids=None, category_id=None, now=None, settings=None) -> dict:
    """The needs not yet taken on now (waiting for triage or for a volunteer; hidden ones left
    out, as in the dispatch queue), by how long ago they were posted, and how many of those
    waiting for a volunteer are stale. One query."""
    now = now or timezone.now()
    settings = settings or NetworkSettings.load()
    counts = {
        "total": Count("pk"),
        "waiting": Count("pk", filter=Q(status__in=WAITING)),
        "stale": Count("pk", filter=_stale_q(now=now, settings=settings)),
    }
    for i, (low, high) in enumerate(AGE_BINS):
        q = Q(created_at__lte=now - timedelta(days=low))
        if high is not None:
            q &= Q(created_at__gt=now - timedelta(days=high))
        counts[f"age{i}"] = Count("pk", filter=q)
    found = (
        Need.objects.filter(status__in=BACKLOG, hidden_at__isnull=True)
        .filter(_need_scope_q(area_ids, category_id))
        .aggregate(**counts)
    )
    return {
        "total": found["total"],
        "waiting": found["waiting"],
        "stale": found["stale"],
        "by_age": [
            {"from_days": low, "to_days": high, "count": found[f"age{i}"]}
            for i, (low, high) in enumerate(AGE_BINS)
        ],
    }


def retention(*, area_ids=None, category_id=None, now=None) -> dict:
    """Volunteers active in the last RETENTION_DAYS days (who held a need at some time in them:
    took it on then, or were still on it), those active in the RETENTION_DAYS before, how many of
    these came back in the last, and the new volunteers (active in the last, with no claim
    anywhere in the network before). Within the area and kind of help, if given. Two queries."""
    now = now or timezone.now()
    last_from = now - timedelta(days=RETENTION_DAYS)
    before_from = last_from - timedelta(days=RETENTION_DAYS)
    claims = (
        Claim.objects.filter(_need_scope_q(area_ids, category_id, "need__"))
        .filter(volunteer__isnull=False, created_at__lt=now)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=before_from))
    )
    held_lately = Q(ended_at__isnull=True) | Q(ended_at__gte=last_from)
    # Each claim's volunteer, whether it was held lately, whether in the days before: plain
    # numbers (no time to read back), from the claims of the last days alone (claim_check_in_idx).
    flags = claims.annotate(
        last=Case(When(held_lately, then=Value(1)), default=Value(0)),
        before=Case(When(created_at__lt=last_from, then=Value(1)), default=Value(0)),
    ).values_list("volunteer_id", "last", "before")
    last, before = set(), set()
    for volunteer, was_last, was_before in flags:
        if was_last:
            last.add(volunteer)
        if was_before:
            before.add(volunteer)
    stayed = len(last & before)
    returning = (
        Claim.objects.filter(
            created_at__lt=last_from,
            volunteer_id__in=claims.filter(held_lately).values("volunteer_id"),
        )
        .values("volunteer_id")
        .distinct()
        .count()
    )
    return {
        "days": RETENTION_DAYS,
        "active": len(last),
        "active_before": len(before),
        "stayed": stayed,
        "rate": _rate(stayed, len(before)),
        "new": len(last) - returning,
    }


def _weeks(by_day: dict, first: date, last: date) -> list[dict]:
    weeks = []
    monday = first
    while monday <= last:
        row = {"week": monday, **dict.fromkeys(FLOW, 0)}
        for offset in range(7):
            day_counts = by_day.get(monday + timedelta(days=offset))
            if day_counts:
                for field in FLOW:
                    row[field] += day_counts[field]
        weeks.append(row)
        monday += timedelta(weeks=1)
    return weeks


def _scope(area, category):
    area_ids = sorted(area.ids_within()) if area is not None else None
    return area_ids, (category.pk if category is not None else None)


def _counts(area_ids, category_id, first: date, last: date) -> tuple[dict, dict]:
    """The stored counts of the days from ``first`` to ``last``: by day, and their totals."""
    by_day = {}
    rows = DailyFigure.objects.filter(
        _scope_q(area_ids, category_id), day__gte=first, day__lte=last
    ).values("day", *DailyFigure.COUNTS)
    for row in rows:
        day = by_day.setdefault(row["day"], dict.fromkeys(DailyFigure.COUNTS, 0))
        for field in DailyFigure.COUNTS:
            day[field] += row[field]
    totals = dict.fromkeys(DailyFigure.COUNTS, 0)
    for day in by_day.values():
        for field in DailyFigure.COUNTS:
            totals[field] += day[field]
    return by_day, totals


def weekly(*, area=None, category=None, weeks=DEFAULT_WEEKS, now=None) -> dict:
    """Per week of the last ``weeks`` (its Monday, "week"), within ``area`` (and the areas inside
    it) and ``category`` if given: needs received, taken on for the first time (claimed),
    fulfilled, cancelled, expired and declined (out of scope, or merged); with the period. Two
    queries at most."""
    first, last = period(weeks, now=now)
    area_ids, category_id = _scope(area, category)
    by_day, _totals = _counts(area_ids, category_id, first, last)
    return {
        "period": {"weeks": weeks, "first": first, "last": last},
        "weeks": _weeks(by_day, first, last),
    }


def dashboard(*, area=None, category=None, weeks=DEFAULT_WEEKS, now=None) -> dict:
    """The organizers' figures for the last ``weeks`` weeks (this week so far the last), within
    ``area`` (an Area: it and the areas inside it) and ``category`` (a Category), if given.

    - "weeks": per week (its Monday, "week"), as ``weekly`` gives them;
    - "totals": the same and the feedback counts, over the period;
    - "first_claim", "fulfilment": the waits from posting to the first claim, and to the last
      "marked done" of needs closed as done, of the needs whose wait ended in the period: how
      many, the median and the 90th percentile;
    - "feedback": the requesters' answers (how many; got what they needed: yes, partly, as
      rates) and both sides' ("felt unsafe" rate);
    - "backlog", "retention": as now (see ``backlog`` and ``retention``);
    - "refreshed_at": when the stored figures were brought up to date.
    Eight queries at most (one more to find the areas inside ``area``)."""
    now = now or timezone.now()
    first, last = period(weeks, now=now)
    area_ids, category_id = _scope(area, category)
    by_day, totals = _counts(area_ids, category_id, first, last)
    histograms = {measure: {} for measure in Measure.values}
    for row in (
        DailyWait.objects.filter(_scope_q(area_ids, category_id), day__gte=first, day__lte=last)
        .values("measure", "bucket")
        .annotate(n=Sum("count"))
        .order_by()
    ):
        histograms[row["measure"]][row["bucket"]] = row["n"]
    return {
        "period": {"weeks": weeks, "first": first, "last": last},
        "weeks": _weeks(by_day, first, last),
        "totals": totals,
        "first_claim": _waits(histograms[Measure.FIRST_CLAIM]),
        "fulfilment": _waits(histograms[Measure.FULFILMENT]),
        "feedback": {
            "answers": totals["answers"],
            "got_needed": _rate(totals["got_needed"], totals["answers"]),
            "partly": _rate(totals["partly"], totals["answers"]),
            "responses": totals["responses"],
            "unsafe": _rate(totals["unsafe"], totals["responses"]),
        },
        "backlog": backlog(area_ids=area_ids, category_id=category_id, now=now),
        "retention": retention(area_ids=area_ids, category_id=category_id, now=now),
        "refreshed_at": refreshed_at(),
    }


def equity(*, category=None, weeks=DEFAULT_WEEKS, now=None) -> dict:
    """Each area against the whole network over the last ``weeks`` weeks (of ``category``, if
    given): the share of its needs that ended (fulfilled, cancelled or expired; not those declined
    or merged) that were fulfilled, and the median wait to the first claim, each with the number
    of needs behind it.

    An area is flagged as served worse when chance alone would rarely make it look this bad
    (exact one-sided binomial tests at stats.ALPHA, and FEWEST_TO_TELL needs at least): for the
    rate, so few fulfilled of its ended needs were the network's rate its own; for the wait, so
    many of its needs waiting longer than the network's median (rounded, so surely longer), which
    half of them would under the same waits. Three queries."""
    now = now or timezone.now()
    first, last = period(weeks, now=now)
    category_id = category.pk if category is not None else EVERY
    names = dict(Area.objects.values_list("pk", "name"))
    # Every area named, so that each is one range of the index (see models.py).
    scope = Q(category=category_id, area__in=[EVERY, *names], day__gte=first, day__lte=last)
    counts = {
        row["area"]: row
        for row in DailyFigure.objects.filter(scope)
        .values("area")
        .annotate(fulfilled=Sum("fulfilled"), cancelled=Sum("cancelled"), expired=Sum("expired"))
        .order_by()
    }
    histograms = {}
    for row in (
        DailyWait.objects.filter(scope, measure=Measure.FIRST_CLAIM)
        .values("area", "bucket")
        .annotate(n=Sum("count"))
        .order_by()
    ):
        histograms.setdefault(row["area"], {})[row["bucket"]] = row["n"]

    def ended(row):
        return row["fulfilled"] + row["cancelled"] + row["expired"] if row else 0

    whole = counts.get(EVERY)
    network_ended = ended(whole)
    network_rate = _rate(whole["fulfilled"], network_ended) if whole else None
    network_waits = histograms.get(EVERY, {})
    network_median = waits.percentile(network_waits, 50)
    areas = []
    for pk in (set(counts) | set(histograms)) - {EVERY}:
        row, histogram = counts.get(pk), histograms.get(pk, {})
        n_ended, fulfilled = ended(row), row["fulfilled"] if row else 0
        n_claims = waits.count(histogram)
        median = waits.percentile(histogram, 50)
        longer = waits.above(histogram, network_median) if network_median is not None else 0
        rate_p = (
            stats.at_most(fulfilled, n_ended, network_rate)
            if network_rate is not None and n_ended >= FEWEST_TO_TELL
            else None
        )
        wait_p = stats.at_least(longer, n_claims, 0.5) if n_claims >= FEWEST_TO_TELL else None
        areas.append(
            {
                "area_id": pk,
                "name": names.get(pk, "?"),
                "ended": n_ended,
                "fulfilled": fulfilled,
                "rate": _rate(fulfilled, n_ended),
                "rate_worse": rate_p is not None and rate_p < stats.ALPHA,
                "rate_p": rate_p,
                "claims": n_claims,
                "median": waits.value(median) if median is not None else None,
                "longer": longer,
                "wait_worse": wait_p is not None and wait_p < stats.ALPHA,
                "wait_p": wait_p,
            }
        )
    areas.sort(key=lambda a: (not (a["rate_worse"] or a["wait_worse"]), a["name"].lower()))
    return {
        "period": {"weeks": weeks, "first": first, "last": last},
        "network": {
            "ended": network_ended,
            "fulfilled": whole["fulfilled"] if whole else 0,
            "rate": network_rate,
            "claims": waits.count(network_waits),
            "median": waits.value(network_median) if network_median is not None else None,
        },
        "areas": areas,
        "alpha": stats.ALPHA,
        "fewest": FEWEST_TO_TELL,
    }


# The public figures ------------------------------------------------------------------------


def quarter_days(year: int, quarter: int) -> tuple[date, date]:
    first = date(year, 3 * quarter - 2, 1)
    after = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return first, after - timedelta(days=1)


def _quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def public_quarters(*, now=None) -> list[tuple[int, int]]:
    """The whole calendar quarters (year, quarter) there are public figures for, newest first:
    from the first day anything was counted to the last quarter that has ended. One query."""
    today = network_day(now or timezone.now())
    started = DailyFigure.objects.filter(area=EVERY, category=EVERY).aggregate(first=Min("day"))
    if started["first"] is None:
        return []
    year, quarter = _quarter_of(started["first"])
    current = _quarter_of(today)
    found = []
    while (year, quarter) < current:
        found.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return found[::-1]


def public_figures(*, quarter: tuple[int, int] | None = None, now=None) -> dict | None:
    """The anonymous figures anyone may see, for one whole calendar quarter (the last one that
    has ended, if not given): None when there is none yet, or ``quarter`` is not one of
    ``public_quarters``.

    {"period": {"year", "quarter", "first", "last"}, "received", "fulfilled", "volunteers"
    (each {"count": n} or {"fewer_than": 5}), "first_claim_median" (a wait, or None under 5 needs),
    "by_area" and "by_category": {"measures": [...], "groups": [{"name": str or None for the
    others together, "other": bool, "counts": {measure: n}}]}}. No count under 5 is given and no
    figure can be worked out from the others (see disclosure.py). Six queries."""
    quarters = public_quarters(now=now)
    if not quarters or (quarter is not None and quarter not in quarters):
        return None
    year, q = quarter or quarters[0]
    first, last = quarter_days(year, q)
    rows = (
        DailyFigure.objects.filter(day__gte=first, day__lte=last)
        .filter(Q(area=EVERY) | Q(category=EVERY))
        .values("area", "category")
        .annotate(received=Sum("received"), fulfilled=Sum("fulfilled"))
        .order_by()
    )
    total, by_area, by_category = {"received": 0, "fulfilled": 0}, {}, {}
    for row in rows:
        counts = {"received": row["received"], "fulfilled": row["fulfilled"]}
        if row["area"] == EVERY and row["category"] == EVERY:
            total = counts
        elif row["category"] == EVERY:
            by_area[row["area"]] = counts
        else:
            by_category[row["category"]] = counts
    claim_waits = dict(
        DailyWait.objects.filter(
            measure=Measure.FIRST_CLAIM,
            area=EVERY,
            category=EVERY,
            day__gte=first,
            day__lte=last,
        )
        .values("bucket")
        .annotate(n=Sum("count"))
        .values_list("bucket", "n")
        .order_by()
    )
    median = (
        waits.percentile(claim_waits, 50)
        if waits.count(claim_waits) >= disclosure.THRESHOLD
        else None
    )
    start, end = day_start(first), day_start(last + timedelta(days=1))
    volunteers = (
        Claim.objects.filter(volunteer__isnull=False, created_at__lt=end)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=start))
        .aggregate(n=Count("volunteer", distinct=True))["n"]
    )
    measures = ["received", "fulfilled"]
    area_names = dict(Area.objects.filter(pk__in=list(by_area)).values_list("pk", "name"))
    category_names = dict(
        Category.objects.filter(pk__in=list(by_category)).values_list("pk", "name")
    )

    def public(cells, names):
        broken, groups = disclosure.breakdown(cells, measures)
        return {
            "measures": broken,
            "groups": [
                {
                    "name": None if g["other"] else names.get(g["keys"][0], "?"),
                    "other": g["other"],
                    "counts": g["counts"],
                }
                for g in groups
            ],
        }

    return {
        "period": {"year": year, "quarter": q, "first": first, "last": last},
        "received": disclosure.shown(total["received"]),
        "fulfilled": disclosure.shown(total["fulfilled"]),
        "volunteers": disclosure.shown(volunteers),
        "first_claim_median": waits.value(median) if median is not None else None,
        "by_area": public(by_area, area_names),
        "by_category": public(by_category, category_names),
    }
