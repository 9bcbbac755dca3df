"""Every change to a member's trust: levels, vouches, approval, suspension, invitations.

``member_level_recompute`` is the one place a member's level is worked out and stored; every other
service here calls it after its change, in the same transaction, and writes a ``TrustEvent``.

A vouch counts towards a member's level while it is live (not revoked), was given after the
member's review hold (if any), and was given by a member who was vouched at the time (``vouch_give``
refuses anyone else). Suspending a voucher does not undo their vouches unless a safety officer
flags their branch: then each member they vouched for is held for review and is a newcomer again
until re-vouched or approved after the hold.

Who may do what:

- approve a member or withdraw an approval: an admin or a safety officer (APPROVERS);
- revoke somebody else's vouch: a safety officer or an admin (the voucher may revoke their own);
- suspend or lift a suspension: a safety officer.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualaid.accounts.models import Member
from mutualaid.accounts.services import notice_send
from mutualaid.aid import services as aid_services
from mutualaid.aid.models import Need
from mutualaid.lib.refusal import Refusal
from mutualaid.network.models import NetworkSettings

from .models import Invite, Level, Role, TrustEvent, TrustEventKind, Vouch

APPROVERS = (Role.ADMIN, Role.SAFETY)
REVOKERS = (Role.SAFETY, Role.ADMIN)
SUSPENDERS = (Role.SAFETY,)
VOUCH_PERIOD = timedelta(days=30)
INVITE_LIFETIME = timedelta(days=7)
NOTE_MAX = 200

__all__ = [
    "APPROVERS",
    "invite_create",
    "invite_use",
    "member_approval_withdraw",
    "member_approve",
    "member_level_recompute",
    "member_suspend",
    "member_unsuspend",
    "trust_event_record",
    "vouch_give",
    "vouch_revoke",
]


def trust_event_record(*, actor, member, kind: str, note: str = "") -> TrustEvent:
    """Append one row to the trust record. ``kind`` is a TrustEventKind."""
    if kind not in TrustEventKind.values:
        raise ValueError(f"Unknown trust event kind: {kind!r}")
    return TrustEvent.objects.create(actor=actor, member=member, kind=kind, note=str(note)[:300])


def valid_vouches(member):
    """The vouches that count towards ``member``'s level (see the module docstring)."""
    vouches = Vouch.objects.filter(vouchee=member, revoked_at__isnull=True, voucher__isnull=False)
    if member.review_hold_at is not None:
        vouches = vouches.filter(created_at__gt=member.review_hold_at)
    return vouches


def _is_approved(member) -> bool:
    return member.approved_at is not None and (
        member.review_hold_at is None or member.approved_at > member.review_hold_at
    )


def member_level_recompute(*, member) -> str:
    """Work out ``member``'s level from the record, store it, and return it.

    Suspended if suspended; else vouched if approved (after any review hold) or holding the
    network's number of valid vouches; else newcomer. ``vouched_since`` is set on becoming vouched
    and cleared on ceasing to be.
    """
    with transaction.atomic():
        fresh = Member.objects.select_for_update().get(pk=member.pk)
        if fresh.suspended_at is not None:
            level = Level.SUSPENDED
        elif _is_approved(fresh) or (
            valid_vouches(fresh).count() >= NetworkSettings.load().vouches_required
        ):
            level = Level.VOUCHED
        else:
            level = Level.NEWCOMER
        since = fresh.vouched_since
        if level == Level.VOUCHED and fresh.level != Level.VOUCHED:
            since = timezone.now()
        elif level != Level.VOUCHED:
            since = None
        if (level, since) != (fresh.level, fresh.vouched_since):
            Member.objects.filter(pk=fresh.pk).update(level=level, vouched_since=since)
    for name in ("suspended_at", "suspension_reason", "approved_at", "approved_by_id"):
        setattr(member, name, getattr(fresh, name))
    member.review_hold_at = fresh.review_hold_at
    member.level = level
    member.vouched_since = since
    return level


# Vouching -----------------------------------------------------------------------------------


