from django.apps import AppConfig


class AidConfig(AppConfig):
    name = "mutualaid.aid"
    verbose_name = "Needs and offers"

    def ready(self):
        from . import notices  # noqa: F401  (registers this app's kinds of notice)
