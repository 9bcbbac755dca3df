"""Places are areas that organizers define. No coordinates or street addresses live anywhere."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mutualaid.lib.audit import AuditRecord


class Area(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=80, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Which areas border which: matching uses this, never a distance on a map.
    neighbors = models.ManyToManyField("self", blank=True, symmetrical=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def ids_within(self) -> set[int]:
        """This area and the areas inside it (one query)."""
        return self._ids(Q(pk=self.pk) | Q(parent=self))

    def with_neighbor_ids(self) -> set[int]:
        """This area, the areas inside it, the areas beside it and the area it is part of."""
        return self._ids(Q(pk=self.pk) | Q(parent=self) | Q(neighbors=self) | Q(children=self))

    def _ids(self, condition) -> set[int]:
        return set(Area.objects.filter(condition).values_list("pk", flat=True).distinct())


class AreaAction(models.TextChoices):
    ADDED = "added", _("added")
    RENAMED = "renamed", _("renamed")
    REPARENTED = "reparented", _("part of another area")
    NEIGHBORS = "neighbors", _("neighbors changed")


class AreaChange(AuditRecord):
    """One change to an area by an admin, with the value before and after: its name, the name of
    the area it is part of (None: none), or its neighbors' names (sorted). An added area's row
    holds all three in ``new``. Written by services.area_save; append-only (lib/audit.py)."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="changes")
    action = models.CharField(max_length=12, choices=AreaAction.choices)

    class Meta(AuditRecord.Meta):
        indexes = [
            # An area's history: WHERE area_id = ? ORDER BY created_at DESC
            models.Index(fields=["area", "created_at"], name="area_change_area_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=AreaAction.values), name="area_change_action_valid"
            ),
        ]

    def __str__(self):
        return f"{self.action} {self.area_id}: {self.old!r} -> {self.new!r}"