def vouch_refusal(voucher, settings=None) -> str | None:
    """Why ``voucher`` cannot vouch for anyone now, or None if they can."""
    if voucher.suspended_at is not None or voucher.level == Level.SUSPENDED:
        return _("Your account is suspended, so you cannot vouch for anyone.")
    if not voucher.is_vouched():
        return _("Only vouched members can vouch for others.")
    settings = settings or NetworkSettings.load()
    wait = timedelta(days=settings.vouch_wait_days)
    now = timezone.now()
    if voucher.vouched_since is None or voucher.vouched_since > now - wait:
        return _(
            "Members vouch for others once they have been vouched for %(days)d days. "
            "Thank you for your patience."
        ) % {"days": settings.vouch_wait_days}
    given = Vouch.objects.filter(voucher=voucher, created_at__gt=now - VOUCH_PERIOD).count()
    if given >= settings.vouch_limit:
        return _(
            "You have vouched for %(limit)d members in the last 30 days, the most the network "
            "allows. You can vouch again later."
        ) % {"limit": settings.vouch_limit}
    return None


def vouch_give(*, voucher, vouchee, note: str) -> Vouch:
    """``voucher`` gives their word for ``vouchee``; the vouchee's level is recomputed at once."""
    note = (note or "").strip()
    if vouchee is None or not vouchee.is_active:
        raise Refusal(_("No active member has that handle."))
    if vouchee.pk == voucher.pk:
        raise Refusal(_("You cannot vouch for yourself."))
    if not note:
        raise Refusal(_("Say in a few words how you know them."))
    if len(note) > NOTE_MAX:
        raise Refusal(_("Keep the note to %(max)d characters.") % {"max": NOTE_MAX})
    with transaction.atomic():
        # Lock the voucher, so that two vouches at once cannot both pass the limit.
        voucher_now = Member.objects.select_for_update().get(pk=voucher.pk)
        refusal = vouch_refusal(voucher_now)
        if refusal:
            raise Refusal(refusal)
        twice = _("You already vouch for %(handle)s.") % {"handle": vouchee.handle}
        if Vouch.objects.filter(voucher=voucher, vouchee=vouchee, revoked_at__isnull=True).exists():
            raise Refusal(twice)
        try:
            with transaction.atomic():
                vouch = Vouch.objects.create(voucher=voucher, vouchee=vouchee, note=note)
        except IntegrityError:  # the same vouch, given a moment ago
            raise Refusal(twice) from None
        trust_event_record(actor=voucher, member=vouchee, kind=TrustEventKind.VOUCHED, note=note)
        member_level_recompute(member=vouchee)
    return vouch


def vouch_revoke(*, vouch: Vouch, by, reason: str = "") -> None:
    """Take back a vouch (the voucher, or a safety officer or admin); it stays in the tree."""
    if vouch.voucher_id != by.pk and not by.has_role(*REVOKERS):
        raise Refusal(
            _("Only the member who gave this vouch, or a safety officer, can revoke it.")
        )
    with transaction.atomic():
        now = timezone.now()
        changed = Vouch.objects.filter(pk=vouch.pk, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=by, revoke_reason=(reason or "")[:200]
        )
        if changed != 1:
            raise Refusal(_("This vouch has already been revoked."))
        vouch.revoked_at = now
        vouch.revoked_by = by
        trust_event_record(
            actor=by, member=vouch.vouchee, kind=TrustEventKind.VOUCH_REVOKED, note=reason
        )
        if vouch.vouchee is not None:
            member_level_recompute(member=vouch.vouchee)


# Approval -----------------------------------------------------------------------------------


def member_approve(*, member, by) -> str:
    """An organizer (admin or safety officer) vouches for ``member`` on the network's behalf."""
    if not by.has_role(*APPROVERS):
        raise Refusal(_("Only an admin or a safety officer can approve members."))
    if member.pk == by.pk:
        raise Refusal(_("You cannot approve yourself."))
    if _is_approved(member):
        raise Refusal(_("%(handle)s is already approved.") % {"handle": member.handle})
    with transaction.atomic():
        now = timezone.now()
        Member.objects.filter(pk=member.pk).update(approved_at=now, approved_by=by)
        member.approved_at, member.approved_by = now, by
        trust_event_record(actor=by, member=member, kind=TrustEventKind.APPROVED)
        return member_level_recompute(member=member)


def member_approval_withdraw(*, member, by) -> str:
    if not by.has_role(*APPROVERS):
        raise Refusal(_("Only an admin or a safety officer can withdraw an approval."))
    if member.approved_at is None:
        raise Refusal(_("%(handle)s is not approved.") % {"handle": member.handle})
    with transaction.atomic():
        Member.objects.filter(pk=member.pk).update(approved_at=None, approved_by=None)
        member.approved_at, member.approved_by = None, None
        trust_event_record(actor=by, member=member, kind=TrustEventKind.APPROVAL_WITHDRAWN)
        return member_level_recompute(member=member)


# Suspension ---------------------------------------------------------------------------------


