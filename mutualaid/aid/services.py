"""Every write to a need, an offer, a claim or a message.

Each service runs in one transaction and writes its timeline event in that same transaction. Status
changes are compare-and-set: ``UPDATE ... WHERE status IN (expected)`` must change exactly one row,
so two people acting at the same moment can never both win.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from mutualaid.accounts.policy import Capability
from mutualaid.accounts.services import notify
from mutualaid.lib import events, idempotency, ratelimit
from mutualaid.lib.dates import WEEKDAYS_PLURAL
from mutualaid.lib.doxxing import OFFER_ADVICE, PUBLIC_NAME_ADVICE, guard_public_text
from mutualaid.lib.refusal import Refusal
from mutualaid.network.models import NetworkSettings

from .models import (
    CHECK_IN,
    CONTACT_MAX,
    DETAILS_MAX,
    ENDED,
    MESSAGE_MAX,
    NEED_TRANSITIONS,
    SUMMARY_MAX,
    Category,
    CategoryAction,
    CategoryChange,
    Claim,
    ClaimEnd,
    ContactKind,
    ContactShare,
    EventKind,
    Message,
    Need,
    NeedNote,
    NeedStatus,
    Offer,
    OfferKind,
    OfferStatus,
    Priority,
    Proposal,
    ProposalAnswer,
    Recurrence,
    TimelineEvent,
    Urgency,
    Visibility,
    queue_at,
)
from .selectors import has_blocked, live_claim, volunteer_refusal


def _record(kind, *, actor, need=None, offer=None, offer_id=None, claim=None) -> TimelineEvent:
    return TimelineEvent.objects.create(
        kind=kind,
        actor=actor,
        need=need,
        offer_id=offer_id or (offer.pk if offer else None),
        claim=claim,
    )


def _record_together(*events: TimelineEvent) -> None:
    """Events of one moment (a need posted, and taken in by an organizer), in one INSERT."""
    TimelineEvent.objects.bulk_create(events)


def _move(need: Need, action: str, *, refusal: str, held_by=None, **fields) -> None:
    """Compare-and-set the need's status by the table (NEED_TRANSITIONS[action]); refuse if
    someone else changed it first.

    ``held_by``: the change is only for the volunteer holding the need now, so a volunteer whose
    claim ended (on a page loaded before) cannot act on the next volunteer's claim.
    """
    move = NEED_TRANSITIONS[action]
    to = move.target
    now = timezone.now()
    current = Need.objects.filter(pk=need.pk, status__in=move.sources)
    if held_by is not None:
        current = current.filter(claimant=held_by)
    changed = current.update(status=to, status_changed_at=now, **fields)
    if changed != 1:
        raise Refusal(refusal, code="stale")
    need.status = to
    need.status_changed_at = now
    for name, value in fields.items():
        setattr(need, name, value)
    if to == NeedStatus.OPEN:  # back on the board: released, declined, lapsed, reopened...
        events.emit(NEED_OPENED, need_id=need.pk, posted=False)


def _end_claim(need: Need, reason: str) -> Claim | None:
    """End the live claim; the contact the requester shared with that volunteer ends with it."""
    claim = live_claim(need)
    if claim is not None:
        claim.ended_at = timezone.now()
        claim.end_reason = reason
        claim.save(update_fields=["ended_at", "end_reason"])
        ContactShare.objects.filter(claim=claim).delete()
    return claim


def _refuse_suspended(member) -> None:
    """A suspended member may only read (see mutualaid/trust)."""
    if member is not None and member.is_suspended():
        raise Refusal(
            _("Your account is suspended: you can read your notices and download your data."),
            code="suspended",
        )


def _notify_need(member, kind: str, need: Need) -> None:
    """Tell one of the need's people; only its public summary and code travel."""
    notify(member=member, kind=kind, summary=need.summary, need=need.code)


def _newcomer_post_limit(member) -> None:
    """Needs and offers posted by a newcomer count together, per day; a vouched member or an
    organizer is free."""
    if member.is_vouched() or member.is_organizer:
        return
    ratelimit.enforce("newcomer-posts", str(member.code))


def public_summary(text: str, *, advice=None, network: NetworkSettings | None = None) -> str:
    """A summary as the board may show it: the doxxing guard, length first (Refusal if not).
    ``network``: the network's settings, when the caller has read them already."""
    region = (network or NetworkSettings.load()).phone_region
    return guard_public_text(text, max_length=SUMMARY_MAX, advice=advice, region=region)


def _refuse_long_details(details) -> None:
    """What the need's form checks, met here too (an API call, an import): private details of at
    most DETAILS_MAX characters."""
    if details and len(details) > DETAILS_MAX:
        raise Refusal(
            _("Keep the private details to %(max)d characters.") % {"max": DETAILS_MAX},
            code="too_long",
            field="details",
        )


# Emitted on commit when a need is on the board: ``need_id`` and ``posted`` (a new need, not one
# back on the board). The notifications app tells the volunteers and organizers who should hear.
NEED_OPENED = "aid.need_opened"
# Emitted on commit when a new need waits for triage (``need_id``): the triagers hear of it.
NEED_AWAITS_TRIAGE = "aid.need_awaits_triage"

STALE = gettext_lazy("This need has just changed. The page now shows where it stands.")


# The choices need_post takes, as sets (an enum's ``values`` is a new list each time it is read).
URGENCIES = frozenset(Urgency.values)
VISIBILITIES = frozenset(Visibility.values)
RECURRENCES = frozenset(Recurrence.values)
PRIORITIES = frozenset(Priority.values)


