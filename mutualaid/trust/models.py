"""Trust: who vouched for whom (kept forever), invitations, and the organizers' roles."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mutualaid.accounts.models import Level, Role, RoleGrant  # noqa: F401  (the trust record names them)
from mutualaid.lib.fields import EncryptedTextField


class Vouch(models.Model):
    """One member's word for another. Never deleted: revoking sets revoked_at."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    voucher = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="vouches_given"
    )
    vouchee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="vouches_received",
    )
    # Sealed: how two people know each other is theirs (at most services.NOTE_MAX).
    note = EncryptedTextField(_("how you know them"))
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Why it was taken back: it may describe the person, so it is sealed like the note.
    revoke_reason = EncryptedTextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["voucher", "vouchee"],
                condition=Q(revoked_at__isnull=True),
                name="vouch_one_live_per_pair",
            ),
            models.CheckConstraint(
                condition=~Q(voucher=models.F("vouchee")), name="vouch_not_for_oneself"
            ),
        ]
        indexes = [
            # A member's level: WHERE vouchee_id = ? AND revoked_at IS NULL
            models.Index(fields=["vouchee", "revoked_at"], name="vouch_vouchee_idx"),
            # Vouch limits and the tree: WHERE voucher_id = ? ORDER BY created_at
            models.Index(fields=["voucher", "created_at"], name="vouch_voucher_idx"),
        ]


class Invite(models.Model):
    """A single-use, expiring link that lets a friend join carrying the inviter's vouch."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    inviter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invites"
    )
    # Sealed: how two people know each other is theirs (at most services.NOTE_MAX).
    note = EncryptedTextField(_("how you know them"))
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    used_at = models.DateTimeField(null=True, blank=True)

    def is_usable(self, now=None) -> bool:
        return self.used_at is None and (now or timezone.now()) < self.expires_at


class TrustEventKind(models.TextChoices):
    VOUCHED = "vouched", _("Vouched")
    VOUCH_REVOKED = "vouch_revoked", _("Vouch revoked")
    APPROVED = "approved", _("Approved")
    APPROVAL_WITHDRAWN = "approval_withdrawn", _("Approval withdrawn")
    SUSPENDED = "suspended", _("Suspended")
    UNSUSPENDED = "unsuspended", _("Suspension lifted")
    BRANCH_FLAGGED = "branch_flagged", _("Held for review (their voucher was suspended)")
    INVITE_CREATED = "invite_created", _("Invitation created")
    INVITE_USED = "invite_used", _("Joined by invitation")
    ROLE_GRANTED = "role_granted", _("Role granted")
    ROLE_REMOVED = "role_removed", _("Role removed")


class TrustEvent(models.Model):
    """Every change to a member's trust, append-only, written by the trust services.

    ``note`` holds only words that say nothing private: a role's name, "vouched for by <handle>".
    A vouch's note, an invitation's and a suspension's reason stay sealed on their own rows, and
    the trust pages show them from there (see ``selectors.trust_events_of``).
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trust_events",
    )
    kind = models.CharField(max_length=20, choices=TrustEventKind.choices)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=TrustEventKind.values), name="trust_event_kind_valid"
            ),
        ]
        indexes = [
            # A member's record: WHERE member_id = ? ORDER BY created_at
            models.Index(fields=["member", "created_at"], name="trust_event_member_idx"),
        ]

    def __str__(self):
        return f"{self.kind} {self.member_id}"
