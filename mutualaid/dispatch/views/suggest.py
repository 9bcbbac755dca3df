"""Match suggestions for one need: the volunteers who fit it best, each with why, and one click
to propose the match (the volunteer is asked, and holds the need once they accept)."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mutualaid.accounts.models import Member
from mutualaid.accounts.policy import Capability
from mutualaid.aid import selectors, services
from mutualaid.lib.access import capability_required
from mutualaid.lib.refusal import Refusal

from .. import matching

SHOWN = 10


class ProposeForm(forms.Form):
    volunteer = forms.UUIDField()


@require_GET
@capability_required(Capability.MATCH)
def suggestions(request, code):
    need = selectors.need_for_member(request.user, code)
    can_assign = need.can_assign(request.user)
    rows = matching.suggest(need, limit=SHOWN) if can_assign else []
    return render(
        request,
        "dispatch/suggestions.html",
        {"need": need, "rows": rows, "can_assign": can_assign},
    )


@require_POST
@capability_required(Capability.MATCH)
def suggestion_propose(request, code):
    """Propose the need to the volunteer of one row, through the organizer's own door
    (aid.services.need_assign), which checks everything again."""
    need = selectors.need_for_member(request.user, code)
    form = ProposeForm(request.POST)
    volunteer = None
    if form.is_valid():
        volunteer = Member.objects.filter(code=form.cleaned_data["volunteer"]).first()
    try:
        if volunteer is None:
            raise Refusal(_("That volunteer is no longer a member here."), code="unknown_member")
        services.need_assign(need=need, volunteer=volunteer, organizer=request.user)
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return redirect("dispatch:suggestions", code=need.code)
    messages.success(
        request,
        _("Asked %(handle)s: the need is theirs once they accept.") % {"handle": volunteer.handle},
    )
    return redirect("aid:need", code=need.code)