def need_post(
    *,
    requester,
    category,
    area,
    summary,
    details="",
    urgency,
    needed_by=None,
    visibility=Visibility.MEMBERS,
    anonymous=False,
    recurrence=Recurrence.NONE,
    follows=None,
    priority=Priority.NORMAL,
    taken_in_by=None,
    idempotency_key=None,
    announce=True,
    network: NetworkSettings | None = None,
) -> Need:
    """``recurrence``: the need repeats, and the next is posted when it closes as done
    (``follows``: the one it is the next of; see _post_next).

    When the network sends new needs to triage first, a new need waits in the triagers' queue
    (the next of a repeating need was triaged already, and goes straight to the board).

    ``taken_in_by``: an organizer recorded it for a neighbor who phoned (proxy intake, see
    dispatch.intake): the newcomers' limit counts against the organizer (who is free of it), not
    the caller, and the timeline says who took the call.

    ``idempotency_key``: the posting form's one-time key (lib.idempotency). The same form sent
    again returns the need it posted, marked ``replayed``, and posts nothing.

    ``announce``: False for a group's backlog moved over from a spreadsheet (mutualaid/
    spreadsheets): the need goes on the board (or to triage) like any other, but no
    NEED_OPENED / NEED_AWAITS_TRIAGE event tells volunteers and organizers of each, one by one.

    ``network``: the network's settings (its phone region, triage first), read once by a caller
    that posts many (an import); else read here, once."""
    summary, network = _need_checked(
        requester=requester,
        summary=summary,
        details=details,
        urgency=urgency,
        visibility=visibility,
        recurrence=recurrence,
        priority=priority,
        taken_in_by=taken_in_by,
        network=network,
    )
    # Where a form sent again finds the need it posted; without a key, nothing to find.
    mine = Need.objects.filter(requester=requester) if idempotency_key is not None else None
    posted = idempotency.earlier(mine, idempotency_key)
    if posted is not None:
        return posted
    _newcomer_post_limit(taken_in_by or requester)
    triage = follows is None and network.triage_first

    def post() -> Need:
        need = _new_need(
            triage=triage,
            priority=priority,
            requester=requester,
            category=category,
            area=area,
            summary=summary,
            details=details,
            urgency=urgency,
            needed_by=needed_by,
            visibility=visibility,
            anonymous=anonymous,
            recurrence=recurrence,
            follows=follows,
            idempotency_key=idempotency_key,
        )
        need.save(force_insert=True)
        _record_together(*_posted_events(need, taken_in_by=taken_in_by))
        if announce and triage:
            events.emit(NEED_AWAITS_TRIAGE, need_id=need.pk)
        elif announce:
            events.emit(NEED_OPENED, need_id=need.pk, posted=True)
        return need

    return idempotency.create_once(mine, idempotency_key, post)


def _need_checked(
    *, requester, summary, details, urgency, visibility, recurrence, priority, taken_in_by, network
) -> tuple[str, NetworkSettings]:
    """need_post's rules, met before anything is looked up or written (NeedBatch meets the same):
    who may record a need for another, a suspended requester, the doxxing guard on the summary,
    the details' length, the choices. Returns (the summary as the board shows it, the network's
    settings: those handed in, or read here)."""
    if taken_in_by is not None and not taken_in_by.can(Capability.INTAKE):
        raise Refusal(
            _("Only organizers who take calls record needs for others."), code="forbidden"
        )
    _refuse_suspended(requester)
    network = network or NetworkSettings.load()
    summary = public_summary(summary, network=network)
    _refuse_long_details(details)
    if (
        urgency not in URGENCIES
        or visibility not in VISIBILITIES
        or recurrence not in RECURRENCES
        or priority not in PRIORITIES
    ):
        raise Refusal(_("Choose one of the options listed."), code="invalid")
    return summary, network


def _new_need(*, triage: bool, urgency, priority, **fields) -> Need:
    """A new need as need_post writes it (unsaved): on the board, or waiting for triage."""
    now = timezone.now()
    return Need(
        status=NeedStatus.TRIAGE if triage else NeedStatus.OPEN,
        created_at=now,
        status_changed_at=now,
        urgency=urgency,
        priority=priority,
        queue_at=queue_at(now, urgency, priority),
        **fields,
    )


def _posted_events(need: Need, *, taken_in_by) -> list[TimelineEvent]:
    """A new need's timeline: posted by its requester, and taken in by the organizer if one
    recorded it for them."""
    timeline = [TimelineEvent(kind=EventKind.NEED_POSTED, actor=need.requester, need=need)]
    if taken_in_by is not None:
        timeline.append(TimelineEvent(kind=EventKind.NEED_TAKEN_IN, actor=taken_in_by, need=need))
    return timeline


class NeedBatch:
    """Needs an organizer who takes calls records many at once (an import of a request form's
    export), as need_post records one with ``taken_in_by`` and ``announce=False``: each meets
    need_post's rules and limit as it is added (``add``: a Refusal, and nothing kept, if not),
    and ``write`` writes them all, with their timeline rows, in a few INSERTs inside the caller's
    transaction. A requester may be a member not saved yet (a new caller), saved before
    ``write``. No event tells of each need (an import's backlog)."""

    def __init__(self, *, taken_in_by, network: NetworkSettings | None = None):
        self.taken_in_by = taken_in_by
        self.network = network
        self.needs: list[Need] = []

    def add(
        self,
        *,
        requester,
        category,
        area,
        summary,
        details="",
        urgency,
        needed_by=None,
        visibility=Visibility.MEMBERS,
    ) -> Need:
        """The need as it will be written (unsaved, with its code), or a Refusal."""
        summary, self.network = _need_checked(
            requester=requester,
            summary=summary,
            details=details,
            urgency=urgency,
            visibility=visibility,
            recurrence=Recurrence.NONE,
            priority=Priority.NORMAL,
            taken_in_by=self.taken_in_by,
            network=self.network,
        )
        _newcomer_post_limit(self.taken_in_by)
        need = _new_need(
            triage=self.network.triage_first,  # never the next of a repeating need
            priority=Priority.NORMAL,
            requester=requester,
            category=category,
            area=area,
            summary=summary,
            details=details,
            urgency=urgency,
            needed_by=needed_by,
            visibility=visibility,
        )
        self.needs.append(need)
        return need

    def write(self) -> list[Need]:
        Need.objects.bulk_create(self.needs)
        TimelineEvent.objects.bulk_create(
            [
                event
                for need in self.needs
                for event in _posted_events(need, taken_in_by=self.taken_in_by)
            ]
        )
        return self.needs


EDITABLE = ("category", "area", "summary", "details", "urgency", "needed_by")
# A need its requester may still change: on the board, or waiting for triage.
EDITABLE_IN = frozenset({NeedStatus.OPEN, NeedStatus.TRIAGE})


