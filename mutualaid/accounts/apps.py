from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "mutualaid.accounts"
    verbose_name = "Members"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from mutualaid.lib import checks  # noqa: F401  (registers the project's system checks)
        from mutualaid.lib.sessions import renewed_at_login

        user_logged_in.connect(renewed_at_login, dispatch_uid="renewed_at_login")
