from django.apps import AppConfig


class AidConfig(AppConfig):
    name = "mutualaid.aid"
    verbose_name = "Needs and offers"

    def ready(self):
        from mutualaid.network.selectors import kinds_of_help_register

        from . import notices  # noqa: F401  (registers this app's kinds of notice)
        from .selectors import category_names

        kinds_of_help_register(category_names)  # the network's public page lists them
