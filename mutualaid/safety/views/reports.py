"""Members report a member, a need, an offer or a message they can see."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from mutualaid.aid import selectors as aid_selectors
from mutualaid.lib import ratelimit
from mutualaid.lib.refusal import Refusal

from .. import selectors, services
from ..forms import MemberReportForm, ReportForm

THANKS = gettext_lazy(
    "Thank you for telling us. A safety officer will look at it; we will tell you when."
)


def _report(request, form, *, about: str, back: str, **subject):
    """Show the report form; on a valid POST, file the report about ``subject``."""
    if request.method == "POST" and form.is_valid():
        subject = subject or {"member": form.cleaned_data["handle"]}
        try:
            services.report_file(
                reporter=request.user,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
                **subject,
            )
        except Refusal as refusal:
            too_many = ratelimit.refusal_response(request, refusal)
            if too_many:
                return too_many
            form.add_error(None, refusal.message)
        else:
            messages.success(request, str(THANKS))
            return redirect(back)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "about": about, "back": back}
    return render(request, "safety/report_new.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def report_need(request, code):
    need = aid_selectors.need_for_member(request.user, code)
    return _report(
        request,
        ReportForm(request.POST or None),
        about=_("the need “%(summary)s”") % {"summary": need.summary},
        back=reverse("aid:need", args=[need.code]),
        need=need,
    )


@require_http_methods(["GET", "POST"])
@login_required
def report_offer(request, code):
    offer = aid_selectors.offer_for_member(request.user, code)
    return _report(
        request,
        ReportForm(request.POST or None),
        about=_("the offer “%(summary)s”") % {"summary": offer.summary},
        back=reverse("aid:offer", args=[offer.code]),
        offer=offer,
    )


@require_http_methods(["GET", "POST"])
@login_required
def report_message(request, code):
    message = selectors.message_for_member(request.user, code)
    need = message.claim.need
    return _report(
        request,
        ReportForm(request.POST or None),
        about=_("a message about “%(summary)s”") % {"summary": need.summary},
        back=reverse("aid:need", args=[need.code]),
        message=message,
    )


@require_http_methods(["GET", "POST"])
@login_required
def report_member(request):
    return _report(
        request,
        MemberReportForm(request.POST or None),
        about=_("a member"),
        back=reverse("safety:blocks"),
    )