def need_edit(*, need: Need, member, **values) -> list[str]:
    """The requester changes their open need; the summary meets the doxxing guard again.

    Only the fields in EDITABLE; returns the names of those that changed (the timeline says that
    it was edited, never the words). Nothing changed: nothing written.
    """
    if not need.is_requester(member):
        raise Refusal(_("Only the person who posted this need can change it."), code="forbidden")
    _refuse_suspended(member)
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    if "summary" in values:
        values["summary"] = public_summary(values["summary"])
    if "urgency" in values and values["urgency"] not in Urgency.values:
        raise Refusal(_("Choose one of the options listed."), code="invalid")
    _refuse_long_details(values.get("details"))
    with transaction.atomic():
        fresh = Need.objects.select_for_update().get(pk=need.pk)
        if fresh.status not in EDITABLE_IN:
            raise Refusal(
                _("Only an open need can be changed: this one has been taken on or has ended."),
                code="stale",
            )
        changed = [name for name, value in values.items() if getattr(fresh, name) != value]
        if not changed:
            return []
        for name in changed:
            setattr(fresh, name, values[name])
        saved = list(changed)
        if "urgency" in changed:
            fresh.queue_at = queue_at(fresh.created_at, fresh.urgency, fresh.priority)
            need.queue_at = fresh.queue_at
            saved.append("queue_at")
        fresh.save(update_fields=saved)
        _record(EventKind.NEED_EDITED, actor=member, need=fresh)
    for name in changed:
        setattr(need, name, values[name])
    return changed


def need_repost(*, need: Need, member) -> Need:
    """An expired or cancelled need, posted again as it was (without its needed-by date): one
    click for the requester. The old need's timeline says it was posted again."""
    if not need.is_requester(member):
        raise Refusal(
            _("Only the person who posted this need can post it again."), code="forbidden"
        )
    if need.status not in (NeedStatus.EXPIRED, NeedStatus.CANCELLED):
        raise Refusal(
            _("Only a need that expired or was cancelled can be posted again."), code="stale"
        )
    if need.purged_at is not None:
        raise Refusal(
            _("This need is too old to post again: its details are gone. Post a new one."),
            code="stale",
        )
    with transaction.atomic():
        again = need_post(
            requester=member,
            category=need.category,
            area=need.area,
            summary=need.summary,
            details=need.details,
            urgency=need.urgency,
            visibility=need.visibility,
            anonymous=need.anonymous,
            recurrence=need.recurrence,
        )
        _record(EventKind.NEED_REPOSTED, actor=member, need=need)
    return again


def _check_volunteer_limits(need: Need, member, *, actor=None) -> None:
    """Refuse a claim beyond the volunteer's limits (how many needs at once, and on which days),
    or between two members either of whom blocked the other.

    Call it inside the claim's transaction: it locks the volunteer's row, so that two claims by the
    same volunteer at the same moment are counted one after the other. ``actor``: who is giving
    them the need, when that is someone else (an organizer, a requester taking up an offer).
    Needs marked done no longer count: the work is finished.
    """
    fresh = get_user_model().objects.select_for_update().get(pk=member.pk)
    someone_else = actor is not None and actor != member
    cap = NetworkSettings.load().max_active_claims
    today = timezone.localtime(timezone.now(), timezone.get_default_timezone()).weekday()
    why = volunteer_refusal(need, fresh, network_cap=cap, weekday=today)
    if why == "blocked":
        # Blocking is silent: the blocked member is told what anyone who came too late is told.
        raise Refusal(_taken_text(), code="taken")
    if why == "claim_limit":
        held = Need.objects.filter(claimant=member, status=NeedStatus.CLAIMED).count()
        if someone_else:
            raise Refusal(
                ngettext(
                    "%(handle)s already holds %(count)d need, their limit. Choose someone else.",
                    "%(handle)s already holds %(count)d needs, their limit. Choose someone else.",
                    held,
                )
                % {"handle": member.handle, "count": held},
                code="claim_limit",
            )
        raise Refusal(
            ngettext(
                "You already hold %(count)d need, your limit. Finish or release it first; "
                "you can change your limit on your account page.",
                "You already hold %(count)d needs, your limit. Finish or release one first; "
                "you can change your limit on your account page.",
                held,
            )
            % {"count": held},
            code="claim_limit",
        )
    if why == "unavailable":
        if someone_else:
            raise Refusal(
                _("%(handle)s said they're not available on %(days)s. Choose someone else.")
                % {"handle": member.handle, "days": WEEKDAYS_PLURAL[today]},
                code="unavailable",
            )
        raise Refusal(
            _(
                "You said you're not available on %(days)s. Change your days on your account "
                "page to take this on."
            )
            % {"days": WEEKDAYS_PLURAL[today]},
            code="unavailable",
        )


def _closed_text():
    return _("This need is no longer open, so it cannot be claimed.")


def _taken_text():
    return _("Someone just took this need. Thank you for offering: there are others on the board.")


def _refuse_unless_may_take(need: Need, member) -> None:
    """The member's standing lets them take ``need`` on: the checks a claim, a proposal and its
    acceptance share (a block either way and the volunteer's limits are checked inside their
    transaction, by _check_volunteer_limits)."""
    if need.is_requester(member):
        raise Refusal(_("You posted this need, so you cannot claim it."), code="own_need")
    if not member.is_vouched():
        raise Refusal(
            _(
                "Taking on needs is for vouched members. Ask someone who knows you to vouch "
                "for you, or an organizer to approve you."
            ),
            code="not_vouched",
        )
    if need.status in ENDED:
        raise Refusal(_closed_text(), code="closed")


def _take(need: Need, action: str, **fields) -> None:
    """Compare-and-set an open need by ``action``; if it is not open any more, say why."""
    try:
        _move(need, action, refusal=_taken_text(), **fields)
    except Refusal:
        status = Need.objects.filter(pk=need.pk).values_list("status", flat=True).first()
        if status in ENDED:
            raise Refusal(_closed_text(), code="closed") from None
        if status == NeedStatus.PROPOSED:
            raise Refusal(
                _("This need has just been proposed to a volunteer: it waits for their answer."),
                code="proposed",
            ) from None
        raise Refusal(_taken_text(), code="taken") from None


def _new_claim(need: Need, member, *, offer_id=None) -> Claim:
    try:
        with transaction.atomic():
            return Claim.objects.create(
                need=need,
                volunteer=member,
                offer_id=offer_id,
                created_at=need.status_changed_at,
                progress_at=need.status_changed_at,
            )
    except IntegrityError:  # the unique live-claim constraint: belt and braces
        raise Refusal(_taken_text(), code="taken") from None


def need_claim(*, need: Need, member) -> Claim:
    """Give ``member`` the exclusive hold on an open need they chose themself.

    When someone else chooses them (an organizer's match, a requester taking up their offer) they
    are asked first: see need_assign, need_match_offer and need_proposal_accept.
    """
    _refuse_unless_may_take(need, member)
    with transaction.atomic():
        _check_volunteer_limits(need, member)
        _take(need, "claim", claimant=member)
        claim = _new_claim(need, member)
        _record(EventKind.NEED_CLAIMED, actor=member, need=need, claim=claim)
        _notify_need(need.requester, "need_claimed", need)
    return claim


