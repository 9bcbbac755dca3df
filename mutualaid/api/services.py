"""Every write to API tokens: made, revoked, and marked used.

A token's secret leaves this module once, returned by the service that makes it, for the page that
shows it; only its digest is kept. Each change writes its audit row (``ApiTokenChange``) in the
same transaction.
"""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualaid.accounts.policy import Capability
from mutualaid.lib.refusal import Refusal

from .models import NAME_MAX, ApiToken, ApiTokenChange, Scope, TokenAction, TokenKind

# What a secret starts with, by kind: a leaked one is recognised for what it is.
SECRET_PREFIX = {TokenKind.MEMBER: "mam_", TokenKind.INTEGRATION: "mai_"}
# How many characters of a secret its owner is shown, its kind's prefix included.
SHOWN = 12
# How many live tokens a member may hold at once, and the network its integrations.
MEMBER_TOKENS_MAX = 10
INTEGRATION_TOKENS_MAX = 20
# A token's "last used" is written at most this often: not a write per request.
LAST_USED_EVERY = timedelta(minutes=5)


def digest(secret: str) -> str:
    """The SHA-256 of a secret, hex: what the database keeps and looks it up by."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _name(name) -> str:
    name = " ".join(str(name or "").split())
    if not name:
        raise Refusal(_("Give the token a name."), code="empty", field="name")
    if len(name) > NAME_MAX:
        raise Refusal(
            _("Keep the name to %(max)d characters.") % {"max": NAME_MAX},
            code="too_long",
            field="name",
        )
    return name


def _make(*, kind, member, name, scope, by) -> tuple[ApiToken, str]:
    secret = SECRET_PREFIX[kind] + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        kind=kind,
        member=member,
        name=name,
        scope=scope,
        prefix=secret[:SHOWN],
        digest=digest(secret),
        created_by=by,
    )
    ApiTokenChange.objects.create(
        token=token,
        action=TokenAction.CREATED,
        actor=by,
        new={"kind": kind, "name": name, "scope": scope, "prefix": token.prefix},
    )
    return token, secret


def token_create(*, member, name, scope) -> tuple[ApiToken, str]:
    """A member token acting as ``member``: (the token, its secret, to be shown once)."""
    if member.is_suspended() or not member.is_active:
        raise Refusal(
            _("Your account is suspended: you can read your notices and download your data."),
            code="suspended",
        )
    name = _name(name)
    if scope not in Scope.values:
        raise Refusal(_("Choose one of the options listed."), code="invalid", field="scope")
    with transaction.atomic():
        # The member's row held, so that two requests at once cannot both pass the count.
        get_user_model().objects.select_for_update().filter(pk=member.pk).first()
        live = ApiToken.objects.filter(member=member, revoked_at__isnull=True).count()
        if live >= MEMBER_TOKENS_MAX:
            raise Refusal(
                _("You have %(count)d tokens already: revoke one you no longer use first.")
                % {"count": live},
                code="too_many",
            )
        return _make(kind=TokenKind.MEMBER, member=member, name=name, scope=scope, by=member)


def integration_token_create(*, by, name) -> tuple[ApiToken, str]:
    """A network's read-only token for the anonymous figures and the directory, made by an
    organizer who configures the network."""
    _refuse_unless_configurer(by)
    name = _name(name)
    with transaction.atomic():
        live = ApiToken.objects.filter(kind=TokenKind.INTEGRATION, revoked_at__isnull=True)
        if live.count() >= INTEGRATION_TOKENS_MAX:
            raise Refusal(
                _("The network has %(count)d integration tokens: revoke one first.")
                % {"count": INTEGRATION_TOKENS_MAX},
                code="too_many",
            )
        return _make(kind=TokenKind.INTEGRATION, member=None, name=name, scope=Scope.READ, by=by)


def _refuse_unless_configurer(by) -> None:
    if by is None or not by.can(Capability.CONFIGURE):
        raise Refusal(
            _("Only the network's admins may manage integration tokens."), code="forbidden"
        )


def token_revoke(*, token: ApiToken, by) -> None:
    """Revoke a token: it stops working on the next request. A member revokes their own; an admin
    who configures the network revokes the network's integration tokens."""
    if token.is_integration():
        _refuse_unless_configurer(by)
    elif by is None or token.member_id != by.pk:
        raise Refusal(_("Only its owner can revoke this token."), code="forbidden")
    with transaction.atomic():
        now = timezone.now()
        changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=now
        )
        if changed != 1:
            raise Refusal(_("This token was already revoked."), code="stale")
        token.revoked_at = now
        ApiTokenChange.objects.create(
            token=token, action=TokenAction.REVOKED, actor=by, old={"name": token.name}
        )


def token_used(token: ApiToken, *, now=None) -> None:
    """Note that the token was used, unless it was noted a moment ago (LAST_USED_EVERY)."""
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_EVERY:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
