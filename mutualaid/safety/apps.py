from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "mutualaid.safety"
    verbose_name = "Safety"

    def ready(self):
        from . import notices  # noqa: F401  (registers this app's kinds of notice)
