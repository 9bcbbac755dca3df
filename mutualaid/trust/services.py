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
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualaid.accounts.models import Member, ProxyContact, RoleGrant
from mutualaid.accounts.policy import Capability, roles_with
from mutualaid.accounts.services import notify
from mutualaid.lib import ratelimit
from mutualaid.lib.refusal import Refusal
from mutualaid.network.models import NetworkSettings

from .models import Invite, Level, Role, TrustEvent, TrustEventKind, Vouch

APPROVERS = Capability.APPROVE
REVOKERS = Capability.REVOKE_VOUCHES
SUSPENDERS = Capability.SUSPEND
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
    """Append one row to the trust record. ``kind`` is a TrustEventKind.

    ``note`` is kept in clear: only words that say nothing private (a role's name, "vouched for by
    <handle>"), never a vouch's note or a suspension's reason, which stay sealed on their rows.
    """
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


def _refuse_relayed(member) -> None:
    """A neighbor organizers record needs for (accounts.ProxyContact) never volunteers: they have
    no account of their own until they take it over with their reference code."""
    if ProxyContact.objects.filter(member=member, taken_over_at__isnull=True).exists():
        raise Refusal(
            _(
                "%(handle)s has no account of their own yet: organizers speak for them until "
                "they take it over."
            )
            % {"handle": member.handle},
            code="relayed",
        )


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
    _refuse_relayed(vouchee)
    if vouchee.pk == voucher.pk:
        raise Refusal(_("You cannot vouch for yourself."))
    if not note:
        raise Refusal(_("Say in a few words how you know them."))
    if len(note) > NOTE_MAX:
        raise Refusal(
            _("Keep the note to %(max)d characters.") % {"max": NOTE_MAX}, code="too_long"
        )
    ratelimit.enforce("vouches", str(voucher.code))
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
        trust_event_record(actor=voucher, member=vouchee, kind=TrustEventKind.VOUCHED)
        member_level_recompute(member=vouchee)
        notify(member=vouchee, kind="vouch_received", voucher=voucher.handle)
    return vouch


def vouch_revoke(*, vouch: Vouch, by, reason: str = "") -> None:
    """Take back a vouch (the voucher, or a safety officer or admin); it stays in the tree."""
    if vouch.voucher_id != by.pk and not by.can(REVOKERS):
        raise Refusal(_("Only the member who gave this vouch, or a safety officer, can revoke it."))
    with transaction.atomic():
        now = timezone.now()
        changed = Vouch.objects.filter(pk=vouch.pk, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=by
        )
        if changed != 1:
            raise Refusal(_("This vouch has already been revoked."), code="stale")
        vouch.revoked_at = now
        vouch.revoked_by = by
        vouch.revoke_reason = (reason or "").strip()[:200]
        if vouch.revoke_reason:  # sealed: written by save, with its row
            vouch.save(update_fields=["revoke_reason"])
        # The vouchee may have left the network since (their place in the vouch is empty).
        vouchee = Member.objects.filter(pk=vouch.vouchee_id).first()
        trust_event_record(actor=by, member=vouchee, kind=TrustEventKind.VOUCH_REVOKED)
        if vouchee is not None:
            member_level_recompute(member=vouchee)
            notify(member=vouchee, kind="vouch_revoked")


def vouch_request(*, member) -> int:
    """A newcomer asks to be vouched for: the organizers who approve members, and the vouched
    members of their area who asked to hear of it, are told. Returns how many were told.

    Once a day at most (the limit "vouch-requests"); a member already vouched, or suspended, has
    nothing to ask.
    """
    if member.is_suspended():
        raise Refusal(_("Your account is suspended."), code="suspended")
    if member.is_vouched():
        raise Refusal(_("You are already a vouched member."), code="stale")
    ratelimit.enforce("vouch-requests", str(member.code))
    approvers = Member.objects.filter(
        role_grants__removed_at__isnull=True,
        role_grants__role__in=roles_with(Capability.APPROVE),
        is_active=True,
    )
    neighbors = Member.objects.none()
    if member.home_area_id is not None:
        neighbors = Member.objects.filter(
            level=Level.VOUCHED,
            is_active=True,
            hears_vouch_requests=True,
            home_area_id=member.home_area_id,
        )
    told = 0
    area = member.home_area.name if member.home_area_id else _("no area given")
    with transaction.atomic():
        for listener in (approvers | neighbors).exclude(pk=member.pk).distinct().order_by("pk"):
            notify(member=listener, kind="vouch_requested", handle=member.handle, area=area)
            told += 1
    return told


