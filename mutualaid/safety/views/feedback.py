"""The follow-up after a need closed as done: each side answers privately, once; organizers who
match needs or handle reports read the answers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mutualaid.accounts.policy import Capability
from mutualaid.lib.refusal import Refusal

from .. import selectors, services
from ..forms import FeedbackForm
from ..models import Side

PAGE_SIZE = 50


@require_http_methods(["GET", "POST"])
@login_required
def feedback_new(request, code):
    need = selectors.need_for_feedback(request.user, code)
    if not need.asks_feedback_of(request.user):
        messages.error(request, _("You can say how it went once the need is closed as done."))
        return redirect("aid:need", code=need.code)
    side = Side.REQUESTER if need.is_requester(request.user) else Side.VOLUNTEER
    if request.method == "GET" and selectors.feedback_given(need, side):
        messages.info(request, _("You have already told us how it went for this need. Thank you!"))
        return redirect("aid:need", code=need.code)
    form = FeedbackForm(request.POST or None, side=side)
    if request.method == "POST" and form.is_valid():
        try:
            answer = services.feedback_give(
                need=need,
                member=request.user,
                outcome=form.cleaned_data["outcome"],
                unsafe=form.cleaned_data["unsafe"],
                words=form.cleaned_data["words"],
            )
        except Refusal as refusal:
            messages.error(request, refusal.message)
            return redirect("aid:need", code=need.code)
        if answer.unsafe:
            messages.success(
                request,
                _(
                    "Thank you for telling us. A safety officer will look at it; we will tell "
                    "you when."
                ),
            )
        else:
            messages.success(request, _("Thank you. Only the organizers read it."))
        return redirect("aid:need", code=need.code)
    status = 422 if request.method == "POST" else 200
    return render(request, "safety/feedback_new.html", {"need": need, "form": form}, status=status)


@require_GET
@login_required
def feedback_list(request):
    """For organizers who match needs or handle reports: how each closed need went."""
    if not (request.user.can(Capability.MATCH) or request.user.can(Capability.HANDLE_REPORTS)):
        raise PermissionDenied
    page = Paginator(selectors.feedback_for_organizers(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "safety/feedback_list.html", {"page": page})
