from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "mutualaid.areas"
    verbose_name = "Areas"
