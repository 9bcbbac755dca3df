from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AreasConfig(AppConfig):
    name = "mutualaid.areas"
    verbose_name = "Areas"

    def ready(self):
        # The lowest app installs what every app's pages share: the data versions
        # (mutualaid/lib/versions.py), watched on every connection, made after every migrate.
        from mutualaid.lib import versions

        post_migrate.connect(versions.install_after_migrate, sender=self)