def _propose(need: Need, volunteer, *, action: str, by, offer: Offer | None = None) -> Proposal:
    """Put an open need to one volunteer, who has the network's proposal hours to answer."""
    _refuse_unless_may_take(need, volunteer)
    with transaction.atomic():
        _check_volunteer_limits(need, volunteer, actor=by)
        _take(need, action)
        now = need.status_changed_at
        hours = NetworkSettings.load().proposal_hours
        try:
            with transaction.atomic():
                proposal = Proposal.objects.create(
                    need=need,
                    volunteer=volunteer,
                    offer=offer,
                    proposed_by=by,
                    created_at=now,
                    deadline=now + timedelta(hours=hours),
                )
        except IntegrityError:  # the unique live-proposal constraint: belt and braces
            raise Refusal(_taken_text(), code="taken") from None
        if offer is not None:
            _record(EventKind.NEED_MATCHED, actor=by, need=need, offer=offer)
            _notify_need(volunteer, "offer_proposed", need)
        elif action == "offer_again":
            _record(EventKind.NEED_OFFERED_AGAIN, actor=None, need=need)
            _notify_need(volunteer, "recurring_proposed", need)
        else:
            _record(EventKind.NEED_ASSIGNED, actor=by, need=need)
            _notify_need(volunteer, "match_proposed", need)
    return proposal


def need_assign(*, need: Need, volunteer, organizer) -> Proposal:
    """An organizer matches an open need with a volunteer: the volunteer is asked, and holds it
    once they accept (need_proposal_accept).

    This is how organizers-only needs are met: nobody else sees them to claim them.
    """
    if not organizer.can(Capability.MATCH):
        raise Refusal(
            _("Only organizers who match needs can match a need with a volunteer."),
            code="forbidden",
        )
    if volunteer is None or not volunteer.is_active:
        raise Refusal(_("No active member has that handle."), code="unknown_member")
    if need.is_requester(volunteer):
        raise Refusal(
            _("That is the person who posted this need: choose someone who can help them."),
            code="own_need",
        )
    return _propose(need, volunteer, action="assign", by=organizer)


def _answer(proposal: Proposal, answer: str) -> None:
    """Compare-and-set: the proposal is still waiting, and now it is answered."""
    now = timezone.now()
    changed = Proposal.objects.filter(pk=proposal.pk, answered_at__isnull=True).update(
        answered_at=now, answer=answer
    )
    if changed != 1:
        raise Refusal(STALE, code="stale")
    proposal.answered_at, proposal.answer = now, answer


def _proposal_for(need: Need, member) -> Proposal:
    """The live proposal to ``member``, read now (the need may be as a page loaded it)."""
    proposal = (
        Proposal.objects.filter(need=need, answered_at__isnull=True)
        .select_related("proposed_by")
        .first()
    )
    if proposal is None or proposal.volunteer_id != member.pk:
        raise Refusal(_("This need is not waiting for your answer."), code="stale")
    return proposal


def _tell_proposal_ended(need: Need, proposal: Proposal, kind: str) -> None:
    """The requester and whoever proposed it hear the answer (once, if they are the same)."""
    people = {need.requester_id: need.requester, proposal.proposed_by_id: proposal.proposed_by}
    for person in people.values():
        _notify_need(person, kind, need)


def need_proposal_accept(*, need: Need, member) -> Claim:
    """The volunteer asked accepts: the same checks and compare-and-set as a claim."""
    proposal = _proposal_for(need, member)
    _refuse_suspended(member)
    _refuse_unless_may_take(need, member)
    with transaction.atomic():
        _check_volunteer_limits(need, member)
        _answer(proposal, ProposalAnswer.ACCEPTED)
        _move(need, "accept", refusal=STALE, claimant=member)
        claim = _new_claim(need, member, offer_id=proposal.offer_id)
        _record(
            EventKind.PROPOSAL_ACCEPTED,
            actor=member,
            need=need,
            offer_id=proposal.offer_id,
            claim=claim,
        )
        _notify_need(need.requester, "need_claimed", need)
        if proposal.proposed_by_id not in (None, need.requester_id):
            _notify_need(proposal.proposed_by, "proposal_accepted", need)
    return claim


def need_proposal_decline(*, need: Need, member) -> None:
    """The volunteer asked says no: the need is free again (on the board, or with the organizers
    for an organizers-only need)."""
    proposal = _proposal_for(need, member)
    with transaction.atomic():
        _answer(proposal, ProposalAnswer.DECLINED)
        _move(need, "decline", refusal=STALE)
        _record(EventKind.PROPOSAL_DECLINED, actor=member, need=need, offer_id=proposal.offer_id)
        _tell_proposal_ended(need, proposal, "proposal_declined")


def proposals_expire(*, now=None) -> int:
    """Proposals unanswered by their deadline lapse: the need is free again, and its requester,
    its proposer and the volunteer are told."""
    now = now or timezone.now()
    due = Proposal.objects.filter(answered_at__isnull=True, deadline__lte=now).select_related(
        "need", "need__requester", "volunteer", "proposed_by"
    )
    done = 0
    for proposal in list(due.order_by("pk")):
        need = proposal.need
        try:
            with transaction.atomic():
                _answer(proposal, ProposalAnswer.EXPIRED)
                _move(need, "lapse", refusal=STALE)
                _record(
                    EventKind.PROPOSAL_EXPIRED, actor=None, need=need, offer_id=proposal.offer_id
                )
                _tell_proposal_ended(need, proposal, "proposal_expired")
                notify(member=proposal.volunteer, kind="proposal_lapsed", summary=need.summary)
        except Refusal:
            continue  # answered in the meantime
        done += 1
    return done


def _proposal_withdraw(need: Need) -> Proposal | None:
    """End the need's live proposal, if any (the need was cancelled or hidden, or its volunteer
    can no longer take it); the volunteer is told that no answer is needed."""
    proposal = (
        Proposal.objects.filter(need=need, answered_at__isnull=True)
        .select_related("volunteer", "proposed_by")
        .first()
    )
    if proposal is None:
        return None
    _answer(proposal, ProposalAnswer.WITHDRAWN)
    notify(member=proposal.volunteer, kind="proposal_withdrawn", summary=need.summary)
    return proposal


