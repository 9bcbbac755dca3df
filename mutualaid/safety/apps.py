from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "mutualaid.safety"
    verbose_name = "Safety"
