"""Reads for the organizers' queues: every need waiting, in the order to take them on; which of
them went stale; claims with no sign of life; and the counts the Organize home shows each role.

Thresholds are SQL expressions (one condition per urgency, against "now minus so many hours"), so
counting and filtering stay in the database: a page costs the same few queries at ten needs as at
ten thousand.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone

from mutualaid.accounts.models import Member, Notice
from mutualaid.accounts.policy import Capability
from mutualaid.aid.models import (
    CHECK_IN,
    WAITING,
    Claim,
    Need,
    NeedStatus,
    Proposal,
    Visibility,
)
from mutualaid.aid.stale import stale_case, stale_q
from mutualaid.network.models import NetworkSettings
from mutualaid.safety.models import Report, ReportStatus
from mutualaid.trust.selectors import newcomers_waiting

from .contact import contact_messages_waiting
from .selectors import replies_waiting

PAGE_SIZE = 50
# Sealed columns these lists never show: left unread, so no private text is even decrypted.
NEED_SEALED = Need.SEALED
MEMBER_SEALED = Member.SEALED
# A proposal whose volunteer has this long left to answer is "expiring": worth a nudge or another
# volunteer before it lapses.
EXPIRING_WITHIN = timedelta(hours=6)


# The queue's head counts every waiting need (its urgency and age, for "stale") on every request:
# WHERE status IN ('open', 'proposed') AND hidden_at IS NULL [AND created_at < CASE urgency ...]
# ORDER BY queue_at. This index covers it, so the count never reads the table's rows (5x faster on
# SQLite at 10,000 waiting needs). Made by migration 0002 and again after every migrate, as
# SQLite drops it when a later migration remakes aid_need (see keep_indexes in apps.py).
def stalled_q(*, now) -> Q:
    """A live claim whose volunteer showed no sign of life for the first check-in time of its
    need's urgency (aid.models.CHECK_IN)."""
    q = Q(pk__in=[])
    for urgency, (first, _second) in CHECK_IN.items():
        q |= Q(need__urgency=urgency, progress_at__lt=now - first)
    return q


def _expiring_need_ids(now):
    """The needs whose live proposal's deadline is within EXPIRING_WITHIN (proposal_clock_idx)."""
    return Proposal.objects.filter(
        answered_at__isnull=True, deadline__lte=now + EXPIRING_WITHIN
    ).values("need_id")


def waiting_needs() -> QuerySet[Need]:
    """Every need waiting for someone to take it on, organizers-only included, hidden excluded
    (a safety officer's call; they are back here once shown again)."""
    return Need.objects.filter(status__in=WAITING, hidden_at__isnull=True)


@dataclass(frozen=True)
class QueueFilters:
    area: object = None
    category: object = None
    urgency: str = ""
    priority: str = ""
    visibility: str = ""
    stale: bool = False
    expiring: bool = False


def filters_q(filters: QueueFilters, *, now, settings: NetworkSettings) -> Q:
    """The filters, as one condition (for the list and for its count in the head's query)."""
    q = Q()
    if filters.area is not None:  # the area and the areas inside it
        q &= Q(area=filters.area) | Q(area__parent=filters.area)
    if filters.category is not None:
        q &= Q(category=filters.category)
    for field in ("urgency", "priority", "visibility"):
        if getattr(filters, field):
            q &= Q(**{field: getattr(filters, field)})
    if filters.stale:
        q &= stale_q(now=now, settings=settings)
    if filters.expiring:
        q &= Q(pk__in=_expiring_need_ids(now))
    return q


def dispatch_queue(*, filters: QueueFilters = QueueFilters(), now=None, settings=None):
    """The dispatch queue: waiting needs by ``queue_at`` (urgency and priority move a need
    earlier; age moves every need up, so nothing starves), then pk. Each need carries ``is_stale``
    and, when proposed, ``live`` (a one-item list: its live proposal and volunteer)."""
    now = now or timezone.now()
    settings = settings or NetworkSettings.load()
    return (
        waiting_needs()
        .filter(filters_q(filters, now=now, settings=settings))
        .select_related("category", "area")
        .defer(*NEED_SEALED)
        .annotate(is_stale=stale_case(now=now, settings=settings))
        .prefetch_related(
            Prefetch(
                "proposals",
                queryset=Proposal.objects.filter(answered_at__isnull=True)
                .select_related("volunteer")
                .defer(*[f"volunteer__{name}" for name in MEMBER_SEALED]),
                to_attr="live",
            )
        )
        .order_by("queue_at", "pk")
    )