def vouch_requests_hear(*, member, hear: bool) -> None:
    """A vouched member chooses whether to hear of newcomers in their area asking for a vouch."""
    Member.objects.filter(pk=member.pk).update(hears_vouch_requests=bool(hear))
    member.hears_vouch_requests = bool(hear)


# Approval -----------------------------------------------------------------------------------


def member_approve(*, member, by) -> str:
    """An organizer (admin or safety officer) vouches for ``member`` on the network's behalf."""
    if not by.can(APPROVERS):
        raise Refusal(_("Only an admin or a safety officer can approve members."))
    if member.pk == by.pk:
        raise Refusal(_("You cannot approve yourself."))
    _refuse_relayed(member)
    already = _("%(handle)s is already approved.") % {"handle": member.handle}
    if _is_approved(member):
        raise Refusal(already, code="stale")
    with transaction.atomic():
        now = timezone.now()
        # Compare-and-set: not approved, or approved before a review hold. Two approvers at the
        # same moment: one writes, the other is told it is done.
        not_yet = Q(approved_at__isnull=True) | Q(
            review_hold_at__isnull=False, approved_at__lte=F("review_hold_at")
        )
        changed = (
            Member.objects.filter(pk=member.pk)
            .filter(not_yet)
            .update(approved_at=now, approved_by=by)
        )
        if changed != 1:
            raise Refusal(already, code="stale")
        member.approved_at, member.approved_by = now, by
        trust_event_record(actor=by, member=member, kind=TrustEventKind.APPROVED)
        level = member_level_recompute(member=member)
        notify(member=member, kind="approved")
        return level


def member_approval_withdraw(*, member, by) -> str:
    if not by.can(APPROVERS):
        raise Refusal(_("Only an admin or a safety officer can withdraw an approval."))
    not_approved = _("%(handle)s is not approved.") % {"handle": member.handle}
    if member.approved_at is None:
        raise Refusal(not_approved, code="stale")
    with transaction.atomic():
        changed = Member.objects.filter(pk=member.pk, approved_at__isnull=False).update(
            approved_at=None, approved_by=None
        )
        if changed != 1:
            raise Refusal(not_approved, code="stale")
        member.approved_at, member.approved_by = None, None
        trust_event_record(actor=by, member=member, kind=TrustEventKind.APPROVAL_WITHDRAWN)
        level = member_level_recompute(member=member)
        notify(member=member, kind="approval_withdrawn")
        return level


# Suspension ---------------------------------------------------------------------------------


def member_suspend(*, member, by, reason: str, flag_branch: bool = False) -> None:
    """A safety officer suspends ``member``, with a reason they are shown.

    ``flag_branch``: each member they vouch for (live vouches) is held for review from now, and is
    a newcomer until vouched or approved again after the hold.
    """
    reason = (reason or "").strip()
    if not by.can(SUSPENDERS):
        raise Refusal(_("Only a safety officer can suspend a member."))
    if member.pk == by.pk:
        raise Refusal(_("You cannot suspend yourself."))
    if not reason:
        raise Refusal(_("Give the reason: the member will be shown it."))
    with transaction.atomic():
        now = timezone.now()
        changed = Member.objects.filter(pk=member.pk, suspended_at__isnull=True).update(
            suspended_at=now
        )
        if changed != 1:
            raise Refusal(_("%(handle)s is already suspended.") % {"handle": member.handle})
        # The reason is sealed, so it is written by save(), in the same transaction; the member
        # row keeps its one copy (the trust record says only that they were suspended).
        member.suspension_reason = reason[:300]
        member.save(update_fields=["suspension_reason"])
        trust_event_record(actor=by, member=member, kind=TrustEventKind.SUSPENDED)
        member_level_recompute(member=member)
        notify(member=member, kind="suspended", reason=reason)
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


