"""Reads of the network's settings."""

from .models import SettingsChange


def settings_changes_recent(*, limit: int = 10) -> list[SettingsChange]:
    """The last changes to the settings, newest first, with who made them (one query)."""
    changes = SettingsChange.objects.select_related("actor").order_by("-created_at", "-pk")
    return list(changes[:limit])
