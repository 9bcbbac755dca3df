"""Background work: bringing the daily figures up to date on every housekeeping tick."""

import logging

from django_tasks import task

from . import services

logger = logging.getLogger(__name__)


@task()
def refresh_figures() -> str:
    first = services.figures_refresh()
    logger.info("Figures computed again from %s", first)
    return str(first)