def queue_page(needs: QuerySet[Need], number, *, count: int | None = None) -> Page:
    """One page of ``needs`` (the dispatch queue, in its order): the page's keys first, sorting
    narrow rows, then those needs' rows. Three queries whatever the size (the keys, the rows and
    their live proposals), and a fourth for the count unless ``count`` (from queue_counts)."""
    paginator = Paginator(needs.values_list("pk", flat=True), PAGE_SIZE)
    if count is not None:
        paginator.count = count  # a cached property: counted already
    page = paginator.get_page(number)
    keys = list(page.object_list)
    rows = {need.pk: need for need in needs.filter(pk__in=keys).order_by()} if keys else {}
    page.object_list = [rows[key] for key in keys if key in rows]
    return page


def stalled_claims(*, now=None) -> QuerySet[Claim]:
    """Live claims with no progress past the first check-in time, the longest silent first."""
    now = now or timezone.now()
    return (
        Claim.objects.filter(
            ended_at__isnull=True, need__status=NeedStatus.CLAIMED, need__hidden_at__isnull=True
        )
        .filter(stalled_q(now=now))
        .select_related("need__category", "need__area", "volunteer")
        .defer(
            *[f"need__{name}" for name in NEED_SEALED],
            *[f"volunteer__{name}" for name in MEMBER_SEALED],
        )
        .order_by("progress_at", "pk")
    )


def _relay_waiting():
    """Unread notices of the neighbors organizers speak for (no account of their own yet): a
    message, a match, a question, waiting to be passed on by phone (the relay page shows them)."""
    return Notice.objects.filter(
        read_at__isnull=True,
        member__proxy__isnull=False,
        member__proxy__taken_over_at__isnull=True,
        member__is_active=True,
    )


def organize_counts(member, *, now=None) -> dict[str, int]:
    """What waits for ``member``, by what their roles may act on: a dict of counts, made in at
    most seven queries (one over needs, one each for claims, relayed notices, callers' replies,
    messages from neighbors, reports and members)."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    need_counts = {}
    if member.can(Capability.TRIAGE):
        need_counts["triage"] = Count(
            "pk", filter=Q(status=NeedStatus.TRIAGE, hidden_at__isnull=True)
        )
    if member.can(Capability.MATCH):
        settings = NetworkSettings.load()
        waiting = Q(status__in=WAITING, hidden_at__isnull=True)
        need_counts["waiting"] = Count("pk", filter=waiting)
        need_counts["stale"] = Count("pk", filter=waiting & stale_q(now=now, settings=settings))
        need_counts["unassigned"] = Count(
            "pk",
            filter=Q(
                status=NeedStatus.OPEN, visibility=Visibility.ORGANIZERS, hidden_at__isnull=True
            ),
        )
        need_counts["expiring"] = Count("pk", filter=waiting & Q(pk__in=_expiring_need_ids(now)))
    if need_counts:
        counts.update(
            Need.objects.filter(status__in=[*WAITING, NeedStatus.TRIAGE]).aggregate(**need_counts)
        )
    if member.can(Capability.MATCH):
        counts["stalled"] = stalled_claims(now=now).count()
    if member.can(Capability.INTAKE):
        counts["relay"] = _relay_waiting().count()
        counts["replies"] = replies_waiting().count()
        counts["contact"] = contact_messages_waiting().count()
    if member.can(Capability.HANDLE_REPORTS):
        counts["reports"] = Report.objects.filter(status=ReportStatus.OPEN).count()
    if member.can(Capability.APPROVE):
        counts["newcomers"] = newcomers_waiting().count()
    return counts


def queue_counts(*, filters: QueueFilters = QueueFilters(), now=None, settings=None):
    """The dispatch queue's head: waiting, stale, expiring proposals and ``shown`` (those the
    filters keep) in one pass over the waiting needs, and stalled claims in one more query."""
    now = now or timezone.now()
    settings = settings or NetworkSettings.load()
    counts = waiting_needs().aggregate(
        waiting=Count("pk"),
        shown=Count("pk", filter=filters_q(filters, now=now, settings=settings)),
        stale=Count("pk", filter=stale_q(now=now, settings=settings)),
        expiring=Count("pk", filter=Q(pk__in=_expiring_need_ids(now))),
    )
    counts["stalled"] = stalled_claims(now=now).count()
    return counts
