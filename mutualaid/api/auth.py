"""Who a request speaks for: the bearer token in its Authorization header, and nothing else.

No session and no cookie count here, so no CSRF token is needed: a browser cannot be made to send
a token it does not hold. A revoked token, or a suspended member's, stops working on the next
request. Each token has its rate limit (``RATE_LIMITS["api"]``), and an address that keeps sending
unknown tokens is slowed down (``"api-bad-tokens"``).
"""

from django.contrib.auth.models import AnonymousUser
from django.utils import translation
from django.utils.translation import gettext as _

from mutualaid.lib import ratelimit

from . import selectors, services
from .http import error, too_many

# Which tokens an operation takes.
MEMBER, INTEGRATION, ANY, NONE = "member", "integration", "any", "none"
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="api"'}


def authenticate(request, *, takes: str, write: bool):
    """Set ``request.user`` and ``request.api_token`` from the request's token; return the error
    answer instead when it may not do this (None when it may)."""
    scheme, _space, secret = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret:
        return error(
            "no_token",
            _("Send an API token: Authorization: Bearer <token>."),
            status=401,
            headers=CHALLENGE,
        )
    address = ratelimit.client_address(request)
    allowed, retry_after = ratelimit.check("api-bad-tokens", address)
    if not allowed:
        return too_many(retry_after)
    token = selectors.token_for_secret(secret)
    if token is None:
        ratelimit.hit("api-bad-tokens", address)
        return error(
            "bad_token",
            _("This token is not known, or it was revoked."),
            status=401,
            headers=CHALLENGE,
        )
    allowed, retry_after = ratelimit.hit("api", str(token.code))
    if not allowed:
        return too_many(retry_after)
    if token.is_integration():
        if takes == MEMBER:
            return error(
                "wrong_token",
                _("This is about a member: use that member's own token."),
                status=403,
            )
        request.user = AnonymousUser()
    else:
        if takes == INTEGRATION:
            return error(
                "wrong_token",
                _("This is for the network's integration tokens, which organizers make."),
                status=403,
            )
        member = token.member
        if member.is_suspended() or member.suspended_at is not None or not member.is_active:
            return error(
                "suspended",
                _("Your account is suspended: you can read your notices and download your data."),
                status=403,
            )
        request.user = member
        if member.language:  # as on the pages (accounts.middleware.MemberLanguageMiddleware)
            request.LANGUAGE_CODE = member.interface_language()
            translation.activate(request.LANGUAGE_CODE)
    if write and not token.may_write():
        return error(
            "read_only",
            _("This token may only read. Make a token that may act to do this."),
            status=403,
        )
    services.token_used(token)
    request.api_token = token
    return None