def member_unsuspend(*, member, by) -> str:
    if not by.can(SUSPENDERS):
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


@transaction.atomic
def invite_create(*, inviter, note: str) -> Invite:
    """A single-use link, valid seven days, for a member who could vouch now. The inviter's trust
    record shows it (the note stays on the invite, never on the record)."""
    note = (note or "").strip()
    refusal = vouch_refusal(inviter)
    if refusal:
        raise Refusal(refusal)
    if not note:
        raise Refusal(_("Say in a few words how you know them."))
    if len(note) > NOTE_MAX:
        raise Refusal(_("Keep the note to %(max)d characters.") % {"max": NOTE_MAX})
    invite = Invite.objects.create(
        inviter=inviter, note=note, expires_at=timezone.now() + INVITE_LIFETIME
    )
    trust_event_record(actor=inviter, member=inviter, kind=TrustEventKind.INVITE_CREATED)
    return invite


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


# Organizer roles ----------------------------------------------------------------------------


def _forget_roles(member) -> None:
    """The member object in hand reads its roles afresh (other requests read them anyway)."""
    member.__dict__.pop("roles", None)
    member.__dict__.pop("capabilities", None)


def _refuse_unless_admin(by) -> None:
    if not by.can(Capability.GRANT_ROLES):
        raise Refusal(_("Only admins grant and remove roles."), code="forbidden")


@transaction.atomic
def role_grant(*, member, role: str, by) -> RoleGrant:
    """Give ``member`` the ``role``, unless they hold it already or are suspended."""
    _refuse_unless_admin(by)
    if role not in Role.values:
        raise Refusal(_("There is no such role."))
    label = Role(role).label
    if member.is_suspended() or not member.is_active:
        raise Refusal(
            _("%(handle)s is suspended or gone: they cannot hold a role.") % {"handle": member}
        )
    refusal = _("%(handle)s is already a %(role)s.") % {"handle": member, "role": label}
    if RoleGrant.objects.filter(member=member, role=role, removed_at__isnull=True).exists():
        raise Refusal(refusal)
    try:
        with transaction.atomic():  # the constraint role_grant_one_live settles a race
            grant = RoleGrant.objects.create(member=member, role=role, granted_by=by)
    except IntegrityError:
        raise Refusal(refusal) from None
    trust_event_record(actor=by, member=member, kind=TrustEventKind.ROLE_GRANTED, note=role)
    _forget_roles(member)
    return grant


@transaction.atomic
def role_remove(*, grant: RoleGrant, by) -> None:
    """End ``grant``; the row stays, with who removed it and when. The last admin stays."""
    _refuse_unless_admin(by)
    if grant.role == Role.ADMIN:
        # Lock every live admin grant, so that two admins removing each other at the same moment
        # cannot leave the network with none (the second one waits and then sees one admin).
        admins = list(
            RoleGrant.objects.select_for_update()
            .filter(role=Role.ADMIN, removed_at__isnull=True)
            .values_list("pk", flat=True)
        )
        if admins == [grant.pk]:
            raise Refusal(
                _("%(handle)s is the last admin: grant the role to someone else first.")
                % {"handle": grant.member}
            )
    removed = RoleGrant.objects.filter(pk=grant.pk, removed_at__isnull=True).update(
        removed_at=timezone.now(), removed_by=by
    )
    if removed != 1:
        raise Refusal(_("That role was already removed."))
    trust_event_record(
        actor=by, member=grant.member, kind=TrustEventKind.ROLE_REMOVED, note=grant.role
    )
    _forget_roles(grant.member)
