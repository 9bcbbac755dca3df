"""The footer's language picker: a plain form, so it works without JavaScript.

Like Django's ``set_language``: the choice goes into the language cookie (a visitor's language from
then on), and the browser goes back to the page it came from. A logged-in member's choice is also
kept as theirs (``Member.language``): their pages, emails and chat messages follow it, on every
device.
"""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from .session import safe_next


def remember_language(response, language: str) -> None:
    """Set the language cookie, as Django's ``set_language`` does."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def _back(request) -> str:
    """The page the picker was on: ``next`` if it is a path here, else the referring page if it
    is one of ours, else the home page."""
    if safe_next(request):
        return safe_next(request)
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return "/"


@require_POST
def set_language(request):
    language = request.POST.get("language", "")
    response = HttpResponseRedirect(_back(request))
    if language not in dict(settings.LANGUAGES):
        messages.error(request, _("Choose one of the languages listed."))
        return response
    if request.user.is_authenticated:
        services.member_set_language(member=request.user, language=language)
    remember_language(response, language)
    return response
