"""Every write to the network's areas, by its admins: names checked by the doxxing guard, and each
change recorded (``AreaChange``, old and new values) in the same transaction."""

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualaid.lib.doxxing import PUBLIC_NAME_ADVICE, guard_public_text
from mutualaid.lib.refusal import Refusal

from .models import Area, AreaAction, AreaChange

NAME_MAX = 80

# The policy's name for "configure the network" (accounts.policy.Capability.CONFIGURE): areas sit
# below accounts, so they name it, not import it. The member answers ``can()`` itself.
CONFIGURE = "configure"


def _refuse_taken_area_name(name: str, *, area: Area | None = None) -> None:
    taken = Area.objects.annotate(lower=Lower("name")).filter(lower=name.lower())
    if area is not None:
        taken = taken.exclude(pk=area.pk)
    if taken.exists():
        raise Refusal(_("There is already an area called “%(name)s”.") % {"name": name})


def _refuse_parent_loop(area: Area, parent: Area | None) -> None:
    """An area cannot sit inside itself, nor inside an area that is inside it."""
    seen = set()
    while parent is not None and parent.pk not in seen:
        if parent.pk == area.pk:
            raise Refusal(
                _("“%(area)s” cannot be part of an area that is part of it.") % {"area": area}
            )
        seen.add(parent.pk)
        parent = parent.parent


def _refuse_unless_configurer(by) -> None:
    if by is None or not by.can(CONFIGURE):
        raise Refusal(_("Only the network's admins may change its areas."), code="forbidden")


def _described(area: Area) -> dict:
    """An area as its audit rows show it: names only, neighbors sorted."""
    return {
        "name": area.name,
        "parent": area.parent.name if area.parent_id else None,
        "neighbors": sorted(area.neighbors.values_list("name", flat=True)),
    }


# Which audit action each part of an area's description has.
ACTIONS = {
    "name": AreaAction.RENAMED,
    "parent": AreaAction.REPARENTED,
    "neighbors": AreaAction.NEIGHBORS,
}


@transaction.atomic
def area_save(*, area: Area | None = None, name: str, parent: Area | None, neighbors, by) -> Area:
    """Add an area (``area`` None) or change one: its name, the area it is part of, its neighbors.

    Neighbors are symmetrical: ticking B as a neighbor of A makes A a neighbor of B too (the change
    is recorded on A, the area changed). Only a member who may configure the network (``by``); an
    ``AreaChange`` row for an added area, or for each of name, parent and neighbors that changed.
    """
    _refuse_unless_configurer(by)
    name = guard_public_text(
        " ".join((name or "").split()), max_length=NAME_MAX, advice=PUBLIC_NAME_ADVICE
    )
    _refuse_taken_area_name(name, area=area)
    if area is None:
        before = None
        area = Area(name=name, parent=parent)
    else:
        _refuse_parent_loop(area, parent)
        # The row locked while it is read, so the old values recorded are the ones replaced.
        before = _described(Area.objects.select_for_update().get(pk=area.pk))
        area.name, area.parent = name, parent
    neighbors = [neighbor for neighbor in neighbors if neighbor.pk != area.pk]
    try:
        with transaction.atomic():
            area.save()
    except IntegrityError:  # the same name, added by someone else at the same moment
        raise Refusal(_("There is already an area called “%(name)s”.") % {"name": name}) from None
    area.neighbors.set(neighbors)
    after = {
        "name": name,
        "parent": parent.name if parent else None,
        "neighbors": sorted({neighbor.name for neighbor in neighbors}),
    }
    if before is None:
        changes = [AreaChange(action=AreaAction.ADDED, new=after)]
    else:
        changes = [
            AreaChange(action=ACTIONS[key], old=before[key], new=after[key])
            for key in ACTIONS
            if before[key] != after[key]
        ]
    now = timezone.now()
    for change in changes:
        change.area, change.actor, change.created_at = area, by, now
    AreaChange.objects.bulk_create(changes)
    return area
