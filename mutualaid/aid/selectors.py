"""Reads: what a member may see, and the lists the pages show.

Every page that shows a need or an offer gets it from a helper here, so the access rule lives in one
place. An outsider gets 404, so that not even the existence of a record leaks.
"""

import json
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Least, Lower
from django.http import Http404
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from mutualaid.accounts.models import Block, Level, ProxyContact
from mutualaid.accounts.policy import Capability
from mutualaid.areas.models import Area
from mutualaid.lib.prepared import PreparedQuery

from .models import (
    ENDED,
    ORGANIZER_EVENTS,
    AccessKind,
    Category,
    Claim,
    ClaimEnd,
    ContactShare,
    Message,
    Need,
    NeedStatus,
    Offer,
    OfferStatus,
    PrivateAccess,
    Proposal,
    Resource,
    ResourceKind,
    TimelineEvent,
    Urgency,
    Visibility,
    may_volunteer,
)


def category_names() -> list[str]:
    """The kinds of help, in the order organizers gave them (one query): public, as the network's
    page lists them."""
    return list(Category.objects.order_by("position", "name").values_list("name", flat=True))


def needs_visible_to(*, member) -> QuerySet[Need]:
    """Open needs are on the board for every member; the rest only for those involved.

    An organizers-only need is for organizers, its requester, its current volunteer and the
    volunteer it is proposed to while the proposal waits: nobody else, not even a volunteer who
    held it before.
    """
    return _visible_needs(member_id=member.pk, sees_all=member.can(Capability.SEE_ALL_NEEDS))


def _visible_needs(*, member_id: int, sees_all: bool) -> QuerySet[Need]:
    needs = Need.objects.all()
    if sees_all:
        return needs
    involved = Exists(Claim.objects.filter(need=OuterRef("pk"), volunteer_id=member_id))
    asked = Exists(
        Proposal.objects.filter(
            need=OuterRef("pk"), volunteer_id=member_id, answered_at__isnull=True
        )
    )
    return needs.filter(
        Q(requester_id=member_id)
        | Q(
            Q(claimant_id=member_id)
            | Q(asked)
            | Q(Q(status=NeedStatus.OPEN) | Q(involved), visibility=Visibility.MEMBERS),
            hidden_at__isnull=True,  # hidden by a safety officer: its requester's alone
        )
    )


def _need_by_code(*, code: uuid.UUID, sees_all: bool, notes: bool, member_id=None):
    # The code is unique: no ORDER BY (first() would add one), at most one row. Its latest event
    # as the member may see it comes with it (need_version's stamp): no query of its own.
    last_event = _last_event(need_id=OuterRef("pk"), notes=notes)
    return (
        _visible_needs(member_id=member_id, sees_all=sees_all)
        .select_related("category", "area", "requester", "claimant")
        .annotate(last_event_pk=Subquery(last_event))
        .filter(code=code)[:1]
    )


# Read on every need's page and action: its SQL built once (building it cost more than running it).
_NEED_BY_CODE = PreparedQuery(_need_by_code)


def need_for_member(member, code) -> Need:
    """The need with this code if ``member`` may see it (needs_visible_to's rule), else 404."""
    try:
        code = code if isinstance(code, uuid.UUID) else uuid.UUID(str(code))
    except ValueError:
        raise Http404("No such need") from None
    sees_all = member.can(Capability.SEE_ALL_NEEDS)
    notes = may_read_notes(member)
    found = _NEED_BY_CODE.objects(
        values={"code": code} if sees_all else {"code": code, "member_id": member.pk},
        shape={"sees_all": sees_all, "notes": notes},
    )
    if not found:
        raise Http404("No such need")
    need = found[0]
    need.last_event_read = (member.pk, notes)  # whose view of the events last_event_pk is
    return need


def need_gone_reason(member, code, *, acting: bool = False) -> str | None:
    """Why a need this member can no longer see is gone from them, or None (then: 404).

    Only for someone who had a part in it (a claim, now ended), or who is ``acting`` on a members'
    need they could have seen on the board (the loser of a claim race): they are told what
    happened instead of a bare "not found". Anyone else learns nothing, not even that it exists.
    """
    need = Need.objects.filter(code=code).first()
    if need is None or not member.is_authenticated:
        return None
    had_part = (
        Claim.objects.filter(need=need, volunteer=member).exists()
        or Proposal.objects.filter(need=need, volunteer=member).exists()
    )
    on_board = (
        acting
        and need.visibility == Visibility.MEMBERS
        and need.hidden_at is None
        and need.status != NeedStatus.TRIAGE  # never on the board yet
    )
    if need.hidden_at is not None and had_part:
        return "hidden"
    if not (had_part or on_board):
        return None
    if need.status in (NeedStatus.DECLINED, NeedStatus.DUPLICATE):
        return "turned_down"
    if need.status in ENDED:
        return "closed"
    return "released" if had_part else "taken"


