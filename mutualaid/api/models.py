"""API tokens: how an integration speaks for a member, or reads the network's public figures.

A member token acts as one member, with that member's rights and no more, and only reads unless
its scope is ``write``. An integration token belongs to the network: organizers who configure it
make one for a dashboard or a funder's report, and it reads the anonymous figures and the
resource directory, nothing about anybody.

A token's secret is shown once, when it is made; the database keeps its SHA-256 digest only (the
secret is 32 random bytes, so a plain hash is enough: there is nothing to guess), and its first
characters, so that its owner can tell their tokens apart.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mutualaid.lib.audit import AuditRecord

NAME_MAX = 60


class TokenKind(models.TextChoices):
    MEMBER = "member", _("Member token")
    INTEGRATION = "integration", _("Integration token")


class Scope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and act (post, claim, send messages)")


class ApiToken(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=12, choices=TokenKind.choices)
    # The member it acts as (a member token); none for an integration token.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=NAME_MAX)
    scope = models.CharField(_("scope"), max_length=5, choices=Scope.choices, default=Scope.READ)
    # The secret's first characters, as its owner reads them ("mam_Xy12ab…").
    prefix = models.CharField(max_length=16)
    # SHA-256 of the secret, hex: how a request's token is found (one indexed lookup).
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=TokenKind.values), name="api_token_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(scope__in=Scope.values), name="api_token_scope_valid"
            ),
            # A member token has its member; an integration token has none, and only reads.
            models.CheckConstraint(
                condition=Q(kind=TokenKind.MEMBER, member__isnull=False)
                | Q(kind=TokenKind.INTEGRATION, member__isnull=True, scope=Scope.READ),
                name="api_token_owner_matches_kind",
            ),
        ]
        indexes = [
            # A member's tokens on their account page: WHERE member_id = ? AND revoked_at IS NULL
            models.Index(fields=["member", "revoked_at"], name="api_token_member_idx"),
        ]

    def __str__(self):
        return self.name

    def is_live(self) -> bool:
        return self.revoked_at is None

    def is_integration(self) -> bool:
        return self.kind == TokenKind.INTEGRATION

    def may_write(self) -> bool:
        return self.scope == Scope.WRITE


class TokenAction(models.TextChoices):
    CREATED = "created", _("created")
    REVOKED = "revoked", _("revoked")


class ApiTokenChange(AuditRecord):
    """A token made or revoked, by whom: ``new`` holds its name, kind, scope and prefix, never its
    secret. Goes with its token (a member who leaves takes theirs along)."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=10, choices=TokenAction.choices)

    class Meta(AuditRecord.Meta):
        indexes = [
            # A token's history: WHERE token_id = ? ORDER BY created_at DESC
            models.Index(fields=["token", "created_at"], name="api_token_change_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=TokenAction.values), name="api_token_change_action_valid"
            ),
        ]
