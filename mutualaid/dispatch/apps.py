from django.apps import AppConfig
from django.db.models.signals import post_migrate


def keep_indexes(using, **_kwargs) -> None:
    """After every migrate: SQLite drops a table's triggers and the indexes Django does not know
    of when a migration remakes the table, so the search's word indexes (search.install) are made
    again where missing."""
    from django.db import connections

    from .search import install

    install(connections[using])


class DispatchConfig(AppConfig):
    """The organizers' operations room: intake, triage, the dispatch queue, match suggestions,
    assigning the backlog, and search over what the network remembers."""

    name = "mutualaid.dispatch"
    verbose_name = "Dispatch"

    def ready(self):
        from mutualaid.privacy.selectors import export_part_register

        from . import notices  # noqa: F401  (registers this app's kinds of notice)
        from .selectors import messages_to_organizers_of

        # A member's file holds their messages to the organizers too.
        export_part_register("messages_to_organizers", messages_to_organizers_of)

        post_migrate.connect(keep_indexes, sender=self)