def member_suspend(*, member, by, reason: str, flag_branch: bool = False) -> None:
    """A safety officer suspends ``member``, with a reason they are shown.

    ``flag_branch``: each member they vouch for (live vouches) is held for review from now, and is
    a newcomer until vouched or approved again after the hold.
    """
    reason = (reason or "").strip()
    if not by.has_role(*SUSPENDERS):
        raise Refusal(_("Only a safety officer can suspend a member."))
    if member.pk == by.pk:
        raise Refusal(_("You cannot suspend yourself."))
    if not reason:
        raise Refusal(_("Give the reason: the member will be shown it."))
    with transaction.atomic():
        now = timezone.now()
        changed = Member.objects.filter(pk=member.pk, suspended_at__isnull=True).update(
            suspended_at=now, suspension_reason=reason[:300]
        )
        if changed != 1:
            raise Refusal(_("%(handle)s is already suspended.") % {"handle": member.handle})
        trust_event_record(actor=by, member=member, kind=TrustEventKind.SUSPENDED, note=reason)
        member_level_recompute(member=member)
        notice_send(
            member=member,
            text=_("Your account is suspended: %(reason)s") % {"reason": reason},
        )
        _release_held_needs(member)
        if flag_branch:
            branch = Member.objects.filter(
                vouches_received__voucher=member, vouches_received__revoked_at__isnull=True
            ).distinct()
            for vouchee in list(branch.order_by("pk")):
                Member.objects.filter(pk=vouchee.pk).update(review_hold_at=now)
                trust_event_record(
                    actor=by,
                    member=vouchee,
                    kind=TrustEventKind.BRANCH_FLAGGED,
                    note=_("vouched for by %(handle)s") % {"handle": member.handle},
                )
                member_level_recompute(member=vouchee)


def _release_held_needs(member) -> None:
    """A suspended volunteer holds nothing: their needs go back on the board, requesters told."""
    for need in list(Need.objects.filter(claimant=member).select_related("requester")):
        aid_services.need_release(need=need, member=member, leaving=True)
        if need.requester is not None:
            notice_send(
                member=need.requester,
                text=_(
                    "Your need “%(summary)s” is back on the board: its volunteer can no "
                    "longer help. Another neighbor can take it on."
                )
                % {"summary": need.summary},
            )


def member_unsuspend(*, member, by) -> str:
    if not by.has_role(*SUSPENDERS):
        raise Refusal(_("Only a safety officer can lift a suspension."))
    with transaction.atomic():
        changed = Member.objects.filter(pk=member.pk, suspended_at__isnull=False).update(
            suspended_at=None, suspension_reason=""
        )
        if changed != 1:
            raise Refusal(_("%(handle)s is not suspended.") % {"handle": member.handle})
        trust_event_record(actor=by, member=member, kind=TrustEventKind.UNSUSPENDED)
        return member_level_recompute(member=member)


# Invitations --------------------------------------------------------------------------------


def invite_create(*, inviter, note: str) -> Invite:
    """A single-use link, valid seven days, for a member who could vouch now."""
    note = (note or "").strip()
    refusal = vouch_refusal(inviter)
    if refusal:
        raise Refusal(refusal)
    if not note:
        raise Refusal(_("Say in a few words how you know them."))
    if len(note) > NOTE_MAX:
        raise Refusal(_("Keep the note to %(max)d characters.") % {"max": NOTE_MAX})
    return Invite.objects.create(
        inviter=inviter, note=note, expires_at=timezone.now() + INVITE_LIFETIME
    )


def invite_use(*, invite: Invite, member) -> Vouch:
    """``member`` joined through ``invite``: mark it used (once) and record the inviter's vouch.

    The vouch is one vouch like any other: it never bypasses the number the network requires.
    Refused (Refusal, nothing changed) if the invite is used, expired, or the inviter cannot
    vouch now.
    """
    with transaction.atomic():
        now = timezone.now()
        changed = Invite.objects.filter(
            pk=invite.pk, used_at__isnull=True, expires_at__gt=now
        ).update(used_at=now, used_by=member)
        if changed != 1:
            raise Refusal(_("This invitation has expired or has already been used."))
        if invite.inviter is None:
            raise Refusal(_("The member who invited you has left the network."))
        vouch = vouch_give(voucher=invite.inviter, vouchee=member, note=invite.note)
        trust_event_record(actor=invite.inviter, member=member, kind=TrustEventKind.INVITE_USED)
    invite.used_at, invite.used_by = now, member
    return vouch
