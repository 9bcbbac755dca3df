"""A neighbor an organizer recorded needs for (proxy intake) takes their account over.

The reference code is the only key, so every wrong code counts towards the failed-login limits
of the client's address (the login page's own "login-address"): guessing codes costs as much as
guessing passwords, and the two cannot be alternated to get twice the tries. A code that works
is used up (accounts.services.proxy_take_over).
"""

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from mutualaid.lib import ratelimit
from mutualaid.lib.refusal import Refusal

from .. import services
from ..forms import TakeOverForm

LIMIT = "login-address"


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters()
def take_over(request):
    form = TakeOverForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        address = ratelimit.client_address(request)
        allowed, retry_after = ratelimit.check(LIMIT, address)
        if not allowed:
            return ratelimit.too_many_requests(request, retry_after)
        if form.is_valid():
            try:
                member = services.proxy_take_over(
                    code=form.cleaned_data["reference"],
                    password=form.cleaned_data["password"],
                    handle=form.cleaned_data["handle"],
                    email=form.cleaned_data["email"],
                    language=get_language(),
                )
            except Refusal as refusal:
                if refusal.code == "reference":
                    ratelimit.hit(LIMIT, address)
                form.add_error(
                    "handle" if refusal.code == "handle" else "reference", refusal.message
                )
            else:
                auth_login(request, member)
                messages.success(
                    request,
                    _("Welcome, %(handle)s. Your needs are yours to follow now.")
                    % {"handle": member.handle},
                )
                return redirect("aid:my_needs")
    status = 422 if request.method == "POST" else 200
    return render(request, "accounts/take_over.html", {"form": form}, status=status)
