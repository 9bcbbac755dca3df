"""Reads: what a member may see, and the lists the pages show.

Every page that shows a need or an offer gets it from a helper here, so the access rule lives in one
place. An outsider gets 404, so that not even the existence of a record leaks.
"""

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from mutualaid.safety.models import Block

from .models import (
    Claim,
    ClaimEnd,
    ContactShare,
    Message,
    Need,
    NeedStatus,
    Offer,
    OfferStatus,
    TimelineEvent,
    Urgency,
    Visibility,
)


def needs_visible_to(*, member) -> QuerySet[Need]:
    """Open needs are on the board for every member; the rest only for those involved.

    An organizers-only need is for organizers, its requester and its current volunteer: nobody
    else, not even a volunteer who held it before.
    """
    needs = Need.objects.all()
    if member.is_organizer:
        return needs
    involved = Exists(Claim.objects.filter(need=OuterRef("pk"), volunteer=member))
    return needs.filter(
        Q(requester=member)
        | Q(
            Q(claimant=member)
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


def offers_visible_to(*, member) -> QuerySet[Offer]:
    offers = Offer.objects.all()
    if member.is_organizer:
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
    if not getattr(viewer, "is_organizer", False):
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
    if getattr(viewer, "is_organizer", False):
        return member.handle
    if need is not None and need.requester_id == member.pk and need.hides_requester_from(viewer):
        return _("The requester (anonymous)")
    return member.handle if names else _("A neighbor")


def need_timeline(need: Need) -> QuerySet[TimelineEvent]:
    return need.events.select_related("actor").order_by("created_at", "pk")


def offer_timeline(offer: Offer) -> QuerySet[TimelineEvent]:
    return offer.events.select_related("actor", "need").order_by("created_at", "pk")


def need_messages(need: Need, member) -> list[Message]:
    """The conversations this member may read: all of them for the requester and organizers,
    only their own claim's for a volunteer, and nothing once their claim has ended."""
    if not need.can_see_private(member):
        return []
    messages = Message.objects.filter(claim__need=need).select_related("sender", "claim")
    if not (need.is_requester(member) or member.is_organizer):
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
