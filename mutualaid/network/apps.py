from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "mutualaid.network"
    verbose_name = "Network"

    def ready(self):
        from mutualaid.lib import network_name

        from .selectors import network_name_stored

        network_name.register(network_name_stored)  # the name every page and message shows
