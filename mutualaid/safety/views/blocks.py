"""A member blocks another, by handle or from one of their messages; and unblocks them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from mutualaid.aid.selectors import shown_name
from mutualaid.lib.refusal import Refusal

from .. import selectors, services
from ..forms import BlockForm, HandleForm

BLOCKED = gettext_lazy("Blocked. They are not told; you can unblock them here at any time.")


@require_http_methods(["GET", "POST"])
@login_required
def blocks(request):
    form = HandleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_block(blocker=request.user, blocked=form.cleaned_data["handle"])
        except Refusal as refusal:
            form.add_error("handle", refusal.message)
        else:
            messages.success(request, str(BLOCKED))
            return redirect("safety:blocks")
    context = {"form": form, "blocks": selectors.blocks_of(request.user)}
    status = 422 if request.method == "POST" else 200
    return render(request, "safety/blocks.html", context, status=status)


@require_POST
@login_required
def block_from_message(request, code):
    message = selectors.message_for_member(request.user, code)
    need = message.claim.need
    if message.sender is None:
        messages.error(request, _("That member has left the network."))
    else:
        label = shown_name(message.sender, need=need, viewer=request.user)
        if need.hides_requester_from(request.user) and need.requester_id == message.sender_id:
            label = _("The anonymous requester of “%(summary)s”") % {"summary": need.summary}
        try:
            services.member_block(blocker=request.user, blocked=message.sender, label=label)
        except Refusal as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, str(BLOCKED))
    return redirect("aid:need", code=need.code)


@require_POST
@login_required
def unblock(request):
    form = BlockForm(request.POST)
    if not form.is_valid():
        context = {"form": HandleForm(), "blocks": selectors.blocks_of(request.user)}
        return render(request, "safety/blocks.html", context, status=422)
    services.member_unblock(block=selectors.block_of(request.user, form.cleaned_data["block"]))
    messages.success(request, _("Unblocked."))
    return redirect("safety:blocks")
