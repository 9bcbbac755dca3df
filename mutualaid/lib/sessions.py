"""Sessions that last while a member uses the site, written rarely.

A session ends after ``SESSION_COOKIE_AGE`` without the member's activity: an idle limit, not a
fixed one. Django's way to get that, ``SESSION_SAVE_EVERY_REQUEST``, writes the session row on every
request, which costs a write per page view for a figure that needs minutes, not milliseconds. Here
a request renews the session (saves it, pushing its expiry on, and sends the cookie again) only
when it was last renewed more than ``SESSION_RENEW_AFTER`` seconds ago: the idle limit holds to
within that, and a member reading pages writes once an hour at most.

A page that asks the server every few seconds whether anything changed is not the member using the
site: a view marked ``@leaves_session_alone`` never renews the session, unless it changed the
session itself (a login, a logout), so a page left open does not keep an idle session alive.
"""

import logging
import time
from functools import wraps

from django.conf import settings
from django.contrib.sessions import middleware
from django.contrib.sessions.exceptions import SessionInterrupted
from django.db import DatabaseError
from django.utils.cache import patch_vary_headers

logger = logging.getLogger(__name__)

FLAG = "leaves_session_alone"
RENEWED = "_renewed"


def leaves_session_alone(view):
    """Mark the view's requests as not the member's activity (see the module's docstring)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        setattr(request, FLAG, True)
        return view(request, *args, **kwargs)

    return wrapped


def renew_if_due(session) -> None:
    """Mark a live session modified when its last renewal is older than SESSION_RENEW_AFTER, so
    that the middleware saves it and sends its cookie again. A request without a session cookie
    has nothing to renew (and its session is not even loaded)."""
    if session.session_key is None or session.is_empty():
        return
    now = int(time.time())
    if now - session.get(RENEWED, 0) >= settings.SESSION_RENEW_AFTER:
        session[RENEWED] = now


def renewed_at_login(sender, request, user, **_kwargs) -> None:
    """A login saves a new session: it counts as its first renewal (user_logged_in)."""
    if request is not None and hasattr(request, "session"):
        request.session[RENEWED] = int(time.time())


class SessionMiddleware(middleware.SessionMiddleware):
    """Django's, renewing sessions as above and honouring ``@leaves_session_alone``;
    settings.MIDDLEWARE names this one."""

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is None:
            return super().process_response(request, response)
        if not getattr(request, FLAG, False):
            if session.modified:
                return super().process_response(request, response)
            renew_if_due(session)
            try:
                return super().process_response(request, response)
            # A full disk or a read-only database (Django reports a failed save as the session
            # interrupted), or the session ended meanwhile: a renewal can wait, the page cannot.
            except (DatabaseError, SessionInterrupted):
                logger.warning("The session could not be renewed", exc_info=True)
                return response
        if session.modified:
            return super().process_response(request, response)
        if session.accessed:
            patch_vary_headers(response, ("Cookie",))
        return response
