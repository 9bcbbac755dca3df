from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "mutualaid.notifications"
    verbose_name = "Notifications"

    def ready(self):
        from mutualaid.lib import channels as registry
        from mutualaid.lib import clocks

        from . import channels

        registry.register(channels.EMAIL_CHANNEL)
        registry.register(channels.CHAT_CHANNEL)
        # By its path: importing tasks.py here would bind the task backend before the settings
        # are final (the test suite swaps it).
        clocks.register("mutualaid.notifications.tasks.send_digests")
