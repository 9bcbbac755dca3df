"""Requests that leave the session as it was: a page's own polling.

``SESSION_SAVE_EVERY_REQUEST`` writes the session (and pushes its expiry on) after every request,
so that a member who keeps using the site stays logged in. A page that asks the server every few
seconds whether anything changed is not the member using the site: left open, it would write the
session row on every poll and keep an idle session alive forever. A view marked
``@leaves_session_alone`` neither saves the session nor renews its cookie, unless it changed the
session itself (a login, a logout).
"""

from functools import wraps

from django.contrib.sessions import middleware
from django.utils.cache import patch_vary_headers

FLAG = "leaves_session_alone"


def leaves_session_alone(view):
    """Mark the view's requests as not the member's activity (see the module's docstring)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        setattr(request, FLAG, True)
        return view(request, *args, **kwargs)

    return wrapped


class SessionMiddleware(middleware.SessionMiddleware):
    """Django's, honouring ``@leaves_session_alone``; settings.MIDDLEWARE names this one."""

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is None or not getattr(request, FLAG, False) or session.modified:
            return super().process_response(request, response)
        if session.accessed:
            patch_vary_headers(response, ("Cookie",))
        return response
