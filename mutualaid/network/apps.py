from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "mutualaid.network"
    verbose_name = "Network"
