"""The match engine: who fits a need best, and which needs fit a volunteer best.

Eligibility is the claim service's own door (aid.selectors.volunteer_pool reads the predicates of
volunteers_eligible_for: vouched and active, not the requester, no block either way, under their
claim limit, available today, as the claim service checks on the day it is asked), so a suggested
volunteer is one the organizer's click can propose to. Among the eligible, the score ranks by what
a dispatcher weighs (WEIGHTS), each term shown as a short reason; the day the need is for
(``needed_by``), when they named their days, is one of those terms. Places are areas and hops over
the neighbor graph, never coordinates.
"""

from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import get_language_info, ngettext
from django.utils.translation import gettext as _

from mutualaid.accounts.models import Block
from mutualaid.aid import selectors
from mutualaid.aid.models import (
    Category,
    Need,
    NeedStatus,
    OfferKind,
    Visibility,
)
from mutualaid.areas.models import Area
from mutualaid.lib.dates import WEEKDAYS_PLURAL
from mutualaid.lib.fragments import cached
from mutualaid.network.models import NetworkSettings

# The score's weights, in one place. A suggestion's score is the sum of the terms that apply:
WEIGHTS = {
    # Area distance over the neighbor graph (the volunteer's home area, or an area their offer
    # covers): the need's own area (or one inside it), a bordering one; farther adds nothing.
    "same_area": 30,
    "next_area": 15,
    # Category fit: an open offer of theirs covers the need's kind of help; an ongoing offer
    # (they help with it week after week) adds a little more; and a need of that kind they saw
    # through to the end before (a skill shown, not claimed).
    "offers_it": 25,
    "ongoing": 5,
    "helped_before": 10,
    # Free on the day it is needed (needed_by's weekday, or today): they named that day, or
    # named no days at all (any day; only a named day is said as a reason).
    "free_that_day": 10,
    # Room against their limit: the full weight with nothing held, none at the limit.
    "room": 10,
    # A language they share with the requester.
    "language": 15,
    # Fairness: the full weight for nobody asked this week, less a third per proposal to them in
    # the last 7 days, none from the third on, so the same few are not asked every time.
    "fairness": 24,
}
FAIRNESS_DAYS = 7
FAIRNESS_STEPS = 3


class Suggestion(NamedTuple):
    """One volunteer for one need (with their offer that covers it, if any), or one need for
    one volunteer: the score and its reasons, as short strings a person reads."""

    member: selectors.PoolMember
    need_id: int
    offer: selectors.OpenOffer | None
    score: float
    reasons: list


def area_rings() -> dict[int, tuple[frozenset, frozenset]]:
    """For every area: the areas within it (itself and those inside it) and those within one hop
    (Area.ids_within and Area.with_neighbor_ids, for all areas in two queries), kept in the cache
    until the areas or their neighbors change (then one query for their versions)."""
    return cached("area-rings", ("areas_area", "areas_area_neighbors"), _read_rings)


def _read_rings() -> dict[int, tuple[frozenset, frozenset]]:
    parent = dict(Area.objects.values_list("pk", "parent_id"))
    within = {pk: {pk} for pk in parent}
    near = {pk: {pk} for pk in parent}
    for pk, up in parent.items():
        if up is not None:
            within[up].add(pk)
            near[up].add(pk)
            near[pk].add(up)
    for a, b in Area.neighbors.through.objects.values_list("from_area_id", "to_area_id"):
        near[a].add(b)
        near[b].add(a)
    return {pk: (frozenset(within[pk]), frozenset(near[pk])) for pk in parent}


def today() -> int:
    """Today's weekday where the network is: the day the claim service checks availability on."""
    return timezone.localtime(timezone.now(), timezone.get_default_timezone()).weekday()


def needed_weekday(needed_by, weekday_today: int | None = None) -> int:
    """The weekday a need is for: its date's, or today's (``weekday_today`` when known)."""
    if needed_by:
        return needed_by.weekday()
    return today() if weekday_today is None else weekday_today


def language_name(code: str) -> str:
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return dict(settings.SPOKEN_LANGUAGES).get(code, code)


class Context(NamedTuple):
    """What the engine reads once for a whole run, whatever the number of rows."""

    rings: dict
    offers: dict  # offerer id -> their open offers for the categories in play
    helped: dict  # (volunteer id, category id) -> needs done
    asked: dict  # volunteer id -> proposals in the last FAIRNESS_DAYS days
    categories: dict  # category id -> name


