from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "mutualaid.demo"
    verbose_name = "Demo network"
