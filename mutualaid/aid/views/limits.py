"""The volunteer's own limits: how many needs at once, and on which days."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mutualaid.accounts.forms import VolunteerLimitsForm
from mutualaid.accounts.services import member_set_limits
from mutualaid.network.models import NetworkSettings


@require_http_methods(["GET", "POST"])
@login_required
def volunteer_limits(request):
    """Only ``request.user``'s limits: there is no other member to reach."""
    member = request.user
    cap = NetworkSettings.load().max_active_claims
    form = VolunteerLimitsForm(member, cap, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        member_set_limits(
            member=member,
            max_active_claims=form.cleaned_data["max_active_claims"],
            available_days=form.cleaned_data["available_days"],
        )
        messages.success(request, _("Your limits are saved."))
        return redirect("aid:volunteer_limits")
    status = 422 if request.method == "POST" else 200
    return render(request, "aid/volunteer_limits.html", {"form": form}, status=status)