def load_context(category_ids, volunteer_ids=None, rings=None, names=None) -> Context:
    """Offers, past help and last week's asks of ``volunteer_ids`` (or everyone); ``names``: the
    categories' names, when known."""
    offers = {}
    for offer in selectors.open_offers(category_ids, offerer_ids=volunteer_ids):
        offers.setdefault(offer.offerer_id, []).append(offer)
    since = timezone.now() - timedelta(days=FAIRNESS_DAYS)
    return Context(
        rings=area_rings() if rings is None else rings,
        offers=offers,
        helped=selectors.helped_counts(category_ids, volunteer_ids=volunteer_ids),
        asked=selectors.asked_counts(since=since, volunteer_ids=volunteer_ids),
        categories=names
        or dict(Category.objects.filter(pk__in=list(category_ids)).values_list("pk", "name")),
    )


class NeedFacts(NamedTuple):
    """A need as the engine reads it."""

    pk: int
    area_id: int
    category_id: int
    requester_id: int | None
    languages: tuple
    weekday: int


def best_offer(member_id, need: NeedFacts, ctx: Context):
    """Their open offer covering the need's kind of help: an ongoing one first, then one that
    covers the need's area or the next ones."""
    near = ctx.rings.get(need.area_id, ((), frozenset()))[1]
    best, best_rank = None, None
    for offer in ctx.offers.get(member_id, ()):
        if need.category_id in offer.category_ids:
            rank = (offer.kind == OfferKind.ONGOING, bool(offer.area_ids & near))
            if best is None or rank > best_rank:
                best, best_rank = offer, rank
    return best


def hops(member, offer, need: NeedFacts, ctx: Context) -> int:
    """0: their home area (or their offer's) is the need's or inside it; 1: next to it;
    2: farther."""
    within, near = ctx.rings.get(need.area_id, (frozenset(), frozenset()))
    areas = offer.area_ids if offer is not None else frozenset()
    if member.home_area_id in within or areas & within:
        return 0
    if member.home_area_id in near or areas & near:
        return 1
    return 2


def shared_language(member, need: NeedFacts):
    for code in member.languages:
        if code in need.languages:
            return code
    return None


def free_that_day(member, offer, need: NeedFacts) -> bool | None:
    """True: they named the needed day; None: they named no days (any day); False: not it."""
    days = member.available_days or (offer.available_days if offer is not None else ())
    if not days:
        return None
    return need.weekday in days


def points(member, need: NeedFacts, ctx: Context, offer) -> float:
    """The score of ``member`` for ``need`` (see WEIGHTS), as one number."""
    total = (WEIGHTS["same_area"], WEIGHTS["next_area"], 0)[hops(member, offer, need, ctx)]
    if offer is not None:
        total += WEIGHTS["offers_it"]
        if offer.kind == OfferKind.ONGOING:
            total += WEIGHTS["ongoing"]
    if ctx.helped.get((member.pk, need.category_id)):
        total += WEIGHTS["helped_before"]
    if free_that_day(member, offer, need) is not False:
        total += WEIGHTS["free_that_day"]
    if shared_language(member, need):
        total += WEIGHTS["language"]
    total += WEIGHTS["room"] * (member.limit - member.held) / member.limit
    asked = ctx.asked.get(member.pk, 0)
    total += WEIGHTS["fairness"] * max(FAIRNESS_STEPS - asked, 0) / FAIRNESS_STEPS
    return total


def reasons(member, need: NeedFacts, ctx: Context, offer, *, for_volunteer=False) -> list[str]:
    """The terms of ``points`` that apply, as short strings a person reads.

    ``for_volunteer``: the volunteer reads them about themself ("needs that fit you"), so their
    own load and how often they were asked, the same on every row, are not said.
    """
    said = []
    distance = hops(member, offer, need, ctx)
    if distance == 0:
        said.append(_("same area"))
    elif distance == 1:
        said.append(_("next area"))
    category = ctx.categories.get(need.category_id, "").lower()
    if offer is not None:
        said.append(_("offers %(category)s") % {"category": category})
    if ctx.helped.get((member.pk, need.category_id)):
        said.append(_("has helped with %(category)s before") % {"category": category})
    if free_that_day(member, offer, need):
        said.append(_("free on %(days)s") % {"days": WEEKDAYS_PLURAL[need.weekday]})
    language = shared_language(member, need)
    if language:
        said.append(_("speaks %(language)s") % {"language": language_name(language)})
    if for_volunteer:
        return said
    said.append(
        ngettext(
            "%(held)d of %(limit)d claim in use",
            "%(held)d of %(limit)d claims in use",
            member.limit,
        )
        % {"held": member.held, "limit": member.limit}
    )
    asked = ctx.asked.get(member.pk, 0)
    if asked:
        said.append(
            ngettext("asked %(count)d time this week", "asked %(count)d times this week", asked)
            % {"count": asked}
        )
    else:
        said.append(_("not asked this week"))
    return said


