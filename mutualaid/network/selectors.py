"""Reads of the network's settings, and of what its public page shows."""

from collections.abc import Callable

from .models import NetworkSettings, SettingsChange

# The kinds of help are aid's, an app above this one: aid registers how to read their names (in
# its ready()), as lib.network_name is told how to read the network's name.
KINDS_OF_HELP: dict[str, Callable[[], list[str]]] = {}


def kinds_of_help_register(source: Callable[[], list[str]]) -> None:
    KINDS_OF_HELP["names"] = source


def kinds_of_help() -> list[str]:
    """The names of the kinds of help, in the network's order (one query; none if no app says)."""
    source = KINDS_OF_HELP.get("names")
    return list(source()) if source else []


def network_name_stored() -> str | None:
    """The name the admins set (None before the settings are first saved), in one query. Pages
    read it through lib.network_name, which keeps it in the cache."""
    return NetworkSettings.objects.filter(pk=1).values_list("name", flat=True).first()


def settings_changes_recent(*, limit: int = 10) -> list[SettingsChange]:
    """The last changes to the settings, newest first, with who made them (one query)."""
    changes = SettingsChange.objects.select_related("actor").order_by("-created_at", "-pk")
    return list(changes[:limit])
