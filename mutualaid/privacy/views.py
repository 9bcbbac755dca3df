"""The member's private footprint: who viewed their private details, their data, leaving.

Every page here is about ``request.user`` and nobody else: there is no record to look up, so there
is no other member's record to reach.
"""

import json

from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from mutualaid.accounts.forms import DeleteAccountForm

from . import selectors, services

ACCESSES_PER_PAGE = 50


@require_GET
@login_required
def accesses(request):
    """Who opened the member's private details, newest first."""
    pages = Paginator(selectors.private_accesses_for(request.user), ACCESSES_PER_PAGE)
    page = pages.get_page(request.GET.get("page"))
    return render(request, "privacy/accesses.html", {"accesses": page})


@require_http_methods(["GET", "POST"])
@login_required
def export(request):
    """GET explains what the file holds; POST hands it over."""
    if request.method == "GET":
        return render(request, "privacy/export.html")
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
    return render(request, "privacy/delete.html", {"form": form}, status=status)
