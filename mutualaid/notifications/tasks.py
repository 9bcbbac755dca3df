"""Background work for notifications, run by the task worker (`manage.py worker`)."""

from django_tasks import task

from . import alerts, services, workers


@task()
def send_digests() -> int:
    """Make the daily digests that are due and send those waiting; no arguments, ever."""
    return services.digests_send()


@task()
def tell_need_opened(need_id: int) -> int:
    """The volunteers who opted in and fit a need that has just opened hear of it."""
    return alerts.need_opened_tell(need_id=need_id)


@task()
def tell_need_waiting(need_id: int) -> int:
    """The organizers who match needs hear that a new one is waiting."""
    return alerts.need_waiting_tell(need_id=need_id)


@task()
def tell_need_awaits_triage(need_id: int) -> int:
    """The organizers who triage hear that a new need waits for them."""
    return alerts.need_triage_tell(need_id=need_id)


@task()
def alert_unclaimed_needs() -> int:
    """Urgent needs nobody took on in time, each brought to the organizers once."""
    return alerts.needs_unclaimed_alert()


@task()
def tell_newcomers_waiting() -> int:
    """Once a day: how many newcomers wait for a vouch, to the organizers who approve."""
    return alerts.newcomers_waiting_tell()


@task()
def send_organizer_summary() -> bool:
    """Once a day: counts and links to the admins' chat address, if they set one."""
    return alerts.organizer_summary_send()


@task()
def sweep_lost_tasks() -> int:
    """Tasks left running by a worker that stopped beating go back in the queue (workers.py)."""
    return workers.tasks_sweep_lost()


@task()
def delete_old_task_results() -> int:
    """Finished tasks' results older than TASK_RESULTS_KEEP_DAYS go (workers.py)."""
    return workers.task_results_delete_old()
