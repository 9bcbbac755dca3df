"""Joining, logging in and out.

A failed login and a refused sign-up answer the same whether or not the handle is somebody's. (A
sign-up that succeeds shows, necessarily, that the handle was free.) Since the sign-up form tells
whether a handle can be had, every sign-up attempt counts towards a limit per address.

Joining by invitation is trust's page (``trust:join``), which uses the sign-up helpers below.
"""

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mutualaid.lib import ratelimit

from .. import services
from ..forms import HANDLE_REFUSED, LoginForm, SignUpForm
from ..models import Member

# Longer, and Django refuses the redirect (400), after the member was signed up or logged in.
NEXT_MAX = 2000


def safe_next(request) -> str:
    """The ``next`` page asked for, if it is a path on this site; else "".

    Only a path ("/offers/"): never another site, and never a bare word such as "board", which
    ``redirect()`` would take for the name of a URL.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and len(target) <= NEXT_MAX
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return ""


def next_redirect(request) -> HttpResponseRedirect:
    """On to the safe ``next`` page, or the board."""
    return HttpResponseRedirect(safe_next(request) or reverse("aid:board"))


def sign_up_attempt(request) -> tuple[SignUpForm, Member | None, HttpResponse | None]:
    """The sign-up form of this page and of trust's invitation page: (form, member, refused).

    Every POST counts towards "signup-attempts" for its address, valid or not, before the form
    looks up the handle; one that passes the form counts towards "signup" too. Then the member is
    signed up, logged in and welcomed. ``member`` is None unless they joined; ``refused`` is the
    429 page when a limit said no.
    """
    if request.method != "POST":
        return SignUpForm(), None, None
    address = ratelimit.client_address(request)
    refused = ratelimit.limit("signup-attempts", address, request)
    form = SignUpForm(request.POST)
    if refused or not form.is_valid():
        return form, None, refused
    refused = ratelimit.limit("signup", address, request)
    if refused:
        return form, None, refused
    try:
        member = services.member_sign_up(
            handle=form.cleaned_data["handle"],
            password=form.cleaned_data["password"],
            email=form.cleaned_data["email"],
            home_area=form.cleaned_data["home_area"],
            language=get_language(),  # the page's: kept as theirs
        )
    except (IntegrityError, ValidationError):  # the same handle, registered a moment ago
        form.add_error("handle", HANDLE_REFUSED)
        return form, None, None
    auth_login(request, member)
    messages.success(request, _("Welcome, %(handle)s.") % {"handle": member.handle})
    return form, member, None


INVITE_LINK_INCOMPLETE = gettext_lazy(
    "This invitation link is incomplete: check that you copied all of it. You can also join "
    "without it."
)


def _invite_link_moved(request) -> HttpResponse | None:
    """An old invitation link (``?invite=<code>``): on to the invitation's page, ``trust:join``.

    307 keeps the method and the form, so a page opened before the move still posts its sign-up.
    A code that is not one (a link cut short) gets the plain form, saying so (None).
    """
    try:
        code = uuid.UUID(request.GET["invite"])
    except ValueError:
        if request.method == "GET":
            messages.warning(request, INVITE_LINK_INCOMPLETE)
        return None
    url = reverse("trust:join", kwargs={"code": code})
    if safe_next(request):
        url += "?" + urlencode({"next": safe_next(request)})
    return HttpResponseRedirect(url, preserve_request=True)


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.GET.get("invite"):
        moved = _invite_link_moved(request)
        if moved:
            return moved
    form, member, refused = sign_up_attempt(request)
    if refused:
        return refused
    if member is not None:
        return next_redirect(request)
    status = 422 if request.method == "POST" else 200
    return render(request, "accounts/signup.html", {"form": form}, status=status)


def _login_limits(request) -> list[tuple[str, str]]:
    """The failed-login counts this attempt falls under: its handle's and its address's."""
    handle = request.POST.get("username", "").strip().lower()
    return [("login-handle", handle), ("login-address", ratelimit.client_address(request))]


@require_http_methods(["GET", "POST"])
def login(request):
    """Only failed logins count towards the limits; once over, not even the right password works."""
    if request.method == "POST":
        for scope, identifier in _login_limits(request):
            allowed, retry_after = ratelimit.check(scope, identifier)
            if not allowed:
                return ratelimit.too_many_requests(request, retry_after)
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            auth_login(request, form.get_user())
            return next_redirect(request)
        for scope, identifier in _login_limits(request):
            ratelimit.hit(scope, identifier)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "next": safe_next(request)}
    return render(request, "accounts/login.html", context, status=status)


@require_POST
def logout(request):
    auth_logout(request)
    messages.success(request, _("You are logged out."))
    return redirect("home")
