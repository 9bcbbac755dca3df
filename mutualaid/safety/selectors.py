"""Reads for safety: what a member may report or block, the safety queue, a member's blocks."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from mutualaid.accounts.models import Block
from mutualaid.accounts.policy import Capability
from mutualaid.aid.models import Message, Need
from mutualaid.aid.selectors import need_for_member, needs_visible_to

from .models import Feedback, Report, ReportStatus


def message_for_member(member, code) -> Message:
    """A message the member can read on its need's page; anyone else gets 404."""
    message = Message.objects.select_related("sender", "claim").filter(code=code).first()
    if message is None:
        raise Http404("No such message")
    need = needs_visible_to(member=member).filter(pk=message.claim.need_id).first()
    if need is None or not need.can_see_private(member):
        raise Http404("No such message")
    claim = message.claim
    own_live_claim = claim.volunteer_id == member.pk and claim.ended_at is None
    if not (need.is_requester(member) or member.can(Capability.READ_PRIVATE) or own_live_claim):
        raise Http404("No such message")
    message.claim.need = need
    return message


def _reports() -> QuerySet[Report]:
    return Report.objects.select_related(
        "reporter",
        "member",
        "need__requester",
        "offer__offerer",
        "message__sender",
        "message__claim__need",
        "handled_by",
    )


def report_queue() -> QuerySet[Report]:
    """Open reports, oldest first: the safety officers' queue."""
    return _reports().filter(status=ReportStatus.OPEN).order_by("created_at", "pk")


def report_for_officer(code) -> Report:
    report = _reports().filter(code=code).first()
    if report is None:
        raise Http404("No such report")
    return report


def blocks_of(member) -> QuerySet[Block]:
    return Block.objects.filter(blocker=member).order_by("-created_at", "-pk")


def block_of(member, code) -> Block:
    block = Block.objects.filter(blocker=member, code=code).first()
    if block is None:
        raise Http404("No such block")
    return block


def need_for_feedback(member, code) -> Need:
    """A need ``member`` answers the follow-up for: its requester, or the volunteer who closed it
    (who may no longer see an organizers-only need on its page). Anyone else who can see the need
    gets 403; the rest, 404."""
    need = Need.objects.select_related("requester").filter(code=code).first()
    if need is not None and (need.is_requester(member) or need.asks_feedback_of(member)):
        return need
    need_for_member(member, code)  # 404 if they may not know it exists
    raise PermissionDenied


def feedback_for_organizers() -> QuerySet[Feedback]:
    """Every follow-up answer, newest first: the organizers' page (one query per page)."""
    return Feedback.objects.select_related("need", "member", "report").order_by(
        "-created_at", "-pk"
    )


def feedback_given(need, side) -> bool:
    return Feedback.objects.filter(need=need, side=side).exists()
