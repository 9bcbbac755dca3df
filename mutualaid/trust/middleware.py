"""A suspended member may log in only to read their notices and take their data away."""

from django.conf import settings
from django.shortcuts import render
from django.urls import Resolver404, resolve

# What a suspended member may still reach, by URL name.
OPEN_TO_SUSPENDED = frozenset(
    {
        "accounts:account",
        "accounts:notices",
        "accounts:notices_read",
        "privacy:export",
        "accounts:logout",
        "accounts:login",
        "accounts:set_language",
        # Where else to turn: public, visitors see it too.
        "aid:resources",
    }
)


class SuspendedMemberMiddleware:
    """Answer every other page with "Your account is suspended: <reason>" (403)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        member = getattr(request, "user", None)
        if (
            member is not None
            and member.is_authenticated
            and member.suspended_at is not None
            and not self.open_to_suspended(request.path_info)
        ):
            return render(
                request,
                "trust/suspended.html",
                {"reason": member.suspension_reason},
                status=403,
            )
        return self.get_response(request)

    @staticmethod
    def open_to_suspended(path: str) -> bool:
        if settings.STATIC_URL and path.startswith(settings.STATIC_URL):
            return True
        try:
            return resolve(path).view_name in OPEN_TO_SUSPENDED
        except Resolver404:
            return False
