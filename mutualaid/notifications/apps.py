from django.apps import AppConfig


def on_need_opened(*, need_id, posted, **_data) -> None:
    """A need is on the board (run on commit): the volunteers who fit it hear of it, and, for a new
    need, the organizers who match; in the background, the task given the need's id alone."""
    # Imported here, not at start-up: a task binds its backend when its module is imported.
    from .tasks import tell_need_opened, tell_need_waiting

    tell_need_opened.enqueue(need_id)
    if posted:
        tell_need_waiting.enqueue(need_id)


def on_need_awaits_triage(*, need_id, **_data) -> None:
    """A new need waits for triage (run on commit): the triagers hear of it, in the background."""
    from .tasks import tell_need_awaits_triage

    tell_need_awaits_triage.enqueue(need_id)


class NotificationsConfig(AppConfig):
    name = "mutualaid.notifications"
    verbose_name = "Notifications"

    def ready(self):
        from mutualaid.aid.services import NEED_AWAITS_TRIAGE, NEED_OPENED
        from mutualaid.lib import channels as registry
        from mutualaid.lib import clocks, events

        from . import channels, notices  # noqa: F401  (notices registers this app's kinds)

        registry.register(channels.EMAIL_CHANNEL)
        registry.register(channels.CHAT_CHANNEL)
        events.subscribe(NEED_OPENED, on_need_opened)
        events.subscribe(NEED_AWAITS_TRIAGE, on_need_awaits_triage)
        # By its path: importing tasks.py here would bind the task backend before the settings
        # are final (the test suite swaps it).
        for name in (
            "send_digests",
            "alert_unclaimed_needs",
            "tell_newcomers_waiting",
            "send_organizer_summary",
            "sweep_lost_tasks",
            "delete_old_task_results",
        ):
            clocks.register(f"mutualaid.notifications.tasks.{name}")
