"""Audit rows: who changed the network's configuration, and each value before and after.

A service that changes a setting, an area or a kind of help writes one row per change in its own
transaction (see STYLE.md, "Audit with old and new values"). Each app keeps its own concrete model
on this abstract base (``network.SettingsChange``, ``areas.AreaChange``, ``aid.CategoryChange``),
naming what changed in its own terms. Rows are append-only: never updated, never deleted. ``old``
and ``new`` hold plain JSON values (names, numbers, lists of names), never a member's private text.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

APPEND_ONLY = "The audit log is append-only: its rows are never changed or deleted."


class AppendOnlyQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, update_conflicts=False, **kwargs):
        if update_conflicts:
            raise TypeError(APPEND_ONLY)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, batch_size=None):
        raise TypeError(APPEND_ONLY)

    def update_or_create(self, *args, **kwargs):
        raise TypeError(APPEND_ONLY)

    def update(self, **kwargs):
        raise TypeError(APPEND_ONLY)

    def delete(self):
        raise TypeError(APPEND_ONLY)


class AuditRecord(models.Model):
    """One change: who made it, when, and the value before (None: it is new) and after."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    old = models.JSONField(null=True, blank=True)
    new = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError(APPEND_ONLY)
        # Always an INSERT: a row given an old row's id fails instead of overwriting it.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(APPEND_ONLY)
