from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "mutualaid.privacy"
    verbose_name = "Privacy"
