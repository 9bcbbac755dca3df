from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "mutualaid.accounts"
    verbose_name = "Members"

    def ready(self):
        from mutualaid.lib import checks  # noqa: F401  (registers the project's system checks)
