"""A logged-in member reads every page in the language they chose (``Member.language``).

Django's LocaleMiddleware, earlier, chose the visitor's language from the cookie the footer's
picker sets or the browser's Accept-Language; a member's own choice, read with the member in the
request's one query (accounts/backends.py), comes after it and wins. A member who chose none keeps
what LocaleMiddleware chose.
"""

from django.contrib.auth import middleware
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from .backends import read_with


class MemberLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        member = getattr(request, "user", None)
        if member is not None and member.is_authenticated and member.language:
            request.LANGUAGE_CODE = member.interface_language()
            translation.activate(request.LANGUAGE_CODE)
        return self.get_response(request)


class AuthenticationMiddleware(middleware.AuthenticationMiddleware):
    """Django's, handing its auth the member the session was read with (accounts/sessions.py):
    Django checks them as it checks any, without a query of their own. settings.MIDDLEWARE
    names this one."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _user(request))


def _user(request):
    with read_with(request.session):
        return middleware.get_user(request)  # Django's, which keeps the user on the request
