"""Gates for pages: a capability of the organizer roles, checked on every request."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def capability_required(capability: str):
    """The view is for members whose roles carry ``capability`` (accounts/policy.py).

    An anonymous visitor is sent to log in; a member without it gets 403. The member answers
    ``can()`` itself, so this gate needs no app's models.
    """

    def decorator(view):
        @wraps(view)
        @login_required
        def gated(request, *args, **kwargs):
            if not request.user.can(capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return gated

    return decorator
