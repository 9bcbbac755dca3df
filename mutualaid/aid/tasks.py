"""Background work for the loop's clocks, run by the task worker (`manage.py worker`)."""

import logging

from django.db import connection
from django_tasks import task

from . import services

logger = logging.getLogger(__name__)


@task()
def confirm_overdue_needs() -> int:
    count = services.needs_auto_confirm()
    logger.info("Auto-confirmed %d fulfilled needs", count)
    return count


@task()
def expire_stale_needs() -> int:
    count = services.needs_expire()
    logger.info("Expired %d open needs", count)
    return count


@task()
def purge_private_details() -> int:
    count = services.needs_purge_private()
    logger.info("Purged the private text of %d ended needs", count)
    return count


@task()
def expire_unanswered_proposals() -> int:
    count = services.proposals_expire()
    logger.info("Returned %d needs whose proposal was not answered in time", count)
    return count


@task()
def check_in_on_claims() -> int:
    asked, released = services.claims_check_in()
    logger.info("Asked %d volunteers if they are still on it; released %d claims", asked, released)
    return asked + released


# ANALYZE reads at most this many rows of each index: tens of milliseconds at city size.
ANALYSIS_LIMIT = 1000


@task()
def database_analyze() -> None:
    """Refresh SQLite's statistics for its query planner. Without them it may read every open
    offer where an index leads straight to a neighborhood's (7.5 ms against 1.6 ms for the match
    engine's offers at city size). PostgreSQL's autovacuum does the same by itself."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
            cursor.execute("ANALYZE")


CLOCKS = [
    confirm_overdue_needs,
    expire_stale_needs,
    purge_private_details,
    expire_unanswered_proposals,
    check_in_on_claims,
    database_analyze,
]
