"""The upload page's writes: a file kept sealed between its steps, a check or an import started
(a compare-and-set, so that a form sent twice starts one run) and run in the background, and
uploads deleted a day after they came.

The file and the lookup are sealed (lib/fields.py) while they wait, and emptied once imported.
A task is handed the upload's id alone; what it reports (counts, and rejected rows as line
numbers and reasons) is sealed too, and holds no row's private text.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mutualaid.lib.refusal import Refusal

from . import reading
from .importing import (
    Report,
    refuse_missing_columns,
    refuse_unless_may_import,
    refuse_without_consent,
    run_import,
)
from .kinds import KINDS, Kind, areas_by_key, header_key
from .models import STARTABLE, Upload, UploadState
from .places import Places

LOOKUP_MAX_BYTES = 5 * 1024 * 1024
# An upload (its file, its report) is deleted this long after it came, imported or not.
KEEP = timedelta(days=1)


def kind_named(name: str) -> Kind:
    kind = KINDS.get(name)
    if kind is None:
        raise Refusal(_("Choose one of the options listed."), code="invalid", field="kind")
    return kind


def lookup_places(text: str) -> Places:
    """The organizer's lookup, read against the network's areas now."""
    if not text:
        return Places()
    return Places.parse(text, areas_by_key(), header_key=header_key)


def upload_create(*, by, kind: str, data: bytes, lookup: bytes = b"") -> Upload:
    """Keep an uploaded CSV (and its lookup) sealed for the next steps, with each column matched
    to the field its name suggests. Refuses a file that is no CSV, too large or empty, and a
    lookup that names areas the network lacks (``refusal.extra["field"]``: "file" or
    "lookup")."""
    chosen = kind_named(kind)
    refuse_unless_may_import(chosen, by)
    try:
        text = reading.decode(data)
        table = reading.read_table(text)
    except Refusal as refusal:
        raise Refusal(refusal.message, code=refusal.code, field="file") from None
    lookup_text = ""
    if lookup:
        try:
            lookup_text = reading.decode(lookup, limit=LOOKUP_MAX_BYTES)
            lookup_places(lookup_text)
        except Refusal as refusal:
            raise Refusal(refusal.message, code=refusal.code, field="lookup") from None
    return Upload.objects.create(
        kind=chosen.name,
        uploaded_by=by,
        content=text,
        lookup=lookup_text,
        mapping=chosen.guess(table.headers),
        rows=len(table.rows),
    )


def upload_start(
    *, upload: Upload, by, mapping: list[str], dry_run: bool, consent: bool | None = None
) -> None:
    """Check (``dry_run``) or import the upload with ``mapping`` (and ``consent``, the
    organizer's word for the file's people, if given), in the background. Refuses (changing
    nothing) a mapping without the kind's required columns, a run without consent, and a second
    run while one is going or after the import."""
    kind = kind_named(upload.kind)
    consent = upload.consent if consent is None else bool(consent)
    refuse_unless_may_import(kind, by)
    refuse_missing_columns(kind, mapping)
    refuse_without_consent(kind, mapping, consent)
    started = Upload.objects.filter(pk=upload.pk, state__in=STARTABLE).update(
        state=UploadState.CHECKING if dry_run else UploadState.IMPORTING,
        mapping=list(mapping),
        consent=consent,
        done=0,
        finished_at=None,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    if started != 1:
        raise Refusal(
            _("This file is being checked or imported already, or was imported."), code="stale"
        )
    upload.refresh_from_db(
        fields=["state", "mapping", "consent", "done", "finished_at", "language"]
    )
    transaction.on_commit(lambda: _hand_to_worker(upload.pk, dry_run))


def _hand_to_worker(upload_id: int, dry_run: bool) -> None:
    from .tasks import run_upload  # tasks.py imports this module: the worker's side

    run_upload.enqueue(upload_id, dry_run)


def upload_run(*, upload_id: int, dry_run: bool) -> Report | None:
    """The background run of upload_start: the rows through run_import, the progress told as it
    goes, the report kept; once imported, the file and the lookup emptied. None if the upload is
    gone or not waiting for this run (a task run twice)."""
    expected = UploadState.CHECKING if dry_run else UploadState.IMPORTING
    upload = Upload.objects.select_related("uploaded_by").filter(pk=upload_id).first()
    if upload is None or upload.state != expected:
        return None
    kind = kind_named(upload.kind)

    def progress(done: int, _total: int) -> None:
        Upload.objects.filter(pk=upload.pk).update(done=done)

    with translation.override(upload.language or settings.LANGUAGE_CODE):
        try:
            report = run_import(
                kind=kind,
                table=reading.read_table(upload.content),
                mapping=upload.mapping,
                by=upload.uploaded_by,
                places=lookup_places(upload.lookup),
                consent=upload.consent,
                dry_run=dry_run,
                progress=progress,
            )
        except Refusal as refusal:  # the whole file: a role taken away, an area renamed...
            report = Report(kind=kind.name, dry_run=dry_run, error=str(refusal.message))
        except Exception:
            Upload.objects.filter(pk=upload.pk).update(
                state=UploadState.FAILED, finished_at=timezone.now()
            )
            raise
    _finish(upload, report)
    return report


def _finish(upload: Upload, report: Report) -> None:
    if not Upload.objects.filter(pk=upload.pk).exists():
        return  # deleted by housekeeping meanwhile
    upload.report = report.to_json()
    upload.finished_at = timezone.now()
    fields = ["report", "finished_at", "state"]
    if report.error:
        upload.state = UploadState.FAILED
    elif report.dry_run:
        upload.state = UploadState.CHECKED
    else:
        upload.state = UploadState.IMPORTED
        upload.content = upload.lookup = ""
        fields += ["content", "lookup"]
    upload.save(update_fields=fields)


def uploads_delete_old(*, now=None) -> int:
    """Housekeeping: delete uploads older than KEEP, their files and reports with them."""
    now = now or timezone.now()
    deleted, _by_model = Upload.objects.filter(created_at__lt=now - KEEP).delete()
    return deleted
