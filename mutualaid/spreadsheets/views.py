"""The upload page (/organize/import/): a CSV and its lookup in, each column matched to a field
(guessed from its name, changed with selects, the first rows shown), a dry run, then the import;
and the CSV exports (/organize/export/<kind>.csv).

The file is read into memory (never a temporary file on the disk) and sealed in the database
until it is imported; the check and the import run in the background, the page showing their
progress (htmx asks again every few seconds; without JavaScript, the page's link does).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from mutualaid.lib.refusal import Refusal

from . import exporting, reading, selectors, services
from .forms import MappingForm, MemoryOnlyUploadHandler, UploadForm
from .importing import Report
from .kinds import KINDS, kinds_for
from .models import UploadState

PREVIEW_ROWS = 3
PREVIEW_CHARS = 60
# The page lists this many rejected rows; all of them are in the download.
REJECTED_SHOWN = 100
TOO_LARGE = {
    "file": _("The file is larger than %(max)d MB: split it in parts and import each."),
    "lookup": _("The lookup is larger than %(max)d MB."),
}


def _exports(member) -> list[tuple[str, str]]:
    if not exporting.may_export(member):
        return []
    return [(name, f"spreadsheets:export_{name}") for name in exporting.EXPORTS]


@csrf_exempt  # checked below, once the file's handler is in place (csrf_protect)
@require_http_methods(["GET", "POST"])
@login_required
def import_start(request):
    """Choose what the file holds and upload it (with a lookup, if its rows have addresses)."""
    kinds = kinds_for(request.user)
    if not kinds:
        raise PermissionDenied
    if request.method == "POST":
        # Before anything reads the body: the file stays in memory.
        request.upload_handlers = [MemoryOnlyUploadHandler(request)]
    return _import_start(request, kinds)


@csrf_protect
def _import_start(request, kinds):
    posted = request.method == "POST"
    form = UploadForm(
        request.POST if posted else None, request.FILES if posted else None, kinds=kinds
    )
    if posted:
        valid = form.is_valid()
        for name in request.upload_handlers[0].too_large:
            form.errors.pop(name, None)
            limit = services.LOOKUP_MAX_BYTES if name == "lookup" else reading.MAX_BYTES
            form.add_error(name, TOO_LARGE[name] % {"max": limit // (1024 * 1024)})
            valid = False
        if valid:
            lookup = form.cleaned_data["lookup"]
            try:
                upload = services.upload_create(
                    by=request.user,
                    kind=form.cleaned_data["kind"],
                    data=form.cleaned_data["file"].read(),
                    lookup=lookup.read() if lookup else b"",
                )
            except Refusal as refusal:
                field = refusal.extra.get("field")
                form.add_error(field if field in form.fields else None, refusal.message)
            else:
                return redirect("spreadsheets:upload", code=upload.code)
    context = {"form": form, "kinds": kinds, "exports": _exports(request.user)}
    return render(request, "spreadsheets/import.html", context, status=422 if posted else 200)


def _preview(upload, kind, data=None):
    """The mapping form, and each column's first cells (the uploader's own file)."""
    table = reading.read_table(upload.content, limit_rows=PREVIEW_ROWS)
    form = MappingForm(
        data, kind=kind, headers=table.headers, mapping=upload.mapping, consent=upload.consent
    )
    columns = [
        {
            "field": field,
            "samples": [
                cells[index][:PREVIEW_CHARS] for _line, cells in table.rows if cells[index].strip()
            ],
        }
        for index, field in enumerate(form.column_fields())
    ]
    return form, columns


@require_http_methods(["GET", "POST"])
@login_required
def upload_page(request, code):
    """One upload: its columns to match, a run's progress, or its report."""
    upload = selectors.upload_for(request.user, code)
    kind = KINDS[upload.kind]
    startable = upload.state in (UploadState.MAPPING, UploadState.CHECKED, UploadState.FAILED)
    if request.method == "POST" and not startable:
        messages.error(
            request, _("This file is being checked or imported already, or was imported.")
        )
        return redirect("spreadsheets:upload", code=upload.code)
    form = columns = None
    if startable:
        form, columns = _preview(upload, kind, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.upload_start(
                upload=upload,
                by=request.user,
                mapping=form.mapping(),
                dry_run=request.POST.get("action") != "import",
                consent=form.cleaned_data.get("consent", False),
            )
        except Refusal as refusal:
            form.add_error("consent" if refusal.code == "consent" else None, refusal.message)
        else:
            return redirect("spreadsheets:upload", code=upload.code)
    report = Report.from_json(upload.report) if upload.report else None
    context = {
        "upload": upload,
        "kind": kind,
        "form": form,
        "columns": columns,
        "report": report,
        "rejected": report.rejected[:REJECTED_SHOWN] if report else [],
        "states": UploadState,
    }
    status = 422 if request.method == "POST" else 200
    response = render(request, "spreadsheets/upload.html", context, status=status)
    if request.htmx and not upload.is_running():
        response["HX-Refresh"] = "true"  # the run is over: the whole page shows its report
    return response


@require_GET
@login_required
def upload_rejected(request, code):
    """The last run's rejected rows, all of them, as a CSV: line and reason (nothing of the
    rows themselves)."""
    upload = selectors.upload_for(request.user, code)
    if not upload.report:
        raise Http404("No report yet")
    report = Report.from_json(upload.report)
    rows = [[_("Line"), _("Reason")], *report.rejected]
    response = StreamingHttpResponse(
        exporting.csv_lines(rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="rejected-{upload.kind}.csv"'
    return response


@require_GET
@login_required
def export(request, kind):
    """Needs, offers or resources as a CSV, streamed (exporting.py says what each holds)."""
    if not exporting.may_export(request.user):
        raise PermissionDenied
    if kind not in exporting.EXPORTS:
        raise Http404("No such export")
    response = StreamingHttpResponse(
        exporting.export_lines(kind, request.user), content_type="text/csv; charset=utf-8"
    )
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{kind}-{day}.csv"'
    return response
