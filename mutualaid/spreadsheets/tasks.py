"""Background work for imports, run by the task worker (`manage.py worker`): handed ids, never
text."""

import logging

from django_tasks import task

from . import services

logger = logging.getLogger(__name__)


@task()
def run_upload(upload_id: int, dry_run: bool) -> None:
    """Check or import one upload (services.upload_start queued it)."""
    report = services.upload_run(upload_id=upload_id, dry_run=dry_run)
    if report is not None:
        logger.info("Upload %d %s: %s", upload_id, "checked" if dry_run else "run", report.counts)


@task()
def delete_old_uploads() -> int:
    """Housekeeping: uploads a day old go, with their sealed files and reports."""
    return services.uploads_delete_old()
