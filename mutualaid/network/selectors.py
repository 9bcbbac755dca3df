"""Reads of the network's settings."""

from .models import NetworkSettings, SettingsChange


def network_name_stored() -> str | None:
    """The name the admins set (None before the settings are first saved), in one query. Pages
    read it through lib.network_name, which keeps it in the cache."""
    return NetworkSettings.objects.filter(pk=1).values_list("name", flat=True).first()


def settings_changes_recent(*, limit: int = 10) -> list[SettingsChange]:
    """The last changes to the settings, newest first, with who made them (one query)."""
    changes = SettingsChange.objects.select_related("actor").order_by("-created_at", "-pk")
    return list(changes[:limit])
