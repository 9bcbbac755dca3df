"""Background work for the loop's clocks, run by the task worker (`manage.py db_worker`)."""

import logging

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


CLOCKS = [confirm_overdue_needs, expire_stale_needs, purge_private_details]
