"""Gates for organizer pages: by role, checked on every request."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def role_required(*roles):
    """The view is for members holding one of ``roles`` (any organizer role if none is named).

    An anonymous visitor is sent to log in; a member without the role gets 403.
    """

    def decorator(view):
        @wraps(view)
        @login_required
        def gated(request, *args, **kwargs):
            member = request.user
            allowed = member.has_role(*roles) if roles else member.is_organizer
            if not allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return gated

    return decorator
