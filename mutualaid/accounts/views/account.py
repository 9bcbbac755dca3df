"""The member's own account: details, notices, who viewed what, their data, leaving.

Every page here is about ``request.user`` and nobody else: there is no record to look up, so there
is no other member's record to reach.
"""

import json

from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from mutualaid.network.models import NetworkSettings

from .. import selectors, services
from ..forms import AccountForm, DeleteAccountForm, VolunteerLimitsForm

ACCESSES_PER_PAGE = 50
NOTICES_PER_PAGE = 50
NOTICES_ON_ACCOUNT = 5


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters()
@login_required
def account(request):
    member = request.user
    form = AccountForm(member, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.member_update(
            member=member,
            email=form.cleaned_data["email"],
            home_area=form.cleaned_data["home_area"],
        )
        messages.success(request, _("Your details are saved."))
        return redirect("accounts:account")
    status = 422 if request.method == "POST" else 200
    return _render_account(request, form=form, status=status)


def _render_account(request, *, form=None, limits_form=None, status=200):
    member = request.user
    accesses = Paginator(selectors.private_accesses_for(member), ACCESSES_PER_PAGE)
    context = {
        "form": form if form is not None else AccountForm(member),
        "limits_form": limits_form
        if limits_form is not None
        else VolunteerLimitsForm(member, NetworkSettings.load().max_active_claims),
        "notices": selectors.notices_for(member)[:NOTICES_ON_ACCOUNT],
        "accesses": accesses.get_page(request.GET.get("page")),
    }
    return render(request, "accounts/account.html", context, status=status)


@require_POST
@login_required
def volunteer_limits(request):
    """The volunteer's limits, a form of its own on the account page."""
    member = request.user
    form = VolunteerLimitsForm(member, NetworkSettings.load().max_active_claims, request.POST)
    if not form.is_valid():
        return _render_account(request, limits_form=form, status=422)
    services.member_set_limits(
        member=member,
        max_active_claims=form.cleaned_data["max_active_claims"],
        available_days=form.cleaned_data["available_days"],
    )
    messages.success(request, _("Your limits are saved."))
    return redirect(reverse("accounts:account") + "#limits")


@require_http_methods(["GET"])
@login_required
def notices(request):
    pages = Paginator(selectors.notices_for(request.user), NOTICES_PER_PAGE)
    page = pages.get_page(request.GET.get("page"))
    return render(request, "accounts/notices.html", {"page": page})


@require_POST
@login_required
def notices_read(request):
    services.notices_mark_read(member=request.user)
    return redirect(
        "accounts:account" if request.POST.get("back") == "account" else "accounts:notices"
    )


@require_http_methods(["GET", "POST"])
@login_required
def export(request):
    """GET explains what the file holds; POST hands it over."""
    if request.method == "GET":
        return render(request, "accounts/export.html")
    member = request.user
    data = selectors.member_export(member)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    filename = f"mutualaid-{member.handle}-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters()
@login_required
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        member = form.save()
        # This session goes on; every other session of the member ends with the old password.
        update_session_auth_hash(request, member)
        messages.success(request, _("Your password is changed. Other devices are logged out."))
        return redirect("accounts:account")
    status = 422 if request.method == "POST" else 200
    return render(request, "accounts/password_change.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters()
@login_required
def delete(request):
    form = DeleteAccountForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.member_delete(member=request.user)
        auth_logout(request)
        messages.success(
            request, _("Your account is deleted. Thank you for being part of the network.")
        )
        return redirect("home")
    status = 422 if request.method == "POST" else 200
    return render(request, "accounts/delete.html", {"form": form}, status=status)
