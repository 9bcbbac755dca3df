"""Places are areas that organizers define. No coordinates or street addresses live anywhere."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
