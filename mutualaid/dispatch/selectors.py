"""Reads for organizers beyond the queues: the relay list of callers without an account, and a
member's page (their needs, claims, offers, vouches, reports and feedback on one page).

Each list is capped or paged and fetched in a fixed number of queries, whatever its size. Reading
private text (a caller's contact, a member's record) leaves a PrivateAccess row, like
aid.selectors.need_private_text does for a need's.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from mutualaid.accounts.models import Member, Notice, ProxyChange, ProxyContact
from mutualaid.accounts.policy import Capability
from mutualaid.aid.models import (
    ENDED,
    AccessKind,
    Claim,
    ClaimEnd,
    Message,
    Need,
    Offer,
    PrivateAccess,
    Proposal,
)
from mutualaid.safety.models import Feedback, Report, Side
from mutualaid.trust.models import Vouch

# A member's page shows this many of each list, newest first ("show more" widens one of them).
MEMBER_PAGE_ROWS = 20
MEMBER_PAGE_MORE = 200


# The relay list ---------------------------------------------------------------------------


def last_sender():
    """Who wrote last in a need's live conversation (a subquery over needs): when it is not the
    caller, a message waits for the organizers to pass on and answer."""
    return Subquery(
        Message.objects.filter(claim__need=OuterRef("pk"), claim__ended_at__isnull=True)
        .order_by("-created_at", "-pk")
        .values("sender_id")[:1]
    )


def replies_waiting() -> QuerySet[Need]:
    """Callers' needs whose volunteer wrote last: a message to read them on the phone."""
    return (
        Need.objects.filter(
            requester__proxy__isnull=False, requester__proxy__taken_over_at__isnull=True
        )
        .exclude(status__in=ENDED)
        .annotate(last_sender_id=last_sender())
        .filter(last_sender_id__isnull=False)
        .exclude(last_sender_id=F("requester_id"))
    )


def relayed_callers() -> QuerySet[ProxyContact]:
    """The callers organizers still speak for, the latest taken in first; each with their needs
    still in the loop (and who wrote last on each) and their unread notices (three queries,
    whatever the number)."""
    return (
        ProxyContact.objects.filter(taken_over_at__isnull=True, member__is_active=True)
        .select_related("member", "member__home_area", "taken_by")
        .prefetch_related(
            Prefetch(
                "member__needs",
                queryset=Need.objects.exclude(status__in=ENDED)
                .annotate(last_sender_id=last_sender())
                .select_related("category", "area", "claimant")
                .order_by("-created_at", "-pk"),
                to_attr="live_needs",
            ),
            Prefetch(
                "member__notices",
                queryset=Notice.objects.filter(read_at__isnull=True).order_by("-created_at", "-pk"),
                to_attr="waiting",
            ),
        )
        .order_by("-created_at", "-pk")
    )


def relay_notices_mark_read(callers) -> int:
    """The callers' notices shown on the relay list are read: an organizer has seen them."""
    ids = [notice.pk for caller in callers for notice in caller.member.waiting]
    if not ids:
        return 0
    return Notice.objects.filter(pk__in=ids, read_at__isnull=True).update(read_at=timezone.now())


def relayed_caller_for(code) -> ProxyContact:
    """A caller organizers speak for, by their member's code; 404 for anyone else."""
    proxy = (
        ProxyContact.objects.select_related("member", "member__home_area", "taken_by")
        .filter(member__code=code, taken_over_at__isnull=True, member__is_active=True)
        .first()
    )
    if proxy is None:
        raise Http404("No such caller")
    return proxy


def relayed_need_for(code) -> Need:
    """A need of a caller organizers speak for; 404 for any other need."""
    need = (
        Need.objects.select_related("category", "area", "requester", "claimant")
        .filter(
            code=code,
            requester__proxy__isnull=False,
            requester__proxy__taken_over_at__isnull=True,
        )
        .first()
    )
    if need is None:
        raise Http404("No such need")
    return need


def caller_contact(proxy: ProxyContact, viewer) -> str:
    """How to reach the caller, for an organizer who takes calls; recorded as read (their
    "shared contact", in their list of who viewed their private details once they take over)."""
    if not viewer.can(Capability.INTAKE):
        return ""
    PrivateAccess.objects.create(
        viewer=viewer, owner=proxy.member, need=None, what=AccessKind.CONTACT
    )
    return proxy.contact


def caller_needs(proxy: ProxyContact, *, limit: int = MEMBER_PAGE_ROWS) -> list[Need]:
    return list(
        Need.objects.filter(requester=proxy.member)
        .select_related("category", "area", "claimant")
        .order_by("-created_at", "-pk")[:limit]
    )


def reference_changes(proxy: ProxyContact, *, limit: int = 5) -> list[ProxyChange]:
    """The latest new reference codes given to the caller: who gave each, and when (one query)."""
    return list(
        ProxyChange.objects.filter(proxy=proxy, action=ProxyChange.Action.NEW_REFERENCE)
        .select_related("actor")
        .defer(*[f"actor__{name}" for name in Member.SEALED])[:limit]
    )


