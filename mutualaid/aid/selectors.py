"""Reads: what a member may see, and the lists the pages show.

Every page that shows a need or an offer gets it from a helper here, so the access rule lives in one
place. An outsider gets 404, so that not even the existence of a record leaks.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least
from django.http import Http404
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from mutualaid.accounts.models import Block, Level
from mutualaid.accounts.policy import Capability

from .models import (
    ENDED,
    AccessKind,
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
    TimelineEvent,
    Urgency,
    Visibility,
    may_volunteer,
)


def needs_visible_to(*, member) -> QuerySet[Need]:
    """Open needs are on the board for every member; the rest only for those involved.

    An organizers-only need is for organizers, its requester, its current volunteer and the
    volunteer it is proposed to while the proposal waits: nobody else, not even a volunteer who
    held it before.
    """
    needs = Need.objects.all()
    if member.can(Capability.SEE_ALL_NEEDS):
        return needs
    involved = Exists(Claim.objects.filter(need=OuterRef("pk"), volunteer=member))
    asked = Exists(
        Proposal.objects.filter(need=OuterRef("pk"), volunteer=member, answered_at__isnull=True)
    )
    return needs.filter(
        Q(requester=member)
        | Q(
            Q(claimant=member)
            | Q(asked)
            | Q(Q(status=NeedStatus.OPEN) | Q(involved), visibility=Visibility.MEMBERS),
            hidden_at__isnull=True,  # hidden by a safety officer: its requester's alone
        )
    )


def need_for_member(member, code) -> Need:
    need = (
        needs_visible_to(member=member)
        .select_related("category", "area", "requester", "claimant")
        .filter(code=code)
        .first()
    )
    if need is None:
        raise Http404("No such need")
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
    on_board = acting and need.visibility == Visibility.MEMBERS and need.hidden_at is None
    if need.hidden_at is not None and had_part:
        return "hidden"
    if not (had_part or on_board):
        return None
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
    """How many needs a member holds now (marked-done ones no longer count)."""
    return Count("claimed_needs", filter=Q(claimed_needs__status=NeedStatus.CLAIMED), distinct=True)


def _claim_limit(network_cap: int):
    """A member's own limit, never above the network's (Member.claim_limit, as SQL)."""
    return Least(Coalesce("max_active_claims", Value(network_cap)), Value(network_cap))


def volunteers_eligible_for(need: Need, *, network_cap: int, weekday: int) -> list:
    """The volunteers who may take ``need`` on today, in one query: vouched and active, not its
    requester, no block either way with them, under their claim limit, available on ``weekday``.

    Ordered by area: the need's own area first, then its neighbors (home area), then everyone
    else, then the fewest needs held.
    """
    members = (
        get_user_model()
        .objects.filter(level=Level.VOUCHED, is_active=True)
        .exclude(pk=need.requester_id)
        .filter(_not_blocked_with(need.requester_id))
        .annotate(held=_held_count(), limit=_claim_limit(network_cap))
        .filter(held__lt=F("limit"))
    )
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


def shown_name(member, *, need: Need | None, viewer, names: bool = True) -> str:
    """How ``member`` is named to ``viewer`` wherever ``need`` (or an event about it) is shown.

    The one rule for handles: the viewer themself is "You"; organizers see every handle; the
    requester of an anonymous need is hidden from everyone else; otherwise the handle, when the
    page may show names at all (``names``), or "A neighbor".
    """
    if member is None:
        return _("A former member")
    if viewer.is_authenticated and member.pk == viewer.pk:
        return _("You")
    if viewer.is_authenticated and viewer.can(Capability.SEE_HANDLES):
        return member.handle
    if need is not None and need.requester_id == member.pk and need.hides_requester_from(viewer):
        return _("The requester (anonymous)")
    return member.handle if names else _("A neighbor")


def need_timeline(need: Need) -> QuerySet[TimelineEvent]:
    return need.events.select_related("actor").order_by("created_at", "pk")


def need_version(need: Need) -> str:
    """A stamp of what the need's page shows, which its open page polls to know when to update.

    Every change a page shows writes a timeline event (a message, a claim, a match and its answer,
    a shared contact, an edit) or moves the status, so the stamp is the status, when it moved and
    the latest event: one small query, nothing decrypted. It is opaque, so the page's URLs carry
    no row ids.
    """
    last_event = need.events.aggregate(last=Max("pk"))["last"]
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
