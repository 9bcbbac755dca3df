"""Every write to a need, an offer, a claim or a message.

Each service runs in one transaction and writes its timeline event in that same transaction. Status
changes are compare-and-set: ``UPDATE ... WHERE status IN (expected)`` must change exactly one row,
so two people acting at the same moment can never both win.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from mutualaid.lib.dates import WEEKDAYS_PLURAL
from mutualaid.lib.refusal import Refusal

from .models import (
    Claim,
    ClaimEnd,
    ContactShare,
    EventKind,
    Message,
    Need,
    NeedStatus,
    Offer,
    OfferKind,
    OfferStatus,
    TimelineEvent,
    Visibility,
)
from .selectors import has_blocked, live_claim


def _record(kind, *, actor, need=None, offer=None, offer_id=None, claim=None) -> TimelineEvent:
    return TimelineEvent.objects.create(
        kind=kind,
        actor=actor,
        need=need,
        offer_id=offer_id or (offer.pk if offer else None),
        claim=claim,
    )


def _move(need: Need, *, expected, to: str, refusal: str, held_by=None, **fields) -> None:
    """Compare-and-set the need's status; refuse if someone else changed it first.

    ``held_by``: the change is only for the volunteer holding the need now, so a volunteer whose
    claim ended (on a page loaded before) cannot act on the next volunteer's claim.
    """
    now = timezone.now()
    current = Need.objects.filter(pk=need.pk, status__in=expected)
    if held_by is not None:
        current = current.filter(claimant=held_by)
    changed = current.update(status=to, status_changed_at=now, **fields)
    if changed != 1:
        raise Refusal(refusal)
    need.status = to
    need.status_changed_at = now
    for name, value in fields.items():
        setattr(need, name, value)


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
            _("Your account is suspended: you can read your notices and download your data.")
        )


ENDED = (NeedStatus.CANCELLED, NeedStatus.CLOSED, NeedStatus.EXPIRED)
STALE = gettext_lazy("This need has just changed. The page now shows where it stands.")


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
) -> Need:
    _refuse_suspended(requester)
    with transaction.atomic():
        need = Need.objects.create(
            requester=requester,
            category=category,
            area=area,
            summary=summary,
            details=details,
            urgency=urgency,
            needed_by=needed_by,
            visibility=visibility,
            anonymous=anonymous,
        )
        _record(EventKind.NEED_POSTED, actor=requester, need=need)
    return need


def _check_volunteer_limits(member, *, actor=None) -> None:
    """Refuse a claim beyond the volunteer's limits: how many needs at once, and on which days.

    Call it inside the claim's transaction: it locks the volunteer's row, so that two claims by the
    same volunteer at the same moment are counted one after the other. ``actor``: who is giving
    them the need, when that is someone else (an organizer, a requester taking up an offer).
    Needs marked done no longer count: the work is finished.
    """
    from mutualaid.network.models import NetworkSettings

    fresh = (
        get_user_model()
        .objects.select_for_update()
        .only("max_active_claims", "available_days")
        .get(pk=member.pk)
    )
    someone_else = actor is not None and actor != member
    limit = fresh.claim_limit(NetworkSettings.load().max_active_claims)
    held = Need.objects.filter(claimant=member, status=NeedStatus.CLAIMED).count()
    if held >= limit:
        if someone_else:
            raise Refusal(
                ngettext(
                    "%(handle)s already holds %(count)d need, their limit. Choose someone else.",
                    "%(handle)s already holds %(count)d needs, their limit. Choose someone else.",
                    held,
                )
                % {"handle": member.handle, "count": held}
            )
        raise Refusal(
            ngettext(
                "You already hold %(count)d need, your limit. Finish or release it first; "
                "you can change your limit on your account page.",
                "You already hold %(count)d needs, your limit. Finish or release one first; "
                "you can change your limit on your account page.",
                held,
            )
            % {"count": held}
        )
    today = timezone.localtime(timezone.now(), timezone.get_default_timezone()).weekday()
    if not fresh.is_available_on(today):
        if someone_else:
            raise Refusal(
                _("%(handle)s said they're not available on %(days)s. Choose someone else.")
                % {"handle": member.handle, "days": WEEKDAYS_PLURAL[today]}
            )
        raise Refusal(
            _(
                "You said you're not available on %(days)s. Change your days on your account "
                "page to take this on."
            )
            % {"days": WEEKDAYS_PLURAL[today]}
        )


def need_claim(*, need: Need, member, offer: Offer | None = None, actor=None) -> Claim:
    """Give ``member`` the exclusive hold on an open need.

    ``actor`` is who did it when that is not the volunteer: a requester taking up an offer, or an
    organizer matching the need with a volunteer (see need_assign).
    """
    if need.is_requester(member):
        raise Refusal(_("You posted this need, so you cannot claim it."))
    if not member.is_vouched():
        raise Refusal(
            _(
                "Taking on needs is for vouched members. Ask someone who knows you to vouch "
                "for you, or an organizer to approve you."
            )
        )
    closed = _("This need is no longer open, so it cannot be claimed.")
    if need.status in ENDED:
        raise Refusal(closed)
    taken = _("Someone just took this need. Thank you for offering: there are others on the board.")
    if has_blocked(need.requester_id, member):
        # Blocking is silent: the blocked member is told what anyone who came too late is told.
        raise Refusal(taken)
    with transaction.atomic():
        _check_volunteer_limits(member, actor=actor)
        try:
            _move(
                need,
                expected=[NeedStatus.OPEN],
                to=NeedStatus.CLAIMED,
                refusal=taken,
                claimant=member,
            )
        except Refusal:
            # Say why: a volunteer got there first, or the need ended since the page was loaded.
            if Need.objects.filter(pk=need.pk, status__in=ENDED).exists():
                raise Refusal(closed) from None
            raise
        try:
            with transaction.atomic():
                claim = Claim.objects.create(need=need, volunteer=member, offer=offer)
        except IntegrityError:  # the unique live-claim constraint: belt and braces
            raise Refusal(taken) from None
        if offer is not None:
            _record(
                EventKind.NEED_MATCHED, actor=actor or member, need=need, offer=offer, claim=claim
            )
        elif actor is not None and actor != member:
            _record(EventKind.NEED_ASSIGNED, actor=actor, need=need, claim=claim)
        else:
            _record(EventKind.NEED_CLAIMED, actor=member, need=need, claim=claim)
    return claim


def need_assign(*, need: Need, volunteer, organizer) -> Claim:
    """An organizer matches an open need with a volunteer: the same exclusive claim, in their name.

    This is how organizers-only needs are met: nobody else sees them to claim them.
    """
    if not getattr(organizer, "is_organizer", False):
        raise Refusal(_("Only organizers can match a need with a volunteer."))
    if volunteer is None or not volunteer.is_active:
        raise Refusal(_("No active member has that handle."))
    if need.is_requester(volunteer):
        raise Refusal(
            _("That is the person who posted this need: choose someone who can help them.")
        )
    return need_claim(need=need, member=volunteer, actor=organizer)


def need_release(*, need: Need, member, leaving=False) -> None:
    """The volunteer gives the need back: it returns to the board.

    ``leaving``: the volunteer is leaving the network. A need they marked done that its requester
    has not confirmed cannot keep them either, so it goes back too and the requester decides again.
    """
    if not need.is_claimant(member):
        raise Refusal(_("Only the volunteer who claimed this need can release it."))
    with transaction.atomic():
        _move(
            need,
            expected=[NeedStatus.CLAIMED, NeedStatus.FULFILLED]
            if leaving
            else [NeedStatus.CLAIMED],
            to=NeedStatus.OPEN,
            refusal=STALE,
            held_by=member,
            claimant=None,
        )
        claim = _end_claim(need, ClaimEnd.RELEASED)
        _record(EventKind.CLAIM_RELEASED, actor=member, need=need, claim=claim)


def need_mark_fulfilled(*, need: Need, member) -> None:
    if not need.is_claimant(member):
        raise Refusal(_("Only the volunteer who claimed this need can mark it done."))
    with transaction.atomic():
        _move(
            need,
            expected=[NeedStatus.CLAIMED],
            to=NeedStatus.FULFILLED,
            refusal=STALE,
            held_by=member,
        )
        _record(EventKind.NEED_FULFILLED, actor=member, need=need, claim=live_claim(need))


def need_confirm(*, need: Need, member) -> None:
    if not need.is_requester(member):
        raise Refusal(_("Only the person who posted this need can confirm it."))
    if need.status != NeedStatus.FULFILLED:
        raise Refusal(_("There is nothing to confirm: the need is not marked done."))
    with transaction.atomic():
        _close(need, actor=member, kind=EventKind.NEED_CONFIRMED)


def _close(need: Need, *, actor, kind) -> None:
    _move(need, expected=[NeedStatus.FULFILLED], to=NeedStatus.CLOSED, refusal=STALE, claimant=None)
    claim = _end_claim(need, ClaimEnd.COMPLETED)
    _record(kind, actor=actor, need=need, claim=claim)
    if claim is not None and claim.offer_id:
        _offer_given(claim.offer_id, need=need, actor=actor)


def need_reopen(*, need: Need, member) -> None:
    """The requester says it was not done: the need goes back on the board."""
    if not need.is_requester(member):
        raise Refusal(_("Only the person who posted this need can reopen it."))
    if need.status != NeedStatus.FULFILLED:
        raise Refusal(_("Only a need marked done can be reopened."))
    with transaction.atomic():
        _move(
            need, expected=[NeedStatus.FULFILLED], to=NeedStatus.OPEN, refusal=STALE, claimant=None
        )
        claim = _end_claim(need, ClaimEnd.REOPENED)
        _record(EventKind.NEED_REOPENED, actor=member, need=need, claim=claim)


def need_cancel(*, need: Need, member) -> None:
    if not need.is_requester(member):
        raise Refusal(_("Only the person who posted this need can cancel it."))
    if need.status not in (NeedStatus.OPEN, NeedStatus.CLAIMED):
        raise Refusal(
            _("This need can no longer be cancelled: it is already done or closed.")
        )
    with transaction.atomic():
        _move(
            need,
            expected=[NeedStatus.OPEN, NeedStatus.CLAIMED],
            to=NeedStatus.CANCELLED,
            refusal=_("This need can no longer be cancelled: it is already done or closed."),
            claimant=None,
        )
        claim = _end_claim(need, ClaimEnd.CANCELLED)
        _record(EventKind.NEED_CANCELLED, actor=member, need=need, claim=claim)


def message_send(*, need: Need, sender, body: str, claim_code=None) -> Message:
    """Send a message within the need's live claim.

    The message goes only to the volunteer the sender saw: ``need`` as the sender loaded it, and
    ``claim_code`` when the page named the conversation. If the volunteer changed in between, it is
    refused, so that a door code meant for one volunteer never reaches the next one unseen.
    """
    _refuse_suspended(sender)
    if not need.can_message(sender):
        raise Refusal(
            _("Messages are between the person who posted this need and its volunteer.")
        )
    other = need.claimant_id if need.is_requester(sender) else need.requester_id
    if has_blocked(other, sender):  # silent: nothing says why
        raise Refusal(_("This message could not be sent."))
    with transaction.atomic():
        # Hold the claim row, so that a release cannot end it between this read and the insert.
        claim = need.claims.select_for_update().filter(ended_at__isnull=True).first()
        if (
            claim is None
            or claim.volunteer_id != need.claimant_id
            or (claim_code is not None and claim.code != claim_code)
        ):  # released, reclaimed or closed since the sender looked
            raise Refusal(STALE)
        message = Message.objects.create(claim=claim, sender=sender, body=body)
        _record(EventKind.MESSAGE_SENT, actor=sender, need=need, claim=claim)
    return message


def contact_share(*, need: Need, member, kind: str, value: str) -> ContactShare:
    """The requester shares one way to reach them with the current volunteer, and only them."""
    if not need.is_requester(member):
        raise Refusal(_("Only the person who posted this need can share their contact."))
    if not need.can_message(member):
        raise Refusal(
            _("You can share a way to reach you once a volunteer has taken this on.")
        )
    with transaction.atomic():
        claim = need.claims.select_for_update().filter(ended_at__isnull=True).first()
        if claim is None or claim.volunteer_id != need.claimant_id:
            raise Refusal(STALE)
        ContactShare.objects.filter(claim=claim).delete()  # one method at a time
        share = ContactShare.objects.create(claim=claim, kind=kind, value=value)
        _record(EventKind.CONTACT_SHARED, actor=member, need=need, claim=claim)
    return share


def contact_unshare(*, need: Need, member) -> int:
    """The requester stops sharing their contact: the volunteer no longer sees it."""
    if not need.is_requester(member):
        raise Refusal(_("Only the person who posted this need can share their contact."))
    deleted, _by_model = ContactShare.objects.filter(claim__need=need).delete()
    return deleted


def needs_purge_private(*, now=None) -> int:
    """Retention: empty the private text of needs that ended the network's retention days ago.

    Details, messages and shared contacts go; category, area, times and status stay, as do the
    timeline's events (which never hold private text). The admins set the days on the network's
    settings page (NetworkSettings.retention_days).
    """
    from mutualaid.network.models import NetworkSettings

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
            Need.objects.filter(pk=need.pk).update(details="", purged_at=now)
            _record(EventKind.NEED_PURGED, actor=None, need=need)
        done += 1
    return done


def offer_post(*, offerer, categories, areas, summary, kind, available_days=()) -> Offer:
    _refuse_suspended(offerer)
    with transaction.atomic():
        offer = Offer.objects.create(
            offerer=offerer,
            summary=summary,
            kind=kind,
            available_days=sorted(set(available_days)),
        )
        offer.categories.set(categories)
        offer.areas.set(areas)
        _record(EventKind.OFFER_POSTED, actor=offerer, offer=offer)
    return offer


def offer_withdraw(*, offer: Offer, member) -> None:
    if not offer.is_offerer(member):
        raise Refusal(_("Only the person who posted this offer can withdraw it."))
    with transaction.atomic():
        now = timezone.now()
        changed = Offer.objects.filter(pk=offer.pk, status=OfferStatus.OPEN).update(
            status=OfferStatus.WITHDRAWN, status_changed_at=now
        )
        if changed != 1:
            raise Refusal(_("This offer is no longer open."))
        offer.status = OfferStatus.WITHDRAWN
        offer.status_changed_at = now
        _record(EventKind.OFFER_WITHDRAWN, actor=member, offer=offer)


def need_match_offer(*, need: Need, offer: Offer, member) -> Claim:
    """The requester takes up an offer: the need is claimed for the offerer."""
    if not need.is_requester(member):
        raise Refusal(_("You can match only your own needs to an offer."))
    if not offer.is_open():
        raise Refusal(_("This offer is no longer open."))
    if offer.offerer_id is None or offer.offerer_id == member.pk:
        raise Refusal(_("You cannot take up your own offer."))
    if not offer.categories.filter(pk=need.category_id).exists():
        raise Refusal(_("This offer does not cover that kind of need."))
    with transaction.atomic():
        # Hold the offer row, so that a withdrawal cannot slip in between the check and the claim.
        if not Offer.objects.select_for_update().filter(pk=offer.pk, status=OfferStatus.OPEN):
            raise Refusal(_("This offer is no longer open."))
        if offer.kind == OfferKind.ONE_OFF and offer.claims.filter(ended_at__isnull=True).exists():
            raise Refusal(_("This offer is already promised to another need."))
        return need_claim(need=need, member=offer.offerer, offer=offer, actor=member)


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
                _close(need, actor=None, kind=EventKind.NEED_AUTO_CONFIRMED)
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
                _move(need, expected=[NeedStatus.OPEN], to=NeedStatus.EXPIRED, refusal=STALE)
                _record(EventKind.NEED_EXPIRED, actor=None, need=need)
        except Refusal:
            continue  # claimed in the meantime: good
        done += 1
    return done