def proposals_withdraw_for(*, member) -> int:
    """Every proposal waiting for ``member`` lapses (they left, or were suspended): each need is
    free again, and its requester and proposer are told. Returns how many."""
    waiting = Proposal.objects.filter(volunteer=member, answered_at__isnull=True)
    done = 0
    for need in list(Need.objects.filter(proposals__in=waiting).select_related("requester")):
        with transaction.atomic():
            proposal = _proposal_withdraw(need)
            if proposal is None:
                continue
            _move(need, "lapse", refusal=STALE)
            _record(EventKind.PROPOSAL_WITHDRAWN, actor=None, need=need)
            _tell_proposal_ended(need, proposal, "proposal_declined")
        done += 1
    return done


def need_release(*, need: Need, member, leaving=False) -> None:
    """The volunteer gives the need back: it returns to the board.

    ``leaving``: the volunteer is leaving the network. A need they marked done that its requester
    has not confirmed cannot keep them either, so it goes back too and the requester decides again.
    """
    if not need.is_claimant(member):
        raise Refusal(
            _("Only the volunteer who claimed this need can release it."), code="forbidden"
        )
    with transaction.atomic():
        _move(
            need,
            "drop" if leaving else "release",
            refusal=STALE,
            held_by=member,
            claimant=None,
        )
        claim = _end_claim(need, ClaimEnd.RELEASED)
        _record(EventKind.CLAIM_RELEASED, actor=member, need=need, claim=claim)
        _notify_need(need.requester, "volunteer_left" if leaving else "need_released", need)


def needs_release_held(*, member) -> int:
    """Everything ``member`` holds goes back on the board (they left, or were suspended); each
    requester is told. Returns how many."""
    done = 0
    for need in list(Need.objects.filter(claimant=member).select_related("requester")):
        need_release(need=need, member=member, leaving=True)
        done += 1
    return done + proposals_withdraw_for(member=member)


def need_mark_fulfilled(*, need: Need, member) -> None:
    if not need.is_claimant(member):
        raise Refusal(
            _("Only the volunteer who claimed this need can mark it done."), code="forbidden"
        )
    with transaction.atomic():
        _move(need, "fulfil", refusal=STALE, held_by=member)
        _record(EventKind.NEED_FULFILLED, actor=member, need=need, claim=live_claim(need))
        _notify_need(need.requester, "need_fulfilled", need)


def need_confirm(*, need: Need, member) -> None:
    if not need.is_requester(member):
        raise Refusal(
            _("Only the person who posted this need can confirm it."), code="forbidden"
        )
    if not need.allows("confirm"):
        raise Refusal(
            _("There is nothing to confirm: the need is not marked done."), code="stale"
        )
    with transaction.atomic():
        _close(need, "confirm", actor=member, kind=EventKind.NEED_CONFIRMED)


def _close(need: Need, action: str, *, actor, kind) -> None:
    _move(need, action, refusal=STALE, claimant=None)
    claim = _end_claim(need, ClaimEnd.COMPLETED)
    _record(kind, actor=actor, need=need, claim=claim)
    if claim is not None and claim.volunteer is not None:
        _notify_need(
            claim.volunteer,
            "need_confirmed" if action == "confirm" else "need_auto_confirmed",
            need,
        )
    if claim is not None and claim.offer_id:
        _offer_given(claim.offer_id, need=need, actor=actor)
    # Follow-up: each side is asked, privately, how it went (the safety app's page).
    _notify_need(need.requester, "feedback_asked", need)
    if claim is not None and claim.volunteer is not None:
        _notify_need(claim.volunteer, "feedback_asked", need)
    if need.recurrence:
        _post_next(need, claim)


def _next_needed_by(need: Need):
    """The next one's date: the same date a period on, and not before today."""
    if need.needed_by is None:
        return None
    step, today, when = Recurrence.interval(need.recurrence), timezone.localdate(), need.needed_by
    when += step
    while when < today:
        when += step
    return when


def _post_next(need: Need, claim: Claim | None) -> Need | None:
    """A repeating need closed as done: the next is posted as it was, through need_post (the
    doxxing guard, the suspension and the newcomer's limits apply), and is offered first to the
    volunteer who did this one, as a proposal they accept or decline (see _propose). Neither step
    can stop the close: a refused post tells the requester; a refused proposal (the volunteer is
    at their limit, away that day, no longer vouched) leaves the next one on the board."""
    requester = need.requester
    if requester is None or not requester.is_active or need.hidden_at is not None:
        return None
    try:
        with transaction.atomic():
            following = need_post(
                requester=requester,
                category=need.category,
                area=need.area,
                summary=need.summary,
                details=need.details,
                urgency=need.urgency,
                needed_by=_next_needed_by(need),
                visibility=need.visibility,
                anonymous=need.anonymous,
                recurrence=need.recurrence,
                follows=need,
            )
            _record(EventKind.NEED_RECURRED, actor=None, need=need)
    except Refusal:
        _notify_need(requester, "recurring_held", need)
        return None
    _notify_need(requester, "recurring_posted", following)
    volunteer = claim.volunteer if claim is not None else None
    if volunteer is not None and volunteer.is_active and not volunteer.is_suspended():
        try:
            with transaction.atomic():
                _propose(following, volunteer, action="offer_again", by=requester)
        except Refusal:
            pass  # they cannot take it on now: it waits on the board for anyone
    return following


def need_reopen(*, need: Need, member) -> None:
    """The requester says it was not done: the need goes back on the board."""
    if not need.is_requester(member):
        raise Refusal(_("Only the person who posted this need can reopen it."), code="forbidden")
    if not need.allows("reopen"):
        raise Refusal(_("Only a need marked done can be reopened."), code="stale")
    with transaction.atomic():
        _move(need, "reopen", refusal=STALE, claimant=None)
        claim = _end_claim(need, ClaimEnd.REOPENED)
        _record(EventKind.NEED_REOPENED, actor=member, need=need, claim=claim)
        if claim is not None:
            _notify_need(claim.volunteer, "need_reopened", need)


def need_cancel(*, need: Need, member) -> None:
    if not need.is_requester(member):
        raise Refusal(_("Only the person who posted this need can cancel it."), code="forbidden")
    too_late = _("This need can no longer be cancelled: it is already done or closed.")
    if not need.allows("cancel"):
        raise Refusal(too_late, code="stale")
    with transaction.atomic():
        _move(need, "cancel", refusal=too_late, claimant=None)
        _proposal_withdraw(need)
        claim = _end_claim(need, ClaimEnd.CANCELLED)
        _record(EventKind.NEED_CANCELLED, actor=member, need=need, claim=claim)
        if claim is not None:
            notify(member=claim.volunteer, kind="need_cancelled", summary=need.summary)