def offers_visible_to(*, member) -> QuerySet[Offer]:
    offers = Offer.objects.all()
    if member.can(Capability.SEE_ALL_NEEDS):
        return offers
    took_it_up = Exists(Claim.objects.filter(offer=OuterRef("pk"), need__requester=member))
    return offers.filter(
        Q(offerer=member)
        | Q(
            Q(status=OfferStatus.OPEN) | Q(took_it_up),
            ~_blocked_by_offerer(member),
            hidden_at__isnull=True,  # hidden by a safety officer: its offerer's alone
        )
    )


def has_blocked(blocker_id, member) -> bool:
    """Whether the member ``blocker_id`` has blocked ``member`` (one query)."""
    return (
        blocker_id is not None
        and Block.objects.filter(blocker_id=blocker_id, blocked=member.pk).exists()
    )


def blocked_by(member) -> list[int]:
    """The members who have blocked ``member``, by id (one query): what hides their offers from
    them, so that a board kept for one set of these is never shown to another."""
    return sorted(Block.objects.filter(blocked=member.pk).values_list("blocker_id", flat=True))


def blocked_either_way(member_id, other_id) -> bool:
    """Whether either of two members has blocked the other (one query)."""
    if member_id is None or other_id is None:
        return False
    return Block.objects.filter(
        Q(blocker_id=member_id, blocked_id=other_id) | Q(blocker_id=other_id, blocked_id=member_id)
    ).exists()


# Eligibility: who may take a need on. The claim service, ``can_claim`` and the match engine to
# come read these same predicates, so they cannot drift apart.


def _not_blocked_with(requester_id):
    """A member neither blocked by the requester nor blocking them (a Q over members)."""
    if requester_id is None:
        return Q()
    return ~Exists(
        Block.objects.filter(
            Q(blocker_id=requester_id, blocked_id=OuterRef("pk"))
            | Q(blocker_id=OuterRef("pk"), blocked_id=requester_id)
        )
    )


def _held_count():
    """How many needs a member holds now (marked-done ones no longer count): a subquery per
    member, so a query over many members needs no GROUP BY."""
    held = (
        Need.objects.filter(claimant=OuterRef("pk"), status=NeedStatus.CLAIMED)
        .order_by()
        .values("claimant")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(held, output_field=IntegerField()), Value(0))


def _claim_limit(network_cap: int):
    """A member's own limit, never above the network's (Member.claim_limit, as SQL)."""
    return Least(Coalesce("max_active_claims", Value(network_cap)), Value(network_cap))


