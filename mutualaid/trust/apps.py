from django.apps import AppConfig


def on_network_settings_changed(*, fields, **_data) -> None:
    """The network's settings changed (run on commit): if the number of vouches required did,
    every member's level is worked out again, in the background."""
    if "vouches_required" in fields:
        # Imported here, not at start-up: a task binds its backend when its module is imported.
        from .tasks import members_level_recompute

        members_level_recompute.enqueue()


class TrustConfig(AppConfig):
    name = "mutualaid.trust"
    verbose_name = "Trust"

    def ready(self):
        from mutualaid.lib import events
        from mutualaid.network.services import SETTINGS_CHANGED

        from . import notices  # noqa: F401  (registers this app's kinds of notice)

        events.subscribe(SETTINGS_CHANGED, on_network_settings_changed)
