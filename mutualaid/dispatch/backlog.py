"""Assign the backlog: in a surge, one proposal of every waiting need to a volunteer with room.

The objective is the total weight of the needs matched, each volunteer taking at most their room
(their claim limit, less the needs they hold, less the proposals waiting for their answer).

A need's weight says how long it has waited in the dispatch queue: 1 + the hours between its place
in the queue (``Need.queue_at``: when it was posted, moved earlier by its urgency and triage
priority, see aid.models.URGENCY_LEAD and PRIORITY_LEAD) and now. So a critical need weighs 14
days more than a normal one posted at the same moment, a need for today 72 hours more than one
for anytime, and every need gains weight as it waits: the same order as the queue.

The candidate graph: an edge joins a need and a volunteer who may take it on (the match engine's
door: aid.selectors.volunteer_pool, less blocks either way with its requester), and each need
keeps its TOP_K best by the engine's score (matching.points) among the volunteers drawn for it:
in each area of its neighborhood (Area.with_neighbor_ids), the NEAR_K living there and the NEAR_K
offering its kind of help there who score best on the terms that do not depend on the need (their
day, room and asks), and the FAR_K of the whole network who score best on those terms.

``solve`` is optimal over that graph: as weights sit on needs only, the sets of needs that can all
be matched at once form a transversal matroid, so taking needs by weight, heaviest first, each one
kept if an augmenting path finds it a volunteer (moving others along the path), gives a set of
maximum weight. Each need's candidates are searched best first, so it leans to the better-fitting
volunteer; that never costs weight, but the total fit is not itself maximised.
"""

import heapq
from collections import deque
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualaid.accounts.models import Member
from mutualaid.aid import selectors, services
from mutualaid.aid.models import Need, NeedStatus, OfferKind
from mutualaid.lib.refusal import Refusal
from mutualaid.network.models import NetworkSettings

from . import matching

TOP_K = 8  # candidates kept per need
NEAR_K = 6  # volunteers drawn from each area of a need's neighborhood, by their base score
FAR_K = 8  # volunteers drawn from the whole network, by their base score
ONGOING = OfferKind.ONGOING


