"""Assign the backlog: propose every waiting need to a volunteer with room at once, reviewed by
the dispatcher before anything is sent."""

import uuid

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from mutualaid.accounts.policy import Capability
from mutualaid.lib.access import capability_required

from .. import backlog

MAX_PAIRS = 5000


@require_http_methods(["GET", "POST"])
@capability_required(Capability.MATCH)
def backlog_page(request):
    """GET: the form that asks for a proposal. POST: the proposal, computed now, for review
    (nothing is written until "Send all checked")."""
    rows = backlog.propose() if request.method == "POST" else None
    return render(request, "dispatch/backlog.html", {"rows": rows})


def _pairs(values):
    """The (need code, volunteer code) pairs the review form posted; anything else is dropped."""
    for value in values[:MAX_PAIRS]:
        need, _sep, member = value.partition(":")
        try:
            yield uuid.UUID(need), uuid.UUID(member)
        except ValueError:
            continue


@require_POST
@capability_required(Capability.MATCH)
def backlog_send(request):
    """Send the checked rows: each pair goes through need_assign again, so a row that can no
    longer stand is refused with its reason and the others are sent."""
    pairs = list(_pairs(request.POST.getlist("pair")))
    if not pairs:
        messages.info(request, _("No row was checked: nothing was sent."))
        return redirect("dispatch:backlog")
    result = backlog.send(pairs=pairs, organizer=request.user)
    if result.sent:
        messages.success(
            request,
            ngettext(
                "Sent %(count)d proposal: the volunteer was asked, and holds the need once they "
                "accept.",
                "Sent %(count)d proposals: each volunteer was asked, and holds the need once "
                "they accept.",
                len(result.sent),
            )
            % {"count": len(result.sent)},
        )
    for need, volunteer, why in result.refused:
        messages.error(
            request,
            _("Not sent: “%(summary)s” to %(handle)s. %(why)s")
            % {
                "summary": need.summary if need else _("a need"),
                "handle": volunteer.handle if volunteer else _("a former member"),
                "why": why,
            },
        )
    return redirect("dispatch:backlog")
