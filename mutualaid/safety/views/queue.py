"""The safety officers' queue: open reports, oldest first, and what they do with each."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mutualaid.accounts.policy import Capability
from mutualaid.aid import selectors as aid_selectors
from mutualaid.lib.access import capability_required
from mutualaid.lib.refusal import Refusal

from .. import selectors, services
from ..forms import ReportHandleForm
from ..models import SubjectKind


@require_GET
@capability_required(Capability.HANDLE_REPORTS)
def report_queue(request):
    reports = selectors.report_queue()
    return render(request, "safety/report_queue.html", {"reports": reports})


class _ReportedText(str):
    """A reported message's words. Its repr names none: a template's debug log prints the
    context, and the words are private."""

    def __repr__(self):
        return "<ReportedText>"


def _render_report(request, report, *, form=None, status=200):
    body = None
    if report.kind == SubjectKind.MESSAGE:  # the officer reads someone's private message
        body = _ReportedText(aid_selectors.reported_message_text(report.message, request.user))
    actions = report.actions()
    context = {
        "report": report,
        "message_body": body,
        "subject_member": report.subject_member(),
        "form": form or (ReportHandleForm(actions=actions) if actions else None),
    }
    return render(request, "safety/report_detail.html", context, status=status)


@require_GET
@capability_required(Capability.HANDLE_REPORTS)
def report_detail(request, code):
    return _render_report(request, selectors.report_for_officer(code))


@require_POST
@capability_required(Capability.HANDLE_REPORTS)
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
