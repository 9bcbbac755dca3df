"""Every write an admin makes to the network: roles, settings, areas and categories.

Each runs in one transaction. Granting and removing a role also writes the trust record in that
same transaction; a grant's row is never deleted, removing it sets removed_at (compare-and-set on
``removed_at IS NULL``, so two admins removing the same grant cannot both win).
"""

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from mutualaid.aid.models import Category
from mutualaid.areas.models import Area
from mutualaid.lib.refusal import Refusal
from mutualaid.trust.models import Role, RoleGrant, TrustEventKind
from mutualaid.trust.services import trust_event_record

from .models import NetworkSettings


def _forget_roles(member) -> None:
    """The member object in hand reads its roles afresh (other requests read them anyway)."""
    member.__dict__.pop("roles", None)


def _refuse_unless_admin(by) -> None:
    if not by.has_role(Role.ADMIN):
        raise Refusal(_("Only admins grant and remove roles."))


@transaction.atomic
def role_grant(*, member, role: str, by) -> RoleGrant:
    """Give ``member`` the ``role``, unless they hold it already or are suspended."""
    _refuse_unless_admin(by)
    if role not in Role.values:
        raise Refusal(_("There is no such role."))
    label = Role(role).label
    if member.is_suspended() or not member.is_active:
        raise Refusal(
            _("%(handle)s is suspended or gone: they cannot hold a role.") % {"handle": member}
        )
    refusal = _("%(handle)s is already a %(role)s.") % {"handle": member, "role": label}
    if RoleGrant.objects.filter(member=member, role=role, removed_at__isnull=True).exists():
        raise Refusal(refusal)
    try:
        with transaction.atomic():  # the constraint role_grant_one_live settles a race
            grant = RoleGrant.objects.create(member=member, role=role, granted_by=by)
    except IntegrityError:
        raise Refusal(refusal) from None
    trust_event_record(actor=by, member=member, kind=TrustEventKind.ROLE_GRANTED, note=role)
    _forget_roles(member)
    return grant


@transaction.atomic
def role_remove(*, grant: RoleGrant, by) -> None:
    """End ``grant``; the row stays, with who removed it and when. The last admin stays."""
    _refuse_unless_admin(by)
    if grant.role == Role.ADMIN:
        # Lock every live admin grant, so that two admins removing each other at the same moment
        # cannot leave the network with none (the second one waits and then sees one admin).
        admins = list(
            RoleGrant.objects.select_for_update()
            .filter(role=Role.ADMIN, removed_at__isnull=True)
            .values_list("pk", flat=True)
        )
        if admins == [grant.pk]:
            raise Refusal(
                _("%(handle)s is the last admin: grant the role to someone else first.")
                % {"handle": grant.member}
            )
    removed = RoleGrant.objects.filter(pk=grant.pk, removed_at__isnull=True).update(
        removed_at=timezone.now(), removed_by=by
    )
    if removed != 1:
        raise Refusal(_("That role was already removed."))
    trust_event_record(
        actor=by, member=grant.member, kind=TrustEventKind.ROLE_REMOVED, note=grant.role
    )
    _forget_roles(grant.member)


SETTINGS_FIELDS = (
    "name",
    "scope",
    "vouches_required",
    "vouch_wait_days",
    "vouch_limit",
    "retention_days",
    "max_active_claims",
)


@transaction.atomic
def network_settings_update(*, by, **values) -> NetworkSettings:
    """Save the network's settings (the form has checked each value's range)."""
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"Not network settings: {', '.join(sorted(unknown))}")
    current = NetworkSettings.load()
    NetworkSettings.objects.filter(pk=current.pk).update(
        **values, updated_by=by, updated_at=timezone.now()
    )
    return NetworkSettings.load()


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


@transaction.atomic
def area_save(*, area: Area | None = None, name: str, parent: Area | None, neighbors) -> Area:
    """Add an area (``area`` None) or change one: its name, the area it is part of, its neighbors.

    Neighbors are symmetrical: ticking B as a neighbor of A makes A a neighbor of B too.
    """
    _refuse_taken_area_name(name, area=area)
    if area is None:
        area = Area(name=name, parent=parent)
    else:
        _refuse_parent_loop(area, parent)
        area.name, area.parent = name, parent
    neighbors = [neighbor for neighbor in neighbors if neighbor.pk != area.pk]
    try:
        with transaction.atomic():
            area.save()
    except IntegrityError:  # the same name, added by someone else at the same moment
        raise Refusal(
            _("There is already an area called “%(name)s”.") % {"name": name}
        ) from None
    area.neighbors.set(neighbors)
    return area


def _taken_category(name: str) -> str:
    return _("There is already a kind of help called “%(name)s”.") % {"name": name}


@transaction.atomic
def category_add(*, name: str) -> Category:
    """A new kind of help, listed last."""
    base = slugify(name)[:32] or "category"
    if Category.objects.annotate(lower=Lower("name")).filter(lower=name.lower()).exists():
        raise Refusal(_taken_category(name))
    slug, n = base, 1
    while Category.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    last = Category.objects.order_by("-position").values_list("position", flat=True).first()
    return Category.objects.create(slug=slug, name=name, position=(last or 0) + 1)


@transaction.atomic
def category_rename(*, category: Category, name: str) -> None:
    taken = Category.objects.annotate(lower=Lower("name")).filter(lower=name.lower())
    if taken.exclude(pk=category.pk).exists():
        raise Refusal(_taken_category(name))
    Category.objects.filter(pk=category.pk).update(name=name)


@transaction.atomic
def category_move(*, category: Category, up: bool) -> None:
    """Move a kind of help one place up or down the list; positions become 0, 1, 2..."""
    order = list(Category.objects.select_for_update().order_by("position", "name"))
    index = next(i for i, c in enumerate(order) if c.pk == category.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(order):
        order[index], order[other] = order[other], order[index]
    for position, each in enumerate(order):
        each.position = position
    Category.objects.bulk_update(order, ["position"])