def volunteers_eligible_for(need: Need, *, network_cap: int, weekday: int) -> list:
    """The volunteers who may take ``need`` on today, in one query: vouched and active, not its
    requester, no block either way with them, under their claim limit, available on ``weekday``.

    Ordered by area: the need's own area first, then its neighbors (home area), then everyone
    else, then the fewest needs held.
    """
    members = _eligible_volunteers(network_cap=network_cap, requester_id=need.requester_id)
    near = need.area.with_neighbor_ids()
    members = members.annotate(
        nearness=Case(
            When(home_area_id=need.area_id, then=Value(0)),
            When(home_area_id__in=near, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("nearness", "held", "handle")
    # Available days are a JSON list, which SQLite cannot search: the same rule as the model's,
    # applied to the rows of that one query.
    return [member for member in members if member.is_available_on(weekday)]


def _eligible_volunteers(*, network_cap: int, requester_id=None) -> QuerySet:
    """Vouched and active, not the requester, no block either way with them, under their claim
    limit (annotated ``held`` and ``limit``): the SQL half of who may take a need on."""
    return (
        get_user_model()
        .objects.filter(level=Level.VOUCHED, is_active=True)
        .exclude(pk=requester_id)
        .filter(_not_blocked_with(requester_id))
        .annotate(held=_held_count(), limit=_claim_limit(network_cap))
        .filter(held__lt=F("limit"))
    )


class PoolMember(NamedTuple):
    """What the match engine knows of one volunteer who may take a need on (no private text)."""

    pk: int
    code: object
    handle: str
    home_area_id: int | None
    held: int
    limit: int
    available_days: tuple
    languages: tuple
    asked: int = 0  # proposals to them since ``asked_since`` (volunteer_pool)
    helped: int = 0  # needs of the kind ``helped_in`` they saw through to the end


def volunteer_pool(
    *,
    network_cap: int,
    weekday: int,
    requester_id=None,
    member_id=None,
    near=None,
    elsewhere=False,
    limit=None,
    asked_since=None,
    helped_in=None,
) -> list[PoolMember]:
    """The volunteers who may take on a need of ``requester_id`` today, as plain rows for the
    match engine, in one query: the predicates of volunteers_eligible_for, and a neighbor whose
    account organizers still hold for them (a relayed proxy) is never asked.

    ``member_id``: that one volunteer only (their own "needs that fit you"); ``near``: (area ids,
    category id), a need's neighborhood: those living in these areas or with an open offer of
    that kind of help covering one of them (``elsewhere``: everyone else); ``limit``: at most so
    many (the first found: an index scan that stops early). Rows leave out code and handle (see
    member_names: only the rows shown need them), and read the two JSON lists as text, parsed
    here only when not empty: thousands of rows cost milliseconds, not tenths of a second.
    ``asked_since`` and ``helped_in`` (a category id) count each row's proposals since then and
    needs of that kind done (asked_counts and helped_counts, for these rows in the same query).

    The query is built once per shape and run again with these values (lib/prepared.py): the
    ORM took longer to build it than the database to run it.
    """
    values = {"network_cap": network_cap}
    for name, value in (
        ("requester_id", requester_id),
        ("member_id", member_id),
        ("asked_since", asked_since),
        ("helped_in", helped_in),
    ):
        if value is not None:
            values[name] = value
    if near is not None:
        values["near_areas"], values["near_category"] = sorted(near[0]), near[1]
    rows = _POOL.rows(
        values=values,
        shape={"elsewhere": elsewhere, "limit": limit},
    )
    pool = []
    for pk, area, held, limit_, days, langs, asked_n, helped_n in rows:
        days = json_list(days)
        if not days or weekday in days:  # Member.is_available_on, on plain rows
            pool.append(
                PoolMember(
                    pk, None, None, area, held, limit_, days, json_list(langs), asked_n, helped_n
                )
            )
    return pool


def _pool_query(
    *,
    network_cap,
    elsewhere,
    limit,
    requester_id=None,
    member_id=None,
    near_areas=None,
    near_category=None,
    asked_since=None,
    helped_in=None,
) -> QuerySet:
    members = _eligible_volunteers(network_cap=network_cap, requester_id=requester_id).exclude(
        Exists(ProxyContact.objects.filter(member=OuterRef("pk"), taken_over_at__isnull=True))
    )
    if member_id is not None:
        members = members.filter(pk=member_id)
    if near_areas is not None:
        # One list of ids (those living there, with those offering there): PostgreSQL reads the
        # members by their key from it, where an OR of the two scanned all 50,000 at city size.
        living_here = get_user_model().objects.filter(home_area_id__in=near_areas).values("pk")
        here = Q(pk__in=living_here.union(_offering_here(near_category, near_areas)))
        members = members.filter(~here if elsewhere else here)
    if limit is not None:
        members = members.order_by("pk")[:limit]
    asked = helped = Value(0)
    if asked_since is not None:
        asked = _count_of(Proposal.objects.filter(created_at__gte=asked_since), "volunteer")
    if helped_in is not None:
        done = Claim.objects.filter(end_reason=ClaimEnd.COMPLETED, need__category_id=helped_in)
        helped = _count_of(done, "volunteer")
    return members.annotate(asked=asked, helped=helped).values_list(
        "pk",
        "home_area_id",
        "held",
        "limit",
        Cast("available_days", TextField()),
        Cast("languages", TextField()),
        "asked",
        "helped",
    )


_POOL = PreparedQuery(_pool_query)


def _count_of(rows: QuerySet, member_field: str):
    """How many of ``rows`` name each member (a subquery per member row)."""
    counted = (
        rows.filter(**{member_field: OuterRef("pk")})
        .order_by()
        .values(member_field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def json_list(text) -> tuple:
    """A JSON list read as text (or already a list), parsed only when it holds something."""
    if isinstance(text, (list, tuple)):
        return tuple(text)
    return tuple(json.loads(text)) if text and text not in ("[]", "null") else ()


def member_names(pool: list) -> list:
    """The same rows with each member's code and handle, in one query."""
    names = {
        pk: (code, handle)
        for pk, code, handle in get_user_model()
        .objects.filter(pk__in=[member.pk for member in pool])
        .values_list("pk", "code", "handle")
    }
    return [m._replace(code=names[m.pk][0], handle=names[m.pk][1]) for m in pool]


def blocks_among(member_ids) -> set[tuple[int, int]]:
    """Every (blocker, blocked) pair that names one of ``member_ids`` (a query of ids: the
    requesters of many needs at once): one query; a pair blocks both ways (see
    _not_blocked_with)."""
    ids = member_ids
    rows = Block.objects.filter(Q(blocker_id__in=ids) | Q(blocked_id__in=ids)).values_list(
        "blocker_id", "blocked_id"
    )
    return {(a, b) for a, b in rows} | {(b, a) for a, b in rows}


def live_proposal_counts() -> dict[int, int]:
    """How many proposals wait for each volunteer's answer (one query)."""
    rows = (
        Proposal.objects.filter(answered_at__isnull=True, volunteer__isnull=False)
        .values_list("volunteer_id")
        .annotate(n=Count("pk"))
    )
    return dict(rows)


def asked_counts(*, since, volunteer_ids=None) -> dict[int, int]:
    """How many needs each volunteer (of ``volunteer_ids``, or all) was asked to take on
    (proposals) since ``since``."""
    proposals = Proposal.objects.filter(created_at__gte=since, volunteer__isnull=False)
    if volunteer_ids is not None:
        proposals = proposals.filter(volunteer_id__in=volunteer_ids)
    rows = proposals.values_list("volunteer_id").annotate(n=Count("pk"))
    return dict(rows)


def helped_counts(category_ids, volunteer_ids=None) -> dict[tuple[int, int], int]:
    """How many needs of each of ``category_ids`` each volunteer (of ``volunteer_ids``, or all)
    saw through to the end: {(volunteer id, category id): count}, one query."""
    claims = Claim.objects.filter(
        end_reason=ClaimEnd.COMPLETED,
        volunteer__isnull=False,
        need__category_id__in=list(category_ids),
    )
    if volunteer_ids is not None:
        claims = claims.filter(volunteer_id__in=volunteer_ids)
    rows = claims.values_list("volunteer_id", "need__category_id").annotate(n=Count("pk"))
    return {(volunteer, category): n for volunteer, category, n in rows}


class OpenOffer(NamedTuple):
    """An open offer as the match engine reads it: whose, what kinds of help, where, which days."""

    pk: int
    code: object
    offerer_id: int
    summary: str
    kind: str
    category_ids: frozenset
    area_ids: frozenset
    available_days: tuple


def open_offers(category_ids, offerer_ids=None) -> list[OpenOffer]:
    """The open offers (not hidden) covering any of ``category_ids``, by ``offerer_ids`` (a list
    or a query of ids; None: anyone), with their kinds of help and areas among those: one query,
    a row per (offer, kind, area)."""
    offers = Offer.objects.filter(
        status=OfferStatus.OPEN,
        hidden_at__isnull=True,
        offerer__isnull=False,
        categories__in=list(category_ids),
    )
    if offerer_ids is not None:
        offers = offers.filter(offerer_id__in=offerer_ids)
    return _open_offers(offers.values_list(*_OFFER_ROW))


def open_offers_near(category_id: int, area_ids) -> list[OpenOffer]:
    """The open offers of one kind of help by everyone in a need's neighborhood as
    volunteer_pool's ``near`` reads it (living in ``area_ids``, or with an open offer of that
    kind covering one of them): their offers wherever they cover. One query, prepared."""
    return _open_offers(
        _NEAR_OFFERS.rows(values={"category_id": category_id, "area_ids": sorted(area_ids)})
    )


def _offering_here(category_id, area_ids) -> QuerySet:
    """The members with an open offer of ``category_id`` covering one of ``area_ids``."""
    return Offer.objects.filter(
        status=OfferStatus.OPEN,
        hidden_at__isnull=True,
        categories=category_id,
        areas__in=area_ids,
    ).values("offerer_id")


def _near_offers_query(*, category_id, area_ids) -> QuerySet:
    return Offer.objects.filter(
        # Two lists of offerers by id (the members living there, those offering there): SQLite
        # then reads the offers by the offerer index, not every open offer.
        Q(offerer_id__in=get_user_model().objects.filter(home_area_id__in=area_ids).values("pk"))
        | Q(offerer_id__in=_offering_here(category_id, area_ids)),
        status=OfferStatus.OPEN,
        hidden_at__isnull=True,
        offerer__isnull=False,
        categories=category_id,
    ).values_list(*_OFFER_ROW)


_NEAR_OFFERS = PreparedQuery(_near_offers_query)
_OFFER_ROW = (
    "pk",
    "code",
    "offerer_id",
    "summary",
    "kind",
    Cast("available_days", TextField()),
    "categories",
    "areas",
)


def _open_offers(rows) -> list[OpenOffer]:
    found = {}
    for pk, code, offerer, summary, kind, days, category, area in rows:
        if pk not in found:
            found[pk] = (pk, code, offerer, summary, kind, json_list(days), set(), set())
        found[pk][6].add(category)
        if area is not None:
            found[pk][7].add(area)
    return [
        OpenOffer(pk, code, offerer, summary, kind, frozenset(cats), frozenset(areas), days)
        for pk, code, offerer, summary, kind, days, cats, areas in found.values()
    ]


def volunteer_refusal(need: Need, member, *, network_cap: int, weekday: int) -> str | None:
    """Why ``member`` may not take ``need`` on today (a Refusal code), or None: the same
    predicates as volunteers_eligible_for, for one member."""
    if not may_volunteer(need, member):
        return "not_eligible"
    if blocked_either_way(need.requester_id, member.pk):
        return "blocked"
    held = Need.objects.filter(claimant=member, status=NeedStatus.CLAIMED).count()
    if held >= member.claim_limit(network_cap):
        return "claim_limit"
    if not member.is_available_on(weekday):
        return "unavailable"
    return None


def _blocked_by_offerer(member):
    """The offer's offerer has blocked ``member``: the offer is not for them to see."""
    return Exists(Block.objects.filter(blocker=OuterRef("offerer"), blocked=member.pk))


def offer_for_member(member, code) -> Offer:
    offer = (
        offers_visible_to(member=member)
        .select_related("offerer")
        .prefetch_related("categories", "areas")
        .filter(code=code)
        .first()
    )
    if offer is None:
        raise Http404("No such offer")
    return offer


def board_needs(*, viewer=None, area=None, include_neighbors=False, category=None, urgency=None):
    """Open needs, most urgent first, then oldest first.

    Organizers-only needs are left out, except for an organizer, who matches them from here.
    """
    needs = Need.objects.filter(status=NeedStatus.OPEN, hidden_at__isnull=True)
    if not (viewer is not None and viewer.is_authenticated and viewer.can(Capability.MATCH)):
        needs = needs.filter(visibility=Visibility.MEMBERS)
    if area is not None:
        area_ids = area.with_neighbor_ids() if include_neighbors else area.ids_within()
        needs = needs.filter(area_id__in=area_ids)
    if category is not None:
        needs = needs.filter(category=category)
    if urgency:
        needs = needs.filter(urgency=urgency)
    return needs.select_related("category", "area", "requester").order_by(
        Urgency.rank(), "created_at", "pk"
    )


def shareable_needs(*, area=None, include_neighbors=False, category=None, urgency=None):
    """The open needs every member sees on the board, as rows to share outside the app (a group
    chat, a flyer): code, summary, area name and urgency, and nothing of who asked.

    The board's rule for a member who does not match needs (board_needs with no viewer): never an
    organizers-only or a hidden need, whoever asks. Most urgent first, then oldest first.
    """
    needs = board_needs(
        area=area, include_neighbors=include_neighbors, category=category, urgency=urgency
    )
    return needs.values_list("code", "summary", "area__name", "urgency", named=True)


def board_offers(*, viewer=None, area=None, include_neighbors=False, category=None):
    offers = Offer.objects.filter(status=OfferStatus.OPEN, hidden_at__isnull=True)
    if getattr(viewer, "is_authenticated", False):
        offers = offers.exclude(_blocked_by_offerer(viewer))
    if area is not None:
        area_ids = area.with_neighbor_ids() if include_neighbors else area.ids_within()
        offers = offers.filter(areas__in=area_ids)
    if category is not None:
        offers = offers.filter(categories=category)
    return (
        offers.distinct()
        .select_related("offerer")
        .prefetch_related("categories", "areas")
        .order_by("-created_at", "-pk")
    )


def need_helper(need: Need):
    """Who is helping, or helped: the claimant, or the volunteer of the claim that closed it."""
    if need.claimant_id:
        return need.claimant
    if need.status != NeedStatus.CLOSED:
        return None
    done = need.claims.filter(end_reason=ClaimEnd.COMPLETED).select_related("volunteer").first()
    return done.volunteer if done else None


def live_claim(need: Need) -> Claim | None:
    return need.claims.filter(ended_at__isnull=True).first()


@dataclass(frozen=True, repr=False)
class PrivateText:
    """What a need holds in private, as one viewer may read it. Its repr names no words: a
    template's debug log or an error report may print it."""

    details: str
    conversation: list
    contact: ContactShare | None

    def __bool__(self):
        return bool(self.details or self.conversation or self.contact)

    def __repr__(self):
        return "<PrivateText>"


NOTHING_PRIVATE = PrivateText(details="", conversation=[], contact=None)


def need_private_text(need: Need, viewer) -> PrivateText:
    """The one door to a need's private text: its details, the conversations the viewer may read
    and the contact shared with its volunteer.

    Whoever asks (a page, the API, an export), an organizer reading someone else's private text
    leaves an access record here, in one INSERT whatever is shown. The requester and the volunteer
    holding the need read their own without a record; anyone else gets nothing.
    """
    if not need.can_see_private(viewer):
        return NOTHING_PRIVATE
    text = PrivateText(
        details=need.details,
        conversation=need_messages(need, viewer),
        contact=shared_contact(need, viewer),
    )
    _record_access(
        viewer,
        need,
        [
            kind
            for kind, shown in (
                (AccessKind.DETAILS, text.details),
                (AccessKind.MESSAGES, text.conversation),
                (AccessKind.CONTACT, text.contact),
            )
            if shown
        ],
    )
    return text


def reported_message_text(message: Message, viewer) -> str:
    """A reported message, for the safety officer handling the report; recorded like any read."""
    if not viewer.can(Capability.READ_REPORTED):
        return ""
    need = message.claim.need
    _record_access(viewer, need, [AccessKind.MESSAGES])
    return message.body


def _record_access(viewer, need: Need, kinds) -> None:
    """Write down that someone other than the need's own people opened its private text."""
    if not kinds or need.requester_id is None or need.is_requester(viewer):
        return
    if need.is_claimant(viewer):
        return
    PrivateAccess.objects.bulk_create(
        PrivateAccess(viewer=viewer, owner_id=need.requester_id, need=need, what=kind)
        for kind in dict.fromkeys(kinds)
    )


def shared_contact(need: Need, member) -> ContactShare | None:
    """The contact the requester shares with the volunteer holding the need now.

    Only the requester, that volunteer and organizers may read it; it ends with the claim.
    """
    if not (need.claimant_id and need.can_see_private(member)):
        return None
    return ContactShare.objects.filter(claim__need=need, claim__ended_at__isnull=True).first()


def shown_name(
    member, *, need: Need | None, viewer, names: bool = True, subject: bool = False
) -> str:
    """How ``member`` is named to ``viewer`` wherever ``need`` (or an event about it) is shown.

    The one rule for handles: the viewer themself is "You"; organizers see every handle; the
    requester of an anonymous need is hidden from everyone else; otherwise the handle, when the
    page may show names at all (``names``), or "A neighbor". A ``subject`` name starts a timeline
    line whose verb is in the third person ("You posted it"): languages that conjugate by person
    translate that "You" apart.
    """
    if member is None:
        return _("A former member")
    if viewer.is_authenticated and member.pk == viewer.pk:
        if subject:
            return pgettext("the viewer, before a verb in the third person", "You")
        return _("You")
    if viewer.is_authenticated and viewer.can(Capability.SEE_HANDLES):
        return member.handle
    if need is not None and need.requester_id == member.pk and need.hides_requester_from(viewer):
        return _("The requester (anonymous)")
    return member.handle if names else _("A neighbor")


def _timeline(*, need_id: int, notes: bool) -> QuerySet[TimelineEvent]:
    events = TimelineEvent.objects.filter(need_id=need_id).select_related("actor")
    if not notes:
        events = events.exclude(kind__in=ORGANIZER_EVENTS)
    return events.order_by("created_at", "pk")


# Read by every need page that is not served kept: its SQL built once.
_TIMELINE = PreparedQuery(_timeline)


def need_timeline(need: Need, viewer=None):
    """The need's events as ``viewer`` may see them: ORGANIZER_EVENTS (a note was added) only for
    organizers who read notes (none when no viewer is named). Read when first iterated, so that a
    page served from a kept fragment does not read them."""
    return _TIMELINE.later(values={"need_id": need.pk}, shape={"notes": may_read_notes(viewer)})


def _last_event(*, need_id: int, notes: bool) -> QuerySet[TimelineEvent]:
    events = TimelineEvent.objects.filter(need_id=need_id)
    if not notes:
        events = events.exclude(kind__in=ORGANIZER_EVENTS)
    return events.order_by("-pk").values_list("pk")[:1]


# Read by every open need page every few seconds: its SQL built once.
_LAST_EVENT = PreparedQuery(_last_event)


def need_version(need: Need, viewer=None) -> str:
    """A stamp of what the need's page shows, which its open page polls to know when to update.

    Every change a page shows writes a timeline event (a message, a claim, a match and its answer,
    a shared contact, an edit) or moves the status, so the stamp is the status, when it moved and
    the latest event: one small query, nothing decrypted. It is opaque, so the page's URLs carry
    no row ids.
    """
    # A note added changes nothing that a viewer who may not read notes sees.
    notes = may_read_notes(viewer)
    if getattr(need, "last_event_read", None) == (getattr(viewer, "pk", None), notes):
        last_event = need.last_event_pk  # read with the need, for this viewer (need_for_member)
    else:
        last = _LAST_EVENT.rows(values={"need_id": need.pk}, shape={"notes": notes})
        last_event = last[0][0] if last else None
    stamp = f"{need.pk}:{need.status}:{need.status_changed_at.isoformat()}:{last_event}"
    return salted_hmac("aid.need_version", stamp).hexdigest()[:20]


def offer_timeline(offer: Offer) -> QuerySet[TimelineEvent]:
    return offer.events.select_related("actor", "need").order_by("created_at", "pk")


def need_messages(need: Need, member) -> list[Message]:
    """The conversations this member may read: all of them for the requester and organizers,
    only their own claim's for a volunteer, and nothing once their claim has ended."""
    if not need.can_see_private(member):
        return []
    messages = Message.objects.filter(claim__need=need).select_related("sender", "claim")
    if not (need.is_requester(member) or member.can(Capability.READ_PRIVATE)):
        messages = messages.filter(claim__volunteer=member, claim__ended_at__isnull=True)
    return list(messages.order_by("created_at", "pk"))


def my_needs(member) -> QuerySet[Need]:
    return (
        Need.objects.filter(requester=member)
        .select_related("category", "area", "claimant")
        .order_by("-created_at", "-pk")
    )


def my_claims(member) -> QuerySet[Claim]:
    """The member's claims; an organizers-only need leaves the list when their claim ends."""
    return (
        Claim.objects.filter(volunteer=member)
        .exclude(need__visibility=Visibility.ORGANIZERS, ended_at__isnull=False)
        .select_related("need", "need__category", "need__area", "need__requester")
        .order_by(F("ended_at").asc(nulls_first=True), "-created_at", "-pk")
    )


def my_proposals(member) -> QuerySet[Proposal]:
    """The needs waiting for this member's answer: accept or decline."""
    return (
        Proposal.objects.filter(volunteer=member, answered_at__isnull=True)
        .select_related("need", "need__category", "need__area")
        .order_by("deadline", "pk")
    )


def my_offers(member) -> QuerySet[Offer]:
    return (
        Offer.objects.filter(offerer=member)
        .prefetch_related("categories", "areas")
        .order_by("-created_at", "-pk")
    )


def needs_matchable_to(offer: Offer, member) -> QuerySet[Need]:
    """The member's own open needs that this offer could meet."""
    return (
        Need.objects.filter(
            requester=member, status=NeedStatus.OPEN, category__in=offer.categories.all()
        )
        .select_related("category")
        .order_by("-created_at")
    )


# Triage and organizers' notes ------------------------------------------------------------------

# Needs by the same requester for the same kind of help within this long are likely duplicates.
DUPLICATE_WINDOW = timedelta(days=7)


def triage_queue() -> QuerySet[Need]:
    """The needs waiting for a triager, first in the dispatch queue's order (urgency and priority
    lead, then age: see models.queue_at)."""
    return (
        Need.objects.filter(status=NeedStatus.TRIAGE)
        .select_related("category", "area", "requester")
        .order_by("queue_at", "pk")
    )


def _duplicate_candidates(pairs, since, until) -> QuerySet[Need]:
    """Needs of these (requester, kind of help) pairs that could be the same as another: still
    going on, or ended within the window (not those already joined to another)."""
    same = Q(pk__in=[])
    for requester_id, category_id in pairs:
        same |= Q(requester_id=requester_id, category_id=category_id)
    return (
        Need.objects.filter(same, created_at__gte=since, created_at__lte=until)
        .filter(~Q(status__in=ENDED) | Q(status_changed_at__gte=timezone.now() - DUPLICATE_WINDOW))
        .exclude(status=NeedStatus.DUPLICATE)
        .order_by("created_at", "pk")
    )


def likely_duplicates_for(needs) -> dict[int, list[Need]]:
    """For each need (by pk), the other needs by the same requester (a member, or a neighbor
    recorded by phone: their contact is a member too) for the same kind of help, posted within
    DUPLICATE_WINDOW of it: one query for a whole page of needs."""
    needs = [need for need in needs if need.requester_id is not None]
    hints = {need.pk: [] for need in needs}
    if not needs:
        return hints
    candidates = list(
        _duplicate_candidates(
            {(need.requester_id, need.category_id) for need in needs},
            min(need.created_at for need in needs) - DUPLICATE_WINDOW,
            max(need.created_at for need in needs) + DUPLICATE_WINDOW,
        )
    )
    alike = defaultdict(list)
    for other in candidates:
        alike[other.requester_id, other.category_id].append(other)
    for need in needs:
        hints[need.pk] = [
            other
            for other in alike[need.requester_id, need.category_id]
            if other.pk != need.pk and abs(other.created_at - need.created_at) <= DUPLICATE_WINDOW
        ]
    return hints


def likely_duplicates(need: Need) -> list[Need]:
    return likely_duplicates_for([need]).get(need.pk, [])


@dataclass(frozen=True, repr=False)
class NeedNotes:
    """What one viewer may read of the organizers' words on a need: their internal notes, the
    questions put to the requester with the answers, and why it was declined. No words in its
    repr."""

    internal: list
    exchange: list
    decline_reason: str

    def __bool__(self):
        return bool(self.internal or self.exchange or self.decline_reason)

    def __repr__(self):
        return "<NeedNotes>"


NO_NOTES = NeedNotes(internal=[], exchange=[], decline_reason="")


def may_read_notes(viewer) -> bool:
    """Organizers' internal notes (and the timeline's ORGANIZER_EVENTS): organizers whose role
    reads private text. Admins alone do not."""
    return viewer is not None and viewer.is_authenticated and viewer.can(Capability.READ_PRIVATE)


def need_notes(need: Need, viewer) -> NeedNotes:
    """The one door to a need's notes: organizers who read private text read them all, the
    requester reads the questions, their answers and the decline's reason, anyone else nothing.
    An organizer reading someone else's leaves an access record (NOTES), in one INSERT."""
    organizer = may_read_notes(viewer)
    if not (organizer or need.is_requester(viewer)):
        return NO_NOTES
    notes = list(need.notes.select_related("author").order_by("created_at", "pk"))
    text = NeedNotes(
        internal=[note for note in notes if note.is_internal()] if organizer else [],
        exchange=[note for note in notes if not note.is_internal()],
        decline_reason=need.decline_reason,
    )
    if text and need.requester_id is not None and not need.is_requester(viewer):
        PrivateAccess.objects.create(
            viewer=viewer, owner_id=need.requester_id, need=need, what=AccessKind.NOTES
        )
    return text


def need_duplicates(need: Need) -> list[Need]:
    """The needs joined to this one as its duplicates, for organizers' eyes."""
    return list(need.duplicates.select_related("category", "area").order_by("created_at", "pk"))


# The resource directory ---------------------------------------------------------------------------

# What a need declined as out of scope shows its requester of the directory, at most.
RESOURCES_FOR_A_NEED = 10


def _serving(area_id, category_id) -> Q:
    """Resources for the area and the kind of help. A resource with no area serves the whole
    network, one with no kind of help serves any kind; one for an area serves that area, the
    areas inside it and the area it is part of (a district's food bank serves its quarters, and
    a quarter's is listed for its district)."""
    condition = Q()
    if area_id is not None:
        served = Resource.areas.through.objects.filter(resource_id=OuterRef("pk"))
        here = served.filter(
            Q(area_id=area_id) | Q(area__parent_id=area_id) | Q(area__children__id=area_id)
        )
        condition &= ~Exists(served) | Exists(here)
    if category_id is not None:
        kinds = Resource.categories.through.objects.filter(resource_id=OuterRef("pk"))
        condition &= ~Exists(kinds) | Exists(kinds.filter(category_id=category_id))
    return condition


def resources_for(*, area_id=None, category_id=None, kind=None) -> QuerySet[Resource]:
    """The directory's active resources for an area and a kind of help (None: any; see
    _serving), of one kind of resource if ``kind``: by kind in ResourceKind's order, then by name.
    Public: every one of them is an organization's public face."""
    resources = Resource.objects.filter(_serving(area_id, category_id), archived_at__isnull=True)
    if kind:
        resources = resources.filter(kind=kind)
    return resources.order_by(ResourceKind.rank(), Lower("name"), "pk")


def board_resources(*, area_id) -> QuerySet[Resource]:
    """The resources the board shows beside the needs: those for the member's area (``area_id``),
    or, for a member who gave none, those for the whole network."""
    if area_id is not None:
        return resources_for(area_id=area_id)
    served = Resource.areas.through.objects.filter(resource_id=OuterRef("pk"))
    return resources_for().filter(~Exists(served))


def resource_directory(*, area_id=None, category_id=None, kind=None) -> QuerySet[Resource]:
    """The public directory's rows, each with its areas and kinds of help (three queries)."""
    return resources_for(area_id=area_id, category_id=category_id, kind=kind).prefetch_related(
        Prefetch("areas", queryset=Area.objects.order_by("name")),
        Prefetch("categories", queryset=Category.objects.order_by("position", "name")),
    )


def resources_for_need(need: Need) -> list[Resource]:
    """Where else its requester may turn: the directory's resources for the need's area and kind
    of help (one query), for a need declined as out of scope."""
    return list(
        resources_for(area_id=need.area_id, category_id=need.category_id)[:RESOURCES_FOR_A_NEED]
    )


def resources_kept() -> QuerySet[Resource]:
    """Every resource for the organizers who keep the directory: the active ones first, then the
    archived, each by name, with its areas and kinds of help (three queries)."""
    archived_last = Case(When(archived_at__isnull=True, then=Value(0)), default=Value(1))
    return Resource.objects.order_by(archived_last, Lower("name"), "pk").prefetch_related(
        Prefetch("areas", queryset=Area.objects.order_by("name")),
        Prefetch("categories", queryset=Category.objects.order_by("position", "name")),
    )
