"""A safety officer suspends a member from their trust page: the trust record, and the needs they
hold go back on the board (safety.services.member_suspend)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutualaid.accounts.models import Member
from mutualaid.accounts.policy import Capability
from mutualaid.lib.access import capability_required
from mutualaid.lib.refusal import Refusal
from mutualaid.trust.forms import SuspendForm

from .. import services


@require_POST
@capability_required(Capability.SUSPEND)
def member_suspend(request, code):
    shown = get_object_or_404(Member, code=code)
    form = SuspendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason: the member will be shown it."))
        return redirect("trust:member", code=shown.code)
    try:
        services.member_suspend(
            member=shown,
            by=request.user,
            reason=form.cleaned_data["reason"],
            flag_branch=form.cleaned_data["flag_branch"],
        )
    except Refusal as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("%(handle)s is suspended.") % {"handle": shown.handle})
    return redirect("trust:member", code=shown.code)