def message_send(
    *, need: Need, sender, body: str, claim_code=None, relayed_by=None, idempotency_key=None
) -> Message:
    """Send a message within the need's live claim.

    The message goes only to the volunteer the sender saw: ``need`` as the sender loaded it, and
    ``claim_code`` when the page named the conversation. If the volunteer changed in between, it is
    refused, so that a door code meant for one volunteer never reaches the next one unseen.

    ``relayed_by``: the organizer who wrote it for a requester without an account, from what they
    said on the phone (dispatch.intake.relay_reply checks who may); the timeline names them too.

    ``idempotency_key``: the message form's one-time key (lib.idempotency). The same form sent
    again returns the message it sent, marked ``replayed``, and sends nothing.
    """
    _refuse_suspended(sender)
    if not need.can_message(sender):
        raise Refusal(
            _("Messages are between the person who posted this need and its volunteer."),
            code="forbidden",
        )
    body = (body or "").strip()
    if not body:
        raise Refusal(_("Write a message first."), code="empty")
    if len(body) > MESSAGE_MAX:
        raise Refusal(
            _("Keep a message to %(max)d characters.") % {"max": MESSAGE_MAX}, code="too_long"
        )
    other = need.claimant_id if need.is_requester(sender) else need.requester_id
    if has_blocked(other, sender):  # silent: nothing says why
        raise Refusal(_("This message could not be sent."), code="not_sent")
    mine = Message.objects.filter(sender=sender)
    sent = idempotency.earlier(mine, idempotency_key)
    if sent is not None:
        return sent
    ratelimit.enforce("messages", str(sender.code))

    def send() -> Message:
        # Hold the claim row, so that a release cannot end it between this read and the insert.
        claim = need.claims.select_for_update().filter(ended_at__isnull=True).first()
        if (
            claim is None
            or claim.volunteer_id != need.claimant_id
            or (claim_code is not None and claim.code != claim_code)
        ):  # released, reclaimed or closed since the sender looked
            raise Refusal(STALE, code="stale")
        message = Message.objects.create(
            claim=claim,
            sender=sender,
            body=body,
            relayed_by=relayed_by,
            idempotency_key=idempotency_key,
        )
        if sender.pk == claim.volunteer_id:  # a sign of life: it answers a check-in too
            Claim.objects.filter(pk=claim.pk).update(
                progress_at=message.created_at, check_in_asked_at=None
            )
        _record(EventKind.MESSAGE_SENT, actor=sender, need=need, claim=claim)
        if relayed_by is not None:
            _record(EventKind.MESSAGE_RELAYED, actor=relayed_by, need=need, claim=claim)
        recipient = claim.volunteer if need.is_requester(sender) else need.requester
        _notify_need(recipient, "message_received", need)
        return message

    return idempotency.create_once(mine, idempotency_key, send)


def need_acted_for(*, need: Need, organizer) -> None:
    """``organizer`` just moved ``need`` for its requester, a caller without an account who asked
    by phone: the timeline names who did it (the move itself names the caller)."""
    _record(EventKind.ACTED_FOR, actor=organizer, need=need)


def contact_share(*, need: Need, member, kind: str, value: str) -> ContactShare:
    """The requester shares one way to reach them with the current volunteer, and only them."""
    if not need.is_requester(member):
        raise Refusal(
            _("Only the person who posted this need can share their contact."), code="forbidden"
        )
    if not need.can_message(member):
        raise Refusal(
            _("You can share a way to reach you once a volunteer has taken this on."),
            code="stale",
        )
    value = _contact_value(kind, value)
    with transaction.atomic():
        claim = need.claims.select_for_update().filter(ended_at__isnull=True).first()
        if claim is None or claim.volunteer_id != need.claimant_id:
            raise Refusal(STALE, code="stale")
        ContactShare.objects.filter(claim=claim).delete()  # one method at a time
        share = ContactShare.objects.create(claim=claim, kind=kind, value=value)
        _record(EventKind.CONTACT_SHARED, actor=member, need=need, claim=claim)
    return share


def _contact_value(kind: str, value) -> str:
    """A way to reach the requester as the share form checks it (ContactShareForm): one of the
    kinds, not empty, at most CONTACT_MAX characters, and an email or a phone that looks like
    one. Refused with the field it is about."""
    if kind not in ContactKind.values:
        raise Refusal(_("Choose one of the options listed."), code="invalid", field="kind")
    value = (value or "").strip()
    if not value:
        raise Refusal(_("Write how they can reach you."), code="empty", field="value")
    if len(value) > CONTACT_MAX:
        raise Refusal(
            _("Keep it to %(max)d characters.") % {"max": CONTACT_MAX},
            code="too_long",
            field="value",
        )
    if kind == ContactKind.EMAIL:
        try:
            validate_email(value)
        except ValidationError:
            raise Refusal(
                _("That does not look like an email address."), code="invalid", field="value"
            ) from None
    elif kind == ContactKind.PHONE:
        digits = sum(char.isdigit() for char in value)
        if digits < 6 or any(not (c.isdigit() or c in " +-().") for c in value):
            raise Refusal(
                _("That does not look like a phone number."), code="invalid", field="value"
            )
    return value


def contact_unshare(*, need: Need, member) -> int:
    """The requester stops sharing their contact: the volunteer no longer sees it."""
    if not need.is_requester(member):
        raise Refusal(
            _("Only the person who posted this need can share their contact."), code="forbidden"
        )
    with transaction.atomic():
        claims = list(need.claims.select_for_update().filter(contact__isnull=False))
        deleted, _by_model = ContactShare.objects.filter(claim__need=need).delete()
        for claim in claims:
            _record(EventKind.CONTACT_UNSHARED, actor=member, need=need, claim=claim)
    return deleted