# A member's page for organizers ---------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class MemberRecord:
    """What organizers see of one member, as one viewer may: each list at most ``limit`` rows
    (``more`` says which lists were cut short). Reports and feedback are empty for a viewer whose
    roles do not read them. Its repr names nothing (a debug page may print it)."""

    member: Member
    proxy: ProxyContact | None
    needs: list
    claims: list
    offers: list
    proposals: list
    vouches_given: list
    vouches_received: list
    reports: list | None
    feedback: list | None
    more: frozenset

    def __repr__(self):
        return "<MemberRecord>"


def _capped(queryset, limit):
    rows = list(queryset[: limit + 1])
    return rows[:limit], len(rows) > limit


def member_record(member: Member, viewer, *, more: str = "") -> MemberRecord:
    """A member's record for an organizer's page, written down as read (AccessKind.MEMBER, for the
    member's own list of who viewed their private details). A fixed number of queries: one per
    list, each capped (``more``: the one list shown longer)."""
    if not viewer.can(Capability.VIEW_TRUST):
        raise Http404("No such member")

    def limit(name):
        return MEMBER_PAGE_MORE if more == name else MEMBER_PAGE_ROWS

    lists, cut = {}, set()
    queries = {
        "needs": Need.objects.filter(requester=member)
        .select_related("category", "area", "claimant")
        .order_by("-created_at", "-pk"),
        "claims": Claim.objects.filter(volunteer=member)
        .select_related("need", "need__category", "need__area")
        .order_by("-created_at", "-pk"),
        "offers": Offer.objects.filter(offerer=member).order_by("-created_at", "-pk"),
        "proposals": Proposal.objects.filter(volunteer=member)
        .select_related("need", "proposed_by")
        .order_by("-created_at", "-pk"),
        "vouches_given": Vouch.objects.filter(voucher=member)
        .select_related("vouchee")
        .order_by("-created_at", "-pk"),
        "vouches_received": Vouch.objects.filter(vouchee=member)
        .select_related("voucher")
        .order_by("-created_at", "-pk"),
    }
    if not viewer.can(Capability.SEE_HANDLES):  # an anonymous need stays anonymous to them
        queries["needs"] = queries["needs"].filter(anonymous=False)
    if viewer.can(Capability.READ_REPORTED):
        queries["reports"] = reports_about(member)
    if viewer.can(Capability.MATCH) or viewer.can(Capability.HANDLE_REPORTS):
        queries["feedback"] = feedback_about(member)
    for name, queryset in queries.items():
        lists[name], was_cut = _capped(queryset, limit(name))
        if was_cut:
            cut.add(name)
    proxy = ProxyContact.objects.select_related("taken_by").filter(member=member).first()
    if viewer.pk != member.pk:
        PrivateAccess.objects.create(viewer=viewer, owner=member, need=None, what=AccessKind.MEMBER)
    return MemberRecord(
        member=member,
        proxy=proxy,
        needs=lists["needs"],
        claims=lists["claims"],
        offers=lists["offers"],
        proposals=lists["proposals"],
        vouches_given=lists["vouches_given"],
        vouches_received=lists["vouches_received"],
        reports=lists.get("reports"),
        feedback=lists.get("feedback"),
        more=frozenset(cut),
    )


def reports_about(member: Member) -> QuerySet[Report]:
    """Reports about the member or about what they wrote (a need, an offer, a message)."""
    return (
        Report.objects.filter(
            Q(member=member)
            | Q(need__requester=member)
            | Q(offer__offerer=member)
            | Q(message__sender=member)
        )
        .select_related("reporter", "handled_by")
        .order_by("-created_at", "-pk")
    )


def feedback_about(member: Member) -> QuerySet[Feedback]:
    """What the other side said after a need closed: volunteers about the needs they asked,
    requesters about the needs they closed as done."""
    completed = Claim.objects.filter(volunteer=member, end_reason=ClaimEnd.COMPLETED).values(
        "need_id"
    )
    return (
        Feedback.objects.filter(
            Q(side=Side.VOLUNTEER, need__requester=member)
            | Q(side=Side.REQUESTER, need_id__in=completed)
        )
        .select_related("need", "member")
        .order_by("-created_at", "-pk")
    )


def spoken_languages():
    """(code, name) of each language members may say they speak."""
    return settings.SPOKEN_LANGUAGES


def messages_to_organizers_of(member: Member) -> list[dict]:
    """A member's messages to the organizers, for their own file (privacy's export): what they
    wrote and left, and when it was handled (not by whom), oldest first."""
    from .models import ContactMessage

    return [
        {
            "sent_at": message.created_at,
            "message": message.body,
            "name": message.name,
            "how_to_answer": message.reply_to,
            "handled_at": message.handled_at,
        }
        for message in ContactMessage.objects.filter(sender=member).order_by("created_at", "pk")
    ]
