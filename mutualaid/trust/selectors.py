"""Reads for the trust pages: the vouch tree, a member's vouches and invitations."""

import uuid
from dataclasses import dataclass, field

from django.db.models import QuerySet

from mutualaid.accounts.models import Member
from mutualaid.accounts.policy import Capability, roles_with

from .models import Invite, TrustEvent, TrustEventKind, Vouch


@dataclass
class TreeNode:
    """One place of a member in the tree: reached through ``vouch`` (None for a root)."""

    member: Member
    depth: int
    vouch: Vouch | None = None
    children: list["TreeNode"] = field(default_factory=list)
    # The member's branch is shown where they first appear; elsewhere it says "see above".
    repeated: bool = False


@dataclass
class VouchTree:
    roots: list[TreeNode]  # approved members, each with the branch they vouched for
    unconnected: list[TreeNode]  # everyone else nobody on the tree vouched for
    size: int


def vouch_tree() -> VouchTree:
    """The whole tree, from two queries whatever its size.

    Roots are the approved members. Under each member come the vouches they gave, oldest first,
    revoked ones included (the tree is kept whole). Members no approved member's branch reaches
    come last, with their own branches.
    """
    members = {
        member.pk: member
        for member in Member.objects.only(
            "code", "handle", "level", "approved_at", "suspended_at", "review_hold_at"
        ).order_by("handle")
    }
    given: dict[int, list[Vouch]] = {}
    for vouch in Vouch.objects.exclude(vouchee=None).order_by("created_at", "pk"):
        vouch.voucher = members.get(vouch.voucher_id)
        vouch.vouchee = members.get(vouch.vouchee_id)
        given.setdefault(vouch.voucher_id, []).append(vouch)

    placed: set[int] = set()

    def grow(member: Member, depth: int, vouch: Vouch | None) -> TreeNode:
        node = TreeNode(member=member, depth=depth, vouch=vouch)
        if member.pk in placed:
            node.repeated = bool(given.get(member.pk))
            return node
        placed.add(member.pk)
        for child in given.get(member.pk, []):
            node.children.append(grow(child.vouchee, depth + 1, child))
        return node

    roots = [grow(m, 0, None) for m in members.values() if m.approved_at is not None]
    vouched = {v.vouchee_id for vouches in given.values() for v in vouches}
    # Members whose vouchers left (or who have none): each starts a branch of its own.
    unconnected = []
    for member in members.values():
        if member.pk not in placed and member.pk not in vouched:
            unconnected.append(grow(member, 0, None))
    for member in members.values():  # a circle of vouches that no branch reaches
        if member.pk not in placed:
            unconnected.append(grow(member, 0, None))
    return VouchTree(roots=roots, unconnected=unconnected, size=len(members))


def vouches_given_by(member) -> QuerySet[Vouch]:
    return Vouch.objects.filter(voucher=member).select_related("vouchee").order_by("-created_at")


def vouches_received_by(member) -> QuerySet[Vouch]:
    return Vouch.objects.filter(vouchee=member).select_related("voucher").order_by("-created_at")


def invites_of(member) -> QuerySet[Invite]:
    return Invite.objects.filter(inviter=member).select_related("used_by").order_by("-created_at")


def invite_by_code(code) -> Invite | None:
    """The invitation a sign-up link names, if there is one (used or not)."""
    try:
        code = uuid.UUID(str(code))
    except ValueError:
        return None
    return Invite.objects.select_related("inviter").filter(code=code).first()


def trust_events_of(member, *, limit: int = 50) -> list[TrustEvent]:
    """A member's trust record, newest first, each event with ``shown_note``: the words to show.

    An event's own note is never private (see ``services.trust_event_record``). The suspension in
    force shows the member's reason, which only the member row keeps, sealed; a lifted suspension's
    reason is gone with it.
    """
    events = list(
        TrustEvent.objects.filter(member=member)
        .select_related("actor")
        .order_by("-created_at", "-pk")[:limit]
    )
    for event in events:
        event.shown_note = event.note
    if member.suspended_at is not None:
        for event in events:  # the newest suspension is the one in force
            if event.kind == TrustEventKind.SUSPENDED:
                if event.created_at >= member.suspended_at:
                    event.shown_note = member.suspension_reason
                break
    return events


def organizers_who_approve():
    """The organizers a newcomer can turn to: those whose roles approve members, by handle."""
    return list(
        Member.objects.filter(
            role_grants__removed_at__isnull=True,
            role_grants__role__in=roles_with(Capability.APPROVE),
            is_active=True,
        )
        .distinct()
        .order_by("handle")
        .values_list("handle", flat=True)
    )
