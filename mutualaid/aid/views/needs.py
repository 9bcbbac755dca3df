from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import selectors, services
from ..forms import BoardFilterForm, MessageForm, NeedForm

BOARD_PAGE_SIZE = 50

# The buttons on a need's page: URL word -> (service, what the member is told when it works).
NEED_ACTIONS = {
    "claim": (services.need_claim, gettext_lazy("It's yours. Say hello to them below.")),
    "release": (services.need_release, gettext_lazy("Released: the need is back on the board.")),
    "fulfil": (
        services.need_mark_fulfilled,
        gettext_lazy("Marked done. Thank you! They will confirm."),
    ),
    "confirm": (services.need_confirm, gettext_lazy("Confirmed. We are glad it worked out.")),
    "reopen": (services.need_reopen, gettext_lazy("Reopened: the need is back on the board.")),
    "cancel": (services.need_cancel, gettext_lazy("Cancelled.")),
}


@require_GET
@login_required
def board(request):
    form = BoardFilterForm.for_request(request)
    filters = form.cleaned_data if form.is_valid() else {}
    needs = selectors.board_needs(
        area=filters.get("area"),
        include_neighbors=filters.get("near", False),
        category=filters.get("category"),
        urgency=filters.get("urgency"),
    )
    page = Paginator(needs, BOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page}
    template = "aid/board.html#results" if request.htmx else "aid/board.html"
    return render(request, template, context, status=200 if form.is_valid() else 400)


@require_http_methods(["GET", "POST"])
@login_required
def need_new(request):
    home = request.user.home_area
    form = NeedForm(
        request.POST if request.method == "POST" else None,
        initial={"area": home.code if home else None},
    )
    if request.method == "POST" and form.is_valid():
        need = services.need_post(
            requester=request.user,
            category=form.cleaned_data["category"],
            area=form.cleaned_data["area"],
            summary=form.cleaned_data["summary"],
            details=form.cleaned_data["details"],
            urgency=form.cleaned_data["urgency"],
            needed_by=form.cleaned_data["needed_by"],
        )
        messages.success(request, _("Your need is posted. We will tell you when someone offers."))
        return redirect("aid:need", code=need.code)
    status = 422 if request.method == "POST" else 200
    return render(request, "aid/need_new.html", {"form": form}, status=status)


def _render_need(request, need, *, message_form=None, status=200):
    member = request.user
    private = need.can_see_private(member)
    context = {
        "need": need,
        "can_see_private": private,
        "show_names": private,
        "helper": selectors.need_helper(need) if private else None,
        "timeline": selectors.need_timeline(need),
        "conversation": selectors.need_messages(need, member),
        "message_form": message_form or MessageForm(),
        "live_claim": selectors.live_claim(need) if need.can_message(member) else None,
        "can": need.actions_for(member),
    }
    template = "aid/need_detail.html#need-panel" if request.htmx else "aid/need_detail.html"
    return render(request, template, context, status=status)


@require_GET
@login_required
def need_detail(request, code):
    need = selectors.need_for_member(request.user, code)
    return _render_need(request, need)


@require_POST
@login_required
def need_action(request, code, action):
    need = selectors.need_for_member(request.user, code)
    service, done = NEED_ACTIONS[action]
    try:
        service(need=need, member=request.user)
    except services.ActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, done)
    if request.htmx:
        return _render_need(request, selectors.need_for_member(request.user, code))
    return redirect("aid:need", code=need.code)


@require_POST
@login_required
def need_message(request, code):
    need = selectors.need_for_member(request.user, code)
    form = MessageForm(request.POST)
    if not form.is_valid():
        return _render_need(request, need, message_form=form, status=422)
    try:
        services.message_send(
            need=need,
            sender=request.user,
            body=form.cleaned_data["body"],
            claim_code=form.cleaned_data["claim"],
        )
    except services.ActionRefused as refusal:
        messages.error(request, refusal.message)
        # The page catches up with who the volunteer is now; the words are kept, not sent.
        refill = MessageForm(initial={"body": form.cleaned_data["body"]})
        need = selectors.need_for_member(request.user, code)
        return _render_need(request, need, message_form=refill, status=409)
    if request.htmx:
        return _render_need(request, need)
    return redirect(reverse("aid:need", kwargs={"code": need.code}) + "#conversation")