def needs_purge_private(*, now=None) -> int:
    """Retention: empty the private text of needs that ended the network's retention days ago.

    Details, messages, shared contacts, organizers' notes, questions and answers, and a decline's
    reason go; category, area, times and status stay, as do the timeline's events (which never
    hold private text). The admins set the days on the network's settings page
    (NetworkSettings.retention_days).
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=NetworkSettings.load().retention_days)
    due = Need.objects.filter(
        status__in=[NeedStatus.CLOSED, *ENDED], status_changed_at__lt=cutoff, purged_at__isnull=True
    )
    done = 0
    for need in list(due.order_by("pk")):
        with transaction.atomic():
            Message.objects.filter(claim__need=need).delete()
            ContactShare.objects.filter(claim__need=need).delete()
            NeedNote.objects.filter(need=need).delete()
            Need.objects.filter(pk=need.pk).update(details="", decline_reason="", purged_at=now)
            _record(EventKind.NEED_PURGED, actor=None, need=need)
        done += 1
    return done


def offer_post(
    *,
    offerer,
    categories,
    areas,
    summary,
    kind,
    available_days=(),
    idempotency_key=None,
    taken_in_by=None,
) -> Offer:
    """``idempotency_key``: the posting form's one-time key (lib.idempotency). The same form sent
    again returns the offer it posted, marked ``replayed``, and posts nothing.

    ``taken_in_by``: an organizer who takes calls recorded it for the member (an offer moved over
    from a spreadsheet): the newcomers' limit counts against the organizer, as need_post's does."""
    if taken_in_by is not None and not taken_in_by.can(Capability.INTAKE):
        raise Refusal(
            _("Only organizers who take calls record offers for others."), code="forbidden"
        )
    _refuse_suspended(offerer)
    summary = public_summary(summary, advice=OFFER_ADVICE)
    if kind not in OfferKind.values or not categories or not areas:
        raise Refusal(
            _("Choose the kind of offer, at least one kind of help and one area."), code="invalid"
        )
    if any(day not in range(7) for day in available_days):
        raise Refusal(_("Choose days of the week."), code="invalid")
    mine = Offer.objects.filter(offerer=offerer) if idempotency_key is not None else None
    posted = idempotency.earlier(mine, idempotency_key)
    if posted is not None:
        return posted
    _newcomer_post_limit(taken_in_by or offerer)

    def post() -> Offer:
        offer = Offer.objects.create(
            offerer=offerer,
            summary=summary,
            kind=kind,
            available_days=sorted(set(available_days)),
            idempotency_key=idempotency_key,
        )
        offer.categories.set(categories)
        offer.areas.set(areas)
        _record(EventKind.OFFER_POSTED, actor=offerer, offer=offer)
        return offer

    return idempotency.create_once(mine, idempotency_key, post)


def offer_withdraw(*, offer: Offer, member) -> None:
    if not offer.is_offerer(member):
        raise Refusal(
            _("Only the person who posted this offer can withdraw it."), code="forbidden"
        )
    with transaction.atomic():
        now = timezone.now()
        changed = Offer.objects.filter(pk=offer.pk, status=OfferStatus.OPEN).update(
            status=OfferStatus.WITHDRAWN, status_changed_at=now
        )
        if changed != 1:
            raise Refusal(_("This offer is no longer open."), code="stale")
        offer.status = OfferStatus.WITHDRAWN
        offer.status_changed_at = now
        _record(EventKind.OFFER_WITHDRAWN, actor=member, offer=offer)


def need_match_offer(*, need: Need, offer: Offer, member) -> Proposal:
    """The requester takes up an offer: the offerer is asked, and holds the need once they
    accept (need_proposal_accept)."""
    if not need.is_requester(member):
        raise Refusal(_("You can match only your own needs to an offer."), code="forbidden")
    if not offer.is_open():
        raise Refusal(_("This offer is no longer open."), code="stale")
    if offer.offerer_id is None or offer.offerer_id == member.pk:
        raise Refusal(_("You cannot take up your own offer."), code="own_offer")
    if not offer.categories.filter(pk=need.category_id).exists():
        raise Refusal(_("This offer does not cover that kind of need."), code="invalid")
    with transaction.atomic():
        # Hold the offer row, so that a withdrawal cannot slip in between the check and the claim.
        if not Offer.objects.select_for_update().filter(pk=offer.pk, status=OfferStatus.OPEN):
            raise Refusal(_("This offer is no longer open."), code="stale")
        if offer.kind == OfferKind.ONE_OFF and (
            offer.claims.filter(ended_at__isnull=True).exists()
            or offer.proposals.filter(answered_at__isnull=True).exists()
        ):
            raise Refusal(_("This offer is already promised to another need."), code="taken")
        return _propose(need, offer.offerer, action="take_up", by=member, offer=offer)


def _offer_given(offer_id: int, *, need: Need, actor) -> None:
    """A one-off offer is spent once the need it was matched to is closed."""
    given = Offer.objects.filter(
        pk=offer_id, kind=OfferKind.ONE_OFF, status=OfferStatus.OPEN
    ).update(status=OfferStatus.MATCHED, status_changed_at=timezone.now())
    if given:
        _record(EventKind.OFFER_GIVEN, actor=actor, offer_id=offer_id, need=need)


def needs_auto_confirm(*, now=None) -> int:
    """Confirm fulfilled needs their requester left unanswered for AUTO_CONFIRM_DAYS."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.AUTO_CONFIRM_DAYS)
    done = 0
    due = Need.objects.filter(status=NeedStatus.FULFILLED, status_changed_at__lte=cutoff)
    for need in list(due.order_by("pk")):  # read first: SQLite must not write while iterating
        try:
            with transaction.atomic():
                _close(need, "auto_confirm", actor=None, kind=EventKind.NEED_AUTO_CONFIRMED)
        except Refusal:
            continue  # the requester answered in the meantime
        done += 1
    return done


