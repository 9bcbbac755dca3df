"""Reads of the areas, for the pages that list them."""

from .models import Area


def area_names() -> list[str]:
    """Every area's name, in alphabetical order (one query): public, as a network's areas are."""
    return list(Area.objects.order_by("name").values_list("name", flat=True))
