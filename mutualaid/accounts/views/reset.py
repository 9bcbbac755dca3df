"""Password reset by handle. Email is optional here, so the answer never says who has one.

The link in the email carries a token; its page moves the token into the session and redirects to a
URL without it (as Django's PasswordResetConfirmView does), so the token stays out of the address
bar, the history and any Referer.
"""

from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from mutualaid.lib import ratelimit

from ..forms import PasswordResetForm
from ..models import Member
from ..tasks import send_password_reset

RESET_SESSION_KEY = "_password_reset_token"


@require_http_methods(["GET", "POST"])
@never_cache
def password_reset(request):
    """Limited per address (every request) and per handle asked (whether anybody's or not)."""
    if request.method == "POST":
        refused = ratelimit.limit(
            "password-reset-address", ratelimit.client_address(request), request
        )
        if refused:
            return refused
    form = PasswordResetForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        handle = form.cleaned_data["handle"]
        refused = ratelimit.limit("password-reset-handle", handle.lower(), request)
        if refused:
            return refused
        member = (
            Member.objects.filter(handle__iexact=handle, is_active=True)
            .exclude(email="")
            .only("code")
            .first()
        )
        # The same work whether or not anyone was found: the task is enqueued either way.
        send_password_reset.enqueue(
            code=str(member.code) if member else None,
            base_url=request.build_absolute_uri("/").rstrip("/"),
            language=get_language(),
        )
        context = {"form": PasswordResetForm(), "sent": True}
        return render(request, "accounts/password_reset.html", context)
    status = 422 if request.method == "POST" else 200
    return render(request, "accounts/password_reset.html", {"form": form}, status=status)


def _member_for(code, token) -> Member | None:
    member = Member.objects.filter(code=code, is_active=True).first()
    if member is None or not token or not default_token_generator.check_token(member, token):
        return None
    return member


@require_GET
@never_cache
def password_reset_link(request, code, token):
    if _member_for(code, token) is None:
        return render(request, "accounts/password_reset_set.html", {"invalid": True})
    request.session[RESET_SESSION_KEY] = token
    return redirect("accounts:password_reset_set", code=code)


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters()
@never_cache
def password_reset_set(request, code):
    member = _member_for(code, request.session.get(RESET_SESSION_KEY))
    if member is None:
        return render(request, "accounts/password_reset_set.html", {"invalid": True})
    form = SetPasswordForm(member, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        form.save()  # a new password hash: every session of the member ends, the link too
        del request.session[RESET_SESSION_KEY]
        messages.success(request, _("Your new password is set. Log in with it."))
        return redirect("accounts:login")
    status = 422 if request.method == "POST" else 200
    return render(request, "accounts/password_reset_set.html", {"form": form}, status=status)
