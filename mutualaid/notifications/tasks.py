"""Background work for notifications, run by the task worker (`manage.py db_worker`)."""

from django_tasks import task

from . import services


@task()
def send_digests() -> int:
    """Make the daily digests that are due and send those waiting; no arguments, ever."""
    return services.digests_send()
