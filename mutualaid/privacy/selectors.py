"""Reads about one member's private footprint, for that member only: who opened their private
text, and everything they may download about themselves."""

from collections.abc import Callable

from django.db.models import Q, QuerySet
from django.utils import timezone

from mutualaid.accounts.models import Member
from mutualaid.accounts.selectors import notices_for
from mutualaid.aid.models import (
    Claim,
    ContactShare,
    Message,
    Need,
    NeedNote,
    NoteKind,
    Offer,
    PrivateAccess,
)

ANONYMOUS = "anonymous"  # how an anonymous requester appears to their volunteer

# Parts of a member's file kept by apps above this one (dispatch: their messages to the
# organizers): each registers, in its ready(), the part's name and how to read it for a member.
EXPORT_PARTS: dict[str, Callable[[Member], list]] = {}


def export_part_register(name: str, read: Callable[[Member], list]) -> None:
    EXPORT_PARTS[name] = read


def private_accesses_for(member: Member) -> QuerySet[PrivateAccess]:
    """Who opened this member's private text, newest first."""
    return (
        PrivateAccess.objects.filter(owner=member)
        .select_related("viewer", "need")
        .order_by("-created_at", "-pk")
    )


def _handle(member: Member | None) -> str | None:
    return member.handle if member is not None else None


def member_export(member: Member) -> dict:
    """Everything the member posted and was sent, and of other people nothing but handles.

    A volunteer gets the messages they received only while their claim is live (as on the need's
    page); what they sent is theirs for good. An anonymous requester is "anonymous" to them.
    """
    return {
        "exported_at": timezone.now(),
        "member": {
            "handle": member.handle,
            "email": member.email,
            "home_area": member.home_area.name if member.home_area_id else None,
            "date_joined": member.date_joined,
            "language": member.language,
            "languages_spoken": member.languages,
        },
        "needs": [_need(need) for need in _needs(member)],
        "offers": [_offer(offer) for offer in _offers(member)],
        "claims": [_claim(claim) for claim in _claims(member)],
        "messages": [_message(message, member) for message in _messages(member)],
        "contacts_shared": [_contact(share) for share in _contacts(member)],
        "questions_from_organizers": [_question(note) for note in _questions(member)],
        "notices": [
            {"text": n.text, "created_at": n.created_at, "read_at": n.read_at}
            for n in notices_for(member)
        ],
        "private_access": [_access(access) for access in private_accesses_for(member)],
        **{name: read(member) for name, read in sorted(EXPORT_PARTS.items())},
    }


def _needs(member):
    return (
        Need.objects.filter(requester=member)
        .select_related("category", "area", "claimant")
        .order_by("created_at", "pk")
    )


def _need(need: Need) -> dict:
    return {
        "code": need.code,
        "summary": need.summary,
        "category": need.category.name,
        "area": need.area.name,
        "urgency": need.urgency,
        "status": need.status,
        "visibility": need.visibility,
        "anonymous": need.anonymous,
        "needed_by": need.needed_by,
        "created_at": need.created_at,
        "status_changed_at": need.status_changed_at,
        "private_details": need.details,
        "priority": need.priority,
        "declined_because": need.decline_reason,
        "volunteer": _handle(need.claimant),
    }


def _offers(member):
    return (
        Offer.objects.filter(offerer=member)
        .prefetch_related("categories", "areas")
        .order_by("created_at", "pk")
    )


def _offer(offer: Offer) -> dict:
    return {
        "code": offer.code,
        "summary": offer.summary,
        "kind": offer.kind,
        "status": offer.status,
        "categories": [category.name for category in offer.categories.all()],
        "areas": [area.name for area in offer.areas.all()],
        "available_days": offer.day_names(),
        "created_at": offer.created_at,
        "status_changed_at": offer.status_changed_at,
    }


def _claims(member):
    return (
        Claim.objects.filter(volunteer=member).select_related("need").order_by("created_at", "pk")
    )


def _claim(claim: Claim) -> dict:
    return {
        "code": claim.code,
        "need_summary": claim.need.summary,
        "need_status": claim.need.status,
        "created_at": claim.created_at,
        "ended_at": claim.ended_at,
        "end_reason": claim.end_reason,
    }


def _messages(member):
    mine = Q(sender=member)
    to_my_needs = Q(claim__need__requester=member)
    to_my_live_claims = Q(claim__volunteer=member, claim__ended_at__isnull=True)
    return (
        Message.objects.filter(mine | to_my_needs | to_my_live_claims)
        .select_related("sender", "claim", "claim__need")
        .order_by("created_at", "pk")
    )


def _message(message: Message, member: Member) -> dict:
    need = message.claim.need
    if message.sender_id == member.pk:
        sender = member.handle
    elif need.anonymous and need.requester_id != member.pk:
        sender = ANONYMOUS  # the member is the volunteer; the requester chose to stay unnamed
    else:
        sender = _handle(message.sender)
    return {
        "need_summary": need.summary,
        "conversation": message.claim.code,
        "from": sender,
        "sent_by_me": message.sender_id == member.pk,
        "body": message.body,
        "sent_at": message.created_at,
    }


def _questions(member):
    """What organizers asked about the member's needs during triage, and their answers (never
    the organizers' internal notes)."""
    return (
        NeedNote.objects.filter(
            need__requester=member, kind__in=[NoteKind.QUESTION, NoteKind.ANSWER]
        )
        .select_related("need")
        .order_by("created_at", "pk")
    )


def _question(note: NeedNote) -> dict:
    return {
        "need_summary": note.need.summary,
        "kind": note.kind,
        "body": note.body,
        "written_at": note.created_at,
    }


def _contacts(member):
    return (
        ContactShare.objects.filter(claim__need__requester=member)
        .select_related("claim", "claim__need", "claim__volunteer")
        .order_by("created_at", "pk")
    )


def _contact(share: ContactShare) -> dict:
    return {
        "need_summary": share.claim.need.summary,
        "shared_with": _handle(share.claim.volunteer),
        "kind": share.kind,
        "value": share.value,
        "shared_at": share.created_at,
    }


def _access(access: PrivateAccess) -> dict:
    return {
        "viewer": _handle(access.viewer),
        "what": access.what,
        "need_summary": access.need.summary if access.need_id else None,
        "at": access.created_at,
    }
