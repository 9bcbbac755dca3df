"""Rate limits: fixed-window counters on Django's cache.

A limit is a scope (``"signup"``, ``"login-handle"``...) with a number of hits allowed per window of
seconds, both read from ``settings.RATE_LIMITS``. Each scope counts per identifier (a handle, a
member's code, a client address), in a cache key holding the window's start, so a new window
starts a new count and an old one simply expires. ``cache.add`` then ``cache.incr`` make the count
atomic on Redis and on the local-memory cache alike.

Identifiers are keyed through an HMAC, so the cache never holds an address or a handle in clear.
A limit set to 0 is off.

Views call::

    allowed, retry_after = ratelimit.hit("messages", str(request.user.code))
    if not allowed:
        return ratelimit.too_many_requests(request, retry_after)
"""

import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from .refusal import Refusal

KEY_SALT = "mutualaid.lib.ratelimit"


def _limit(scope: str) -> tuple[int, int]:
    try:
        allowed, window = settings.RATE_LIMITS[scope]
    except KeyError:
        raise KeyError(f"No rate limit named {scope!r} in settings.RATE_LIMITS") from None
    return allowed, window


def _key(scope: str, identifier: str, window_start: int) -> str:
    digest = salted_hmac(KEY_SALT, f"{scope}:{identifier}", algorithm="sha256").hexdigest()
    return f"ratelimit:{scope}:{digest[:32]}:{window_start}"


def _window(window: int) -> tuple[int, int]:
    """(the current window's start, seconds until it ends), on the wall clock."""
    now = int(time.time())
    start = now - now % window
    return start, start + window - now


def hit(scope: str, identifier: str) -> tuple[bool, int]:
    """Count one hit; return (allowed, seconds until the window ends if it is not)."""
    allowed, window = _limit(scope)
    if allowed <= 0:
        return True, 0
    start, remaining = _window(window)
    key = _key(scope, identifier, start)
    cache.add(key, 0, timeout=remaining + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this hit opens the next window
        cache.add(key, 1, timeout=remaining + 1)
        count = 1
    if count > allowed:
        return False, remaining
    return True, 0


def check(scope: str, identifier: str) -> tuple[bool, int]:
    """Whether the limit is already reached, without counting a hit (for counting failures)."""
    allowed, window = _limit(scope)
    if allowed <= 0:
        return True, 0
    start, remaining = _window(window)
    if (cache.get(_key(scope, identifier, start)) or 0) >= allowed:
        return False, remaining
    return True, 0


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, unless settings trust a proxy's X-Forwarded-For.

    When trusted, the last address in X-Forwarded-For is used: the one our own proxy appended (any
    earlier ones were sent by the client and may be made up).
    """
    if settings.RATE_LIMIT_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if addresses:
            return addresses[-1]
    return request.META.get("REMOTE_ADDR", "")


def too_many_requests(request, retry_after: int):
    """The 429 page: says in words when to try again, with a Retry-After header."""
    retry_after = max(int(retry_after), 1)
    context = {
        "retry_after": retry_after,
        "retry_at": timezone.now() + timedelta(seconds=retry_after),
    }
    if getattr(request, "htmx", False):
        # An htmx request gets the sentence alone, shown in the page's notice area.
        response = render(request, "429.html#wait", context, status=429)
        response["HX-Retarget"] = "#flash"
        response["HX-Reswap"] = "innerHTML"
    else:
        response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def limit(scope: str, identifier: str, request):
    """Count one hit; return the 429 response if it is over the limit, or None."""
    allowed, retry_after = hit(scope, identifier)
    return None if allowed else too_many_requests(request, retry_after)


def enforce(scope: str, identifier: str) -> None:
    """The service-level door: count one hit, and refuse (code ``rate_limited``) once over.

    Services call this themselves, so a form, an import, the API and a background job all meet the
    same limit; a view turns the refusal into the 429 page (``refusal_response``).
    """
    allowed, retry_after = hit(scope, identifier)
    if not allowed:
        raise Refusal(
            _("You have done that too often. Please wait a while and try again."),
            code="rate_limited",
            retry_after=max(int(retry_after), 1),
        )


def refusal_response(request, refusal: Refusal):
    """The 429 page for a rate-limit refusal; None for any other refusal."""
    if refusal.code != "rate_limited":
        return None
    return too_many_requests(request, refusal.retry_after or 1)
