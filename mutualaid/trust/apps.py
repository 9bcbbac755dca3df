from django.apps import AppConfig


class TrustConfig(AppConfig):
    name = "mutualaid.trust"
    verbose_name = "Trust"
