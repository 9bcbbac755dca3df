"""Joining, logging in and out.

A failed login and a refused sign-up answer the same whether or not the handle is somebody's. (A
sign-up that succeeds shows, necessarily, that the handle was free.)
"""

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mutualaid.lib import ratelimit
from mutualaid.trust import views as trust_views

from .. import services
from ..forms import HANDLE_REFUSED, SignUpForm


def _next_url(request, default="aid:board"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_http_methods(["GET", "POST"])
def signup(request):
    invite = trust_views.invite_from_request(request)  # ?invite=<code>: join carrying a vouch
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        refused = ratelimit.limit("signup", ratelimit.client_address(request), request)
        if refused:
            return refused
        try:
            member = services.member_sign_up(
                handle=form.cleaned_data["handle"],
                password=form.cleaned_data["password"],
                email=form.cleaned_data["email"],
                home_area=form.cleaned_data["home_area"],
            )
        except (IntegrityError, ValidationError):  # the same handle, registered a moment ago
            form.add_error("handle", HANDLE_REFUSED)
        else:
            auth_login(request, member, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome, %(handle)s.") % {"handle": member.handle})
            trust_views.invite_accept(request, invite, member)
            return redirect(_next_url(request))
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
    form = AuthenticationForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            auth_login(request, form.get_user())
            return redirect(_next_url(request))
        for scope, identifier in _login_limits(request):
            ratelimit.hit(scope, identifier)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": _next_url(request, default="")},
        status=status,
    )


@require_POST
def logout(request):
    auth_logout(request)
    messages.success(request, _("You are logged out."))
    return redirect("home")
