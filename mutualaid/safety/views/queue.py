"""The safety officers' queue: open reports, oldest first, and what they do with each."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mutualaid.lib.refusal import Refusal
from mutualaid.privacy.models import AccessKind
from mutualaid.privacy.services import private_access_record
from mutualaid.trust.access import role_required
from mutualaid.trust.models import Role

from .. import selectors, services
from ..forms import ReportHandleForm
from ..models import SubjectKind


@require_GET
@role_required(Role.SAFETY)
def report_queue(request):
    reports = selectors.report_queue()
    return render(request, "safety/report_queue.html", {"reports": reports})


def _render_report(request, report, *, form=None, status=200):
    if report.kind == SubjectKind.MESSAGE:  # the officer reads someone's private message
        private_access_record(
            viewer=request.user, need=report.message.claim.need, what=[AccessKind.MESSAGES]
        )
    actions = report.actions()
    context = {
        "report": report,
        "subject_member": report.subject_member(),
        "form": form or (ReportHandleForm(actions=actions) if actions else None),
    }
    return render(request, "safety/report_detail.html", context, status=status)


@require_GET
@role_required(Role.SAFETY)
def report_detail(request, code):
    return _render_report(request, selectors.report_for_officer(code))


@require_POST
@role_required(Role.SAFETY)
def report_handle(request, code):
    report = selectors.report_for_officer(code)
    form = ReportHandleForm(request.POST, actions=report.actions())
    if not form.is_valid():
        return _render_report(request, report, form=form, status=422)
    try:
        services.report_handle(
            report=report,
            officer=request.user,
            action=form.cleaned_data["action"],
            note=form.cleaned_data["note"],
            flag_branch=form.cleaned_data["flag_branch"],
        )
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return redirect("safety:report_detail", code=report.code)
    messages.success(request, _("Done. The reporter has been told that their report was handled."))
    return redirect("safety:report_queue")