def score(member, need: NeedFacts, ctx: Context, *, for_volunteer=False) -> Suggestion:
    """``member`` for ``need``: the score, its reasons and the offer it rests on."""
    offer = best_offer(member.pk, need, ctx)
    return Suggestion(
        member,
        need.pk,
        offer,
        points(member, need, ctx, offer),
        reasons(member, need, ctx, offer, for_volunteer=for_volunteer),
    )


def need_facts(need: Need, requester_languages=()) -> NeedFacts:
    return NeedFacts(
        need.pk,
        need.area_id,
        need.category_id,
        need.requester_id,
        tuple(requester_languages or ()),
        needed_weekday(need.needed_by),
    )


def suggest(need: Need, *, limit: int = 10) -> list[Suggestion]:
    """The volunteers who may take ``need`` on today, best first, each with their reasons and
    their open offer covering it (if any).

    Drawn from the need's neighborhood (living in its area or the next ones, or offering its
    kind of help there) and, when fewer than ``limit`` may take it on there, ``limit`` volunteers
    from elsewhere; all ranked by the same score. A fixed number of queries whatever the number
    of volunteers (two more for a thin neighborhood).
    """
    requester = need.requester
    cap = NetworkSettings.load().max_active_claims
    rings = area_rings()
    near = rings[need.area_id][1]
    asks = {
        "network_cap": cap,
        "weekday": today(),
        "requester_id": need.requester_id,
        "asked_since": timezone.now() - timedelta(days=FAIRNESS_DAYS),
        "helped_in": need.category_id,
    }
    here = (near, need.category_id)
    pool = selectors.volunteer_pool(near=here, **asks)
    found = selectors.open_offers_near(need.category_id, near)
    if len(pool) < limit:  # a thin neighborhood: names from elsewhere too (two more queries)
        elsewhere = selectors.volunteer_pool(near=here, elsewhere=True, limit=limit, **asks)
        pool += elsewhere
        found += selectors.open_offers([need.category_id], [member.pk for member in elsewhere])
    offers = {}
    for offer in found:
        offers.setdefault(offer.offerer_id, []).append(offer)
    ctx = Context(
        rings=rings,
        offers=offers,
        helped={(m.pk, need.category_id): m.helped for m in pool if m.helped},
        asked={m.pk: m.asked for m in pool if m.asked},
        categories={need.category_id: need.category.name},
    )
    facts = need_facts(need, requester.languages if requester else ())
    scored = []
    for member in pool:
        offer = best_offer(member.pk, facts, ctx)
        scored.append((-points(member, facts, ctx, offer), member.held, member.pk, member))
    scored.sort(key=lambda row: row[:3])
    shown = selectors.member_names([row[3] for row in scored[:limit]])
    return [score(member, facts, ctx) for member in shown]


def needs_fitting(member, *, limit: int = 5) -> list[tuple[Need, Suggestion]]:
    """The open needs on the board that ``member`` may take on today, best fitting first: the
    same engine run the other way. Nothing for a member who may take nothing on today (not
    vouched, at their limit, not available today). A fixed number of queries."""
    if not member.is_authenticated or not member.is_vouched():
        return []
    cap = NetworkSettings.load().max_active_claims
    pool = selectors.volunteer_pool(network_cap=cap, weekday=today(), member_id=member.pk)
    if not pool:
        return []
    me = pool[0]
    blocked = Block.objects.filter(Q(blocker_id=member.pk) | Q(blocked_id=member.pk))
    needs = (
        selectors.board_needs(viewer=None)
        .filter(visibility=Visibility.MEMBERS, status=NeedStatus.OPEN)
        .exclude(requester_id=member.pk)
        .exclude(requester_id__in=blocked.values("blocker_id"))
        .exclude(requester_id__in=blocked.values("blocked_id"))
        .values_list(
            "pk",
            "area_id",
            "category_id",
            "requester_id",
            Cast("requester__languages", TextField()),
            "needed_by",
        )
        .order_by("queue_at", "pk")
    )
    # Thousands of rows: today's weekday once, and a requester's languages read as text and
    # parsed only when they named some (no JSON converter on every row).
    weekday = today()
    rows = [
        NeedFacts(
            pk, area, category, requester, selectors.json_list(langs), needed_weekday(by, weekday)
        )
        for pk, area, category, requester, langs, by in needs
    ]
    if not rows:
        return []
    ctx = load_context({row.category_id for row in rows}, [me.pk])
    # Best fitting first; among equals, the dispatch queue's order (rows come in it).
    ranked = sorted(rows, key=lambda row: -points(me, row, ctx, best_offer(me.pk, row, ctx)))
    ranked = [score(me, row, ctx, for_volunteer=True) for row in ranked[:limit]]
    shown = Need.objects.select_related("category", "area").in_bulk([s.need_id for s in ranked])
    return [(shown[s.need_id], s) for s in ranked if s.need_id in shown]
