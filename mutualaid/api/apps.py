from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "mutualaid.api"
    verbose_name = "API"

    def ready(self):
        from mutualaid.privacy.selectors import export_part_register

        from .selectors import tokens_of

        # A member's file names the API tokens they made (never a secret).
        export_part_register("api_tokens", tokens_of)
