"""The network's own settings, changed by its admins from a page. (Roles are trust's, areas are
the areas app's, kinds of help are aid's: each app writes what it owns.)"""

from django.db import transaction
from django.utils import timezone

from mutualaid.lib import events, network_name

from .models import NetworkSettings, SettingsChange

SETTINGS_FIELDS = (
    "name",
    "scope",
    "contact_hours",
    "vouches_required",
    "vouch_wait_days",
    "vouch_limit",
    "retention_days",
    "max_active_claims",
    "proposal_hours",
    "phone_region",
    "triage_first",
    "stale_hours_today",
    "stale_hours_soon",
    "stale_hours_week",
    "stale_hours_anytime",
)

# Emitted on commit when settings changed, with ``fields``: the names of those that did. (Trust
# works out every member's level again when ``vouches_required`` is among them.)
SETTINGS_CHANGED = "network.settings_changed"


@transaction.atomic
def network_settings_update(*, by, **values) -> NetworkSettings:
    """Save the network's settings (the form has checked each value's range).

    Each setting whose value changes gets a ``SettingsChange`` row (old and new values, ``by``) in
    the same transaction; the apps above hear of it on commit (``SETTINGS_CHANGED``), and a new name
    shows on the next page of every process (the kept name is dropped on commit). Values equal
    to the current ones change nothing and record nothing.
    """
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"Not network settings: {', '.join(sorted(unknown))}")
    pk = NetworkSettings.load().pk
    current = NetworkSettings.objects.select_for_update().get(pk=pk)  # the old values hold still
    changed = {
        field: value for field, value in values.items() if getattr(current, field) != value
    }
    if not changed:
        return current
    now = timezone.now()
    NetworkSettings.objects.filter(pk=pk).update(**changed, updated_by=by, updated_at=now)
    SettingsChange.objects.bulk_create(
        SettingsChange(
            actor=by, field=field, old=getattr(current, field), new=value, created_at=now
        )
        for field, value in sorted(changed.items())
    )
    if "name" in changed:  # every page shows it, kept in the cache: read afresh after the commit
        transaction.on_commit(network_name.forget)
    events.emit(SETTINGS_CHANGED, fields=sorted(changed))
    return NetworkSettings.load()

