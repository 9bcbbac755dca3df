"""Reads of API tokens: a member's own, the network's integrations, and the one a request names."""

from django.db.models import QuerySet

from .models import ApiToken, TokenKind
from .services import digest


def member_tokens(member) -> QuerySet[ApiToken]:
    """The member's live tokens, newest first (their account page)."""
    return ApiToken.objects.filter(member=member, revoked_at__isnull=True).order_by(
        "-created_at", "-pk"
    )


def tokens_of(member) -> list[dict]:
    """Every token the member made, revoked ones included, for their own data export: names,
    scopes and dates, never a secret or its digest."""
    return [
        {
            "name": token.name,
            "scope": token.scope,
            "prefix": token.prefix,
            "created_at": token.created_at,
            "last_used_at": token.last_used_at,
            "revoked_at": token.revoked_at,
        }
        for token in ApiToken.objects.filter(member=member).order_by("created_at", "pk")
    ]


def integration_tokens() -> QuerySet[ApiToken]:
    """The network's live integration tokens, newest first, with who made each."""
    return (
        ApiToken.objects.filter(kind=TokenKind.INTEGRATION, revoked_at__isnull=True)
        .select_related("created_by")
        .order_by("-created_at", "-pk")
    )


def token_for_secret(secret: str) -> ApiToken | None:
    """The live token whose secret this is, with its member and their home area (one query), or
    None."""
    if not secret or len(secret) > 200:
        return None
    return (
        ApiToken.objects.filter(digest=digest(secret), revoked_at__isnull=True)
        .select_related("member__home_area")
        .first()
    )
