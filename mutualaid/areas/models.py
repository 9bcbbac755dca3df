"""Places are areas that organizers define. No coordinates or street addresses live anywhere."""

import uuid

from django.db import models
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

    def with_neighbor_ids(self) -> set[int]:
        """This area's id and those of the areas beside it (one query)."""
        return {self.pk, *self.neighbors.values_list("pk", flat=True)}