def need_weight(queue_at, now) -> int:
    """1 + the hours a need stands ahead in the dispatch queue (see the module's docstring)."""
    return 1 + max(0, int((now - queue_at).total_seconds() // 3600))


class Problem(NamedTuple):
    """The candidate graph: needs with their weights, each with its candidates best first."""

    needs: list  # matching.NeedFacts, heaviest first (then the queue's order)
    weights: dict  # need id -> weight
    candidates: dict  # need id -> [member id], best fit first
    scores: dict  # (need id, member id) -> score
    capacity: dict  # member id -> room (> 0)
    members: dict  # member id -> selectors.PoolMember
    ctx: matching.Context

    def edge_count(self) -> int:
        return sum(len(c) for c in self.candidates.values())

    def weight_of(self, plan: dict) -> int:
        return sum(self.weights[need_id] for need_id in plan)


def load_problem(*, now=None, top_k=TOP_K) -> Problem:
    """Read the waiting needs and the volunteers with room, and build the candidate graph.

    Waiting needs: open and not hidden, organizers-only ones included. A fixed number of queries.
    """
    now = now or timezone.now()
    cap = NetworkSettings.load().max_active_claims
    weekday = matching.today()
    waiting_needs = Need.objects.filter(status=NeedStatus.OPEN, hidden_at__isnull=True)
    rows = waiting_needs.order_by("queue_at", "pk").values_list(
        "pk",
        "area_id",
        "category_id",
        "requester_id",
        "requester__languages",
        "needed_by",
        "queue_at",
    )
    needs, weights = [], {}
    for pk, area, category, requester, langs, by, queued in rows:
        needs.append(
            matching.NeedFacts(
                pk, area, category, requester, tuple(langs or ()), matching.needed_weekday(by)
            )
        )
        weights[pk] = need_weight(queued, now)
    needs.sort(key=lambda need: -weights[need.pk])  # stable: the queue's order within a weight
    pool = selectors.volunteer_pool(network_cap=cap, weekday=weekday)
    asked = selectors.live_proposal_counts()
    members, capacity = {}, {}
    for member in pool:
        room = member.limit - member.held - asked.get(member.pk, 0)
        if room > 0:
            members[member.pk] = member
            capacity[member.pk] = room
    blocks = selectors.blocks_among(waiting_needs.values("requester_id"))
    ctx = matching.load_context({need.category_id for need in needs})
    candidates, scores = _candidate_graph(needs, members, blocks, ctx, top_k)
    return Problem(needs, weights, candidates, scores, capacity, members, ctx)


def _candidate_graph(needs, members, blocks, ctx, top_k):
    """Each need's top_k volunteers by the engine's score, among those drawn for it. The score
    is matching.points (with matching.best_offer) summed inline for speed: the same numbers, as
    tests/test_backlog.py checks on every edge."""
    weights = matching.WEIGHTS
    same, next_ = weights["same_area"], weights["next_area"]
    language, helped_w = weights["language"], weights["helped_before"]
    offers_it, ongoing, free = weights["offers_it"], weights["ongoing"], weights["free_that_day"]
    # Each member's score without the need's place, kind or requester, for each weekday: their
    # day, their room, how often they were asked (matching.points for a need from nowhere).
    base = {weekday: {} for weekday in range(7)}
    room_and_fairness = {}
    for pk, member in members.items():
        rest = (
            weights["room"] * (member.limit - member.held) / member.limit
            + weights["fairness"]
            * max(matching.FAIRNESS_STEPS - ctx.asked.get(pk, 0), 0)
            / matching.FAIRNESS_STEPS
        )
        room_and_fairness[pk] = rest
        for weekday in range(7):
            that_day = not member.available_days or weekday in member.available_days
            base[weekday][pk] = rest + (free if that_day else 0)
    by_area = {}
    for member in members.values():
        by_area.setdefault(member.home_area_id, []).append(member)
    drawn_by_area = {}

    def drawn(area_id, weekday):
        key = (area_id, weekday)
        if key not in drawn_by_area:
            ranked = sorted(by_area.get(area_id, ()), key=lambda m: (-base[weekday][m.pk], m.pk))
            drawn_by_area[key] = ranked[:NEAR_K]
        return drawn_by_area[key]

    far = {
        weekday: sorted(members.values(), key=lambda m: (-base[weekday][m.pk], m.pk))[:FAR_K]
        for weekday in range(7)
    }
    offered = {}  # (category id, area id) -> members whose open offer covers both
    offers_kind = {}  # (member id, category id) -> their open offers of that kind, in order
    for pk, offers in ctx.offers.items():
        if pk in members:
            for offer in offers:
                for category_id in offer.category_ids:
                    offers_kind.setdefault((pk, category_id), []).append(offer)
                    for area_id in offer.area_ids:
                        offered.setdefault((category_id, area_id), set()).add(pk)
    # The offerers of one kind of help in one area: the NEAR_K with the most room and the
    # fewest asks first (their day is the need's to say).
    offered = {
        key: sorted(found, key=lambda pk: (-room_and_fairness[pk], pk))[:NEAR_K]
        for key, found in offered.items()
    }
    helped = ctx.helped
    candidates, scores = {}, {}
    for need in needs:
        within, near = ctx.rings.get(need.area_id, (frozenset(), frozenset()))
        weekday, category, requester = need.weekday, need.category_id, need.requester_id
        langs, day_base = frozenset(need.languages), base[need.weekday]
        drawn_members = [m for area in near for m in drawn(area, weekday)]
        drawn_members += far[weekday]
        drawn_members += [members[pk] for area in near for pk in offered.get((category, area), ())]
        scored = {}
        for member in drawn_members:
            pk = member.pk
            if pk in scored or pk == requester or (requester, pk) in blocks:
                continue
            home = member.home_area_id
            kinds = offers_kind.get((pk, category))
            if kinds:  # matching.best_offer and matching.points, inline
                offer = max(
                    kinds, key=lambda o: (o.kind == ONGOING, not o.area_ids.isdisjoint(near))
                )
                areas = offer.area_ids
                days = member.available_days or offer.available_days
                value = room_and_fairness[pk] + offers_it
                value += ongoing if offer.kind == ONGOING else 0
                value += free if not days or weekday in days else 0
                if home in within or not areas.isdisjoint(within):
                    value += same
                elif home in near or not areas.isdisjoint(near):
                    value += next_
            else:
                value = day_base[pk] + (same if home in within else next_ if home in near else 0)
            if langs and not langs.isdisjoint(member.languages):
                value += language
            if (pk, category) in helped:
                value += helped_w
            scored[pk] = value
        kept = heapq.nsmallest(top_k, scored.items(), key=lambda row: (-row[1], row[0]))
        candidates[need.pk] = [pk for pk, _ in kept]
        for pk, value in kept:
            scores[need.pk, pk] = value
    return candidates, scores


def solve(problem: Problem) -> dict:
    """The proposal of maximum total weight over the candidate graph: {need id: member id}.

    Needs are taken heaviest first; each is kept if a breadth-first search finds an augmenting
    path to a volunteer with room left (a matroid's greedy, exact). Regions a failed search
    explored stay dead until the next success: nothing in them changed, so no path crosses them.
    """
    room = dict(problem.capacity)
    plan = {}
    holding = {}  # member id -> the needs the plan gives them
    dead_needs, dead_members = set(), set()
    for need in problem.needs:
        root = need.pk
        came_by = {root: None}  # need id -> the member whose place it would take
        reached = {}  # member id -> the need that reaches it
        queue = deque([root])
        found = None
        while queue and found is None:
            need_id = queue.popleft()
            for member_id in problem.candidates.get(need_id, ()):
                if member_id in reached or member_id in dead_members:
                    continue
                reached[member_id] = need_id
                if room[member_id] > 0:
                    found = member_id
                    break
                for other in holding.get(member_id, ()):
                    if other not in came_by and other not in dead_needs:
                        came_by[other] = member_id
                        queue.append(other)
        if found is None:
            dead_needs.update(came_by)
            dead_members.update(reached)
            continue
        room[found] -= 1
        member_id = found
        while member_id is not None:
            need_id = reached[member_id]
            previous = came_by[need_id]
            if previous is not None:
                holding[previous].remove(need_id)
            plan[need_id] = member_id
            holding.setdefault(member_id, []).append(need_id)
            member_id = previous
        dead_needs.clear()
        dead_members.clear()
    return plan


def solve_greedy(problem: Problem) -> dict:
    """The plain greedy, for comparison: each need, heaviest first, takes its best volunteer
    with room left, and nobody is moved."""
    room = dict(problem.capacity)
    plan = {}
    for need in problem.needs:
        for member_id in problem.candidates.get(need.pk, ()):
            if room[member_id] > 0:
                room[member_id] -= 1
                plan[need.pk] = member_id
                break
    return plan


class Row(NamedTuple):
    """One line of the proposal as the dispatcher reviews it."""

    need: Need
    member: selectors.PoolMember
    weight: int
    reasons: list


def propose() -> list[Row]:
    """The optimal proposal for the waiting needs, heaviest first, with each pair's reasons."""
    problem = load_problem()
    plan = solve(problem)
    shown = Need.objects.select_related("category", "area").in_bulk(list(plan))
    by_id = {need.pk: need for need in problem.needs}
    named = {
        m.pk: m for m in selectors.member_names([problem.members[pk] for pk in set(plan.values())])
    }
    rows = []
    for need_id, member_id in plan.items():
        member = named[member_id]
        facts = by_id[need_id]
        offer = matching.best_offer(member_id, facts, problem.ctx)
        rows.append(
            Row(
                shown[need_id],
                member,
                problem.weights[need_id],
                matching.reasons(member, facts, problem.ctx, offer),
            )
        )
    rows.sort(key=lambda row: (-row.weight, row.need.queue_at, row.need.pk))
    return rows


class Sent(NamedTuple):
    sent: list  # (need, volunteer)
    refused: list  # (need or None, volunteer or None, why)


def send(*, pairs, organizer) -> Sent:
    """Propose each (need code, volunteer code) pair the dispatcher kept, each through the same
    door as a single match (aid.services.need_assign), which checks it all again: a pair that can
    no longer stand (the need was taken or hidden, the volunteer is at their limit, blocked, away
    today) is refused with its reason and changes nothing; the others are sent."""
    pairs = list(dict.fromkeys(pairs))
    needs = Need.objects.select_related("requester").in_bulk(
        [need for need, _ in pairs], field_name="code"
    )
    volunteers = Member.objects.in_bulk([member for _, member in pairs], field_name="code")
    sent, refused = [], []
    for need_code, member_code in pairs:
        need, volunteer = needs.get(need_code), volunteers.get(member_code)
        try:
            if need is None or volunteer is None:
                raise Refusal(_("This need or this volunteer is no longer here."), code="gone")
            if need.hidden_at is not None:
                raise Refusal(_("This need was hidden after a report."), code="hidden")
            with transaction.atomic():
                services.need_assign(need=need, volunteer=volunteer, organizer=organizer)
        except Refusal as refusal:
            refused.append((need, volunteer, refusal.message))
        else:
            sent.append((need, volunteer))
    return Sent(sent, refused)