def needs_expire(*, now=None) -> int:
    """Expire open needs past their needed-by date, or open too long without one."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    cutoff = now - timedelta(days=settings.OPEN_NEED_EXPIRY_DAYS)
    due = Need.objects.filter(status=NeedStatus.OPEN).filter(
        Q(needed_by__lt=today) | Q(needed_by__isnull=True, created_at__lt=cutoff)
    )
    done = 0
    for need in list(due.order_by("pk")):
        try:
            with transaction.atomic():
                _move(need, "expire", refusal=STALE)
                _record(EventKind.NEED_EXPIRED, actor=None, need=need)
                _notify_need(need.requester, "need_expired", need)
        except Refusal:
            continue  # claimed in the meantime: good
        done += 1
    return done


def need_check_in_keep(*, need: Need, member) -> None:
    """The volunteer answers "still on it?" with yes: the clock starts again."""
    if not need.is_claimant(member):
        raise Refusal(
            _("Only the volunteer who claimed this need can answer for it."), code="forbidden"
        )
    with transaction.atomic():
        asked = need.claims.filter(
            volunteer=member, ended_at__isnull=True, check_in_asked_at__isnull=False
        )
        claim = asked.first()
        if claim is None or asked.update(check_in_asked_at=None, progress_at=timezone.now()) != 1:
            raise Refusal(_("Nothing here is waiting for your answer."), code="stale")
        _record(EventKind.CHECK_IN_ANSWERED, actor=member, need=need, claim=claim)


def claims_check_in(*, now=None) -> tuple[int, int]:
    """Ask the volunteers of claims with no sign of life for CHECK_IN's first time "still on
    it?"; release those who did not answer within the second, telling them and the requester.
    Returns (asked, released)."""
    now = now or timezone.now()
    live = Claim.objects.filter(ended_at__isnull=True, need__status=NeedStatus.CLAIMED)
    live = live.select_related("need", "need__requester", "volunteer")
    released = 0
    for claim in list(live.filter(check_in_asked_at__isnull=False).order_by("pk")):
        if claim.check_in_asked_at + CHECK_IN[claim.need.urgency][1] > now:
            continue
        try:
            with transaction.atomic():
                _check_in_lapse(claim, now=now)
        except Refusal:
            continue  # answered, released or marked done in the meantime
        released += 1
    asked = 0
    soonest = min(after for after, _within in CHECK_IN.values())
    quiet = live.filter(check_in_asked_at__isnull=True, progress_at__lte=now - soonest)
    for claim in list(quiet.order_by("pk")):
        if claim.progress_at + CHECK_IN[claim.need.urgency][0] > now:
            continue
        with transaction.atomic():
            changed = Claim.objects.filter(
                pk=claim.pk,
                ended_at__isnull=True,
                check_in_asked_at__isnull=True,
                progress_at=claim.progress_at,
            ).update(check_in_asked_at=now)
            if not changed:
                continue  # a sign of life in the meantime
            _record(EventKind.CHECK_IN_ASKED, actor=None, need=claim.need, claim=claim)
            _notify_need(claim.volunteer, "check_in", claim.need)
        asked += 1
    return asked, released


def _check_in_lapse(claim: Claim, *, now) -> None:
    need = claim.need
    ended = Claim.objects.filter(
        pk=claim.pk, ended_at__isnull=True, check_in_asked_at=claim.check_in_asked_at
    ).update(ended_at=now, end_reason=ClaimEnd.LAPSED)
    if ended != 1:
        raise Refusal(STALE, code="stale")
    _move(need, "check_in_lapse", refusal=STALE, held_by=claim.volunteer_id, claimant=None)
    ContactShare.objects.filter(claim=claim).delete()
    _record(EventKind.CHECK_IN_LAPSED, actor=None, need=need, claim=claim)
    _notify_need(need.requester, "check_in_released", need)
    notify(member=claim.volunteer, kind="check_in_lapsed", summary=need.summary)


def post_hide(*, post, by) -> None:
    """A safety officer hides a need or an offer: off the boards, on its timeline. A hidden need's
    volunteer is released from it at once and told, so nobody holds what they can no longer see."""
    now = timezone.now()
    with transaction.atomic():
        hidden = type(post).objects.filter(pk=post.pk, hidden_at__isnull=True).update(hidden_at=now)
        if hidden != 1:
            raise Refusal(_("This post is already hidden."), code="stale")
        post.hidden_at = now
        if isinstance(post, Need):
            _record(EventKind.NEED_HIDDEN, actor=by, need=post)
            proposal = _proposal_withdraw(post)
            if proposal is not None:  # nobody is asked to take on what they can no longer see
                _move(post, "lapse", refusal=STALE)
                _record(EventKind.PROPOSAL_WITHDRAWN, actor=by, need=post)
            if post.claimant_id is not None:
                volunteer = post.claimant
                _move(post, "drop", refusal=STALE, claimant=None)
                claim = _end_claim(post, ClaimEnd.RELEASED)
                _record(EventKind.CLAIM_RELEASED, actor=by, need=post, claim=claim)
                notify(member=volunteer, kind="need_hidden", summary=post.summary)
        else:
            _record(EventKind.OFFER_HIDDEN, actor=by, offer=post)


# Kinds of help (the admins' page) -------------------------------------------------------

CATEGORY_NAME_MAX = 60


def _taken_category(name: str) -> str:
    return _("There is already a kind of help called “%(name)s”.") % {"name": name}


def _refuse_unless_configurer(by) -> None:
    if by is None or not by.can(Capability.CONFIGURE):
        raise Refusal(
            _("Only the network's admins may change the kinds of help."), code="forbidden"
        )


def _category_changed(category: Category, action: str, *, by, old=None, new=None) -> None:
    CategoryChange.objects.create(category=category, action=action, actor=by, old=old, new=new)


@transaction.atomic
def category_add(*, name: str, by) -> Category:
    """A new kind of help, listed last."""
    _refuse_unless_configurer(by)
    name = _category_name(name)
    base = slugify(name)[:32] or "category"
    if Category.objects.annotate(lower=Lower("name")).filter(lower=name.lower()).exists():
        raise Refusal(_taken_category(name))
    slug, n = base, 1
    while Category.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    last = Category.objects.order_by("-position").values_list("position", flat=True).first()
    category = Category.objects.create(slug=slug, name=name, position=(last or 0) + 1)
    _category_changed(category, CategoryAction.ADDED, by=by, new=name)
    return category


@transaction.atomic
def category_rename(*, category: Category, name: str, by) -> None:
    _refuse_unless_configurer(by)
    name = _category_name(name)
    taken = Category.objects.annotate(lower=Lower("name")).filter(lower=name.lower())
    if taken.exclude(pk=category.pk).exists():
        raise Refusal(_taken_category(name))
    # The row locked while it is read, so the old name recorded is the one replaced.
    old = Category.objects.select_for_update().values_list("name", flat=True).get(pk=category.pk)
    if old == name:
        return
    Category.objects.filter(pk=category.pk).update(name=name)
    category.name = name
    _category_changed(category, CategoryAction.RENAMED, by=by, old=old, new=name)


@transaction.atomic
def category_move(*, category: Category, up: bool, by) -> None:
    """Move a kind of help one place up or down the list; positions become 0, 1, 2...

    Its audit row holds its place before and after, counted from 1 (none if it was already at
    that end of the list).
    """
    _refuse_unless_configurer(by)
    order = list(Category.objects.select_for_update().order_by("position", "name"))
    index = next(i for i, c in enumerate(order) if c.pk == category.pk)
    other = index - 1 if up else index + 1
    moved = 0 <= other < len(order)
    if moved:
        order[index], order[other] = order[other], order[index]
    for position, each in enumerate(order):
        each.position = position
    Category.objects.bulk_update(order, ["position"])
    if moved:
        _category_changed(category, CategoryAction.MOVED, by=by, old=index + 1, new=other + 1)


def _category_name(name: str) -> str:
    return guard_public_text(
        " ".join((name or "").split()), max_length=CATEGORY_NAME_MAX, advice=PUBLIC_NAME_ADVICE
    )
