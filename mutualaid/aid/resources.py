"""Every write to the resource directory: the food banks, shelters, hotlines, clinics and official
guidance people can turn to outside the network.

One door for the organizers' pages and for an import (a CSV of resources): each service takes
keyword arguments only, checks who acts (``Capability.EDIT_RESOURCES``), refuses bad input with a
``Refusal`` that names the field (``refusal.extra["field"]``) and changes nothing when it does, and
writes its ``ResourceChange`` row in the same transaction as the change.

The fields, as an import gives them (text is trimmed; a name's and hours' runs of spaces become
one):

- ``name`` (required, at most 120 characters) and ``kind`` (required: a ``ResourceKind`` value,
  ``food_bank``, ``shelter``, ``hotline``, ``clinic``, ``guidance`` or ``other``);
- ``description`` (at most 500), ``hours`` (at most 200): plain text, may be empty;
- ``link``: empty, or a web address on http or https ("example.org/help" is read as
  "https://example.org/help"); any other scheme (javascript:, mailto:...) is refused;
- ``phone``: empty, or a number people can call, read with the network's country for phone
  numbers (NetworkSettings.phone_region) and kept in E.164 ("+18002738255"), or a short number
  that country dials as it is ("988", "112"), kept as written;
- ``areas``: the ``Area`` rows it serves (none: the whole network); ``categories``: the
  ``Category`` rows (kinds of help) it serves (none: any kind).

These are an organization's public details, never a person's: the doxxing guard, which keeps a
member's phone or address off the public pages, does not apply to them.

The natural key, for an idempotent re-import: the name, compared without regard to case or runs of
spaces, and the kind. The database holds one resource per key (``resource_name_kind_unique``);
``resource_upsert`` finds a resource by it and changes it, or adds it. A re-import changes
nothing that is already so, and records nothing then; it never restores an archived resource
(an organizer archived it on purpose) but still brings its fields up to date.
"""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualaid.accounts.policy import Capability
from mutualaid.areas.models import Area
from mutualaid.lib.refusal import Refusal
from mutualaid.network.models import NetworkSettings

from .models import (
    RESOURCE_DESCRIPTION_MAX,
    RESOURCE_FIELDS,
    RESOURCE_HOURS_MAX,
    RESOURCE_LINK_MAX,
    RESOURCE_NAME_MAX,
    Category,
    Resource,
    ResourceAction,
    ResourceChange,
    ResourceKind,
)

# The fields a resource is described by, in the order its audit rows and pages list them.
FIELDS = RESOURCE_FIELDS
# A scheme ("https:", "javascript:"), not a host's port ("example.org:8080").
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:(?!\d)", re.IGNORECASE)
_WEB = URLValidator(schemes=["http", "https"])


def _refuse_unless_keeper(by) -> None:
    if by is None or not by.is_authenticated or not by.can(Capability.EDIT_RESOURCES):
        raise Refusal(
            _("Only organizers who keep the resource directory may change it."),
            code="forbidden",
        )


def _invalid(message, field: str) -> Refusal:
    return Refusal(message, code="invalid", field=field)


def _one_line(text, *, field: str, most: int, empty=None) -> str:
    text = " ".join((text or "").split())
    if empty and not text:
        raise _invalid(empty, field)
    if len(text) > most:
        raise _invalid(_("Keep it to %(max)d characters.") % {"max": most}, field)
    return text


def clean_name(name) -> str:
    return _one_line(
        name, field="name", most=RESOURCE_NAME_MAX, empty=_("Give the resource its name.")
    )


def clean_kind(kind) -> str:
    if kind not in ResourceKind.values:
        raise _invalid(_("Choose one of the kinds of resource listed."), "kind")
    return kind


def clean_description(text) -> str:
    text = (text or "").strip()
    if len(text) > RESOURCE_DESCRIPTION_MAX:
        raise _invalid(
            _("Keep the description to %(max)d characters.") % {"max": RESOURCE_DESCRIPTION_MAX},
            "description",
        )
    return text


def clean_hours(text) -> str:
    return _one_line(text, field="hours", most=RESOURCE_HOURS_MAX)


def clean_link(link) -> str:
    """An http(s) address, or "" (see the module's docstring)."""
    link = (link or "").strip()
    if not link:
        return ""
    if not _SCHEME.match(link):
        link = f"https://{link}"
    refusal = _invalid(
        _(
            "Give a web address that starts with https:// or http://, such as "
            "https://example.org/help."
        ),
        "link",
    )
    if len(link) > RESOURCE_LINK_MAX:
        raise _invalid(
            _("Keep the link to %(max)d characters.") % {"max": RESOURCE_LINK_MAX}, "link"
        )
    try:
        _WEB(link)
    except ValidationError:
        raise refusal from None
    return link


def clean_phone(phone, *, region: str) -> str:
    """A number people can call, in E.164, or a short number of ``region`` as it is, or ""."""
    phone = (phone or "").strip()
    if not phone:
        return ""
    refusal = _invalid(
        _(
            "That is not a phone number people can call. Write it with its area code, or with + "
            "and the country code; a short number such as 988 is fine too."
        ),
        "phone",
    )
    region = (region or "US").upper()
    try:
        number = phonenumbers.parse(phone, region)
    except phonenumbers.NumberParseException:
        raise refusal from None
    if phonenumbers.is_valid_number(number):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    short = not phone.startswith("+")
    if short and phonenumbers.is_valid_short_number_for_region(number, region):
        return phonenumbers.national_significant_number(number)
    raise refusal


def _cleaned(*, region: str, **fields) -> dict:
    """The given fields, each checked and made plain (only those given)."""
    cleaners = {
        "name": clean_name,
        "kind": clean_kind,
        "description": clean_description,
        "hours": clean_hours,
        "link": clean_link,
        "phone": lambda value: clean_phone(value, region=region),
        "areas": lambda value: _rows(value, Area),
        "categories": lambda value: _rows(value, Category),
    }
    return {name: cleaners[name](value) for name, value in fields.items()}


def _rows(value, model) -> list:
    rows = list(value or ())
    if not all(isinstance(row, model) for row in rows):
        raise TypeError(f"Give {model.__name__} rows (an import looks them up by name first).")
    return rows


def _region() -> str:
    return NetworkSettings.load().phone_region


def _described(resource: Resource) -> dict:
    """A resource as its audit rows hold it: its text, and its areas' and kinds' names sorted."""
    return {
        "name": resource.name,
        "kind": resource.kind,
        "description": resource.description,
        "hours": resource.hours,
        "link": resource.link,
        "phone": resource.phone,
        "areas": sorted(resource.areas.values_list("name", flat=True)),
        "categories": sorted(resource.categories.values_list("name", flat=True)),
    }


def _taken(name: str, kind: str) -> Refusal:
    return Refusal(
        _("There is already a resource called “%(name)s” of that kind (%(kind)s).")
        % {"name": name, "kind": ResourceKind(kind).label.lower()},
        code="taken",
        field="name",
    )


def _same_key(name: str, kind: str):
    return Resource.objects.annotate(lower=Lower("name")).filter(lower=name.lower(), kind=kind)


def _recorded(resource: Resource, action: str, *, by, old=None, new=None) -> None:
    ResourceChange.objects.create(resource=resource, action=action, actor=by, old=old, new=new)


def resource_find(*, name: str, kind: str) -> Resource | None:
    """The resource with this natural key (the name in any case and spacing, and the kind)."""
    name = " ".join((name or "").split())
    if not name or kind not in ResourceKind.values:
        return None
    return _same_key(name, kind).first()


@transaction.atomic
def resource_create(
    *,
    by,
    name: str,
    kind: str,
    description: str = "",
    hours: str = "",
    link: str = "",
    phone: str = "",
    areas=(),
    categories=(),
) -> Resource:
    """Add a resource to the directory (active at once). Refused if its natural key is taken."""
    _refuse_unless_keeper(by)
    values = _cleaned(
        region=_region(),
        name=name,
        kind=kind,
        description=description,
        hours=hours,
        link=link,
        phone=phone,
        areas=areas,
        categories=categories,
    )
    if _same_key(values["name"], values["kind"]).exists():
        raise _taken(values["name"], values["kind"])
    areas, categories = values.pop("areas"), values.pop("categories")
    resource = Resource(**values)
    try:
        with transaction.atomic():
            resource.save()
    except IntegrityError:  # the same name and kind, added by someone else at the same moment
        raise _taken(values["name"], values["kind"]) from None
    resource.areas.set(areas)
    resource.categories.set(categories)
    _recorded(resource, ResourceAction.ADDED, by=by, new=_described(resource))
    return resource


@transaction.atomic
def resource_update(
    *,
    resource: Resource,
    by,
    name: str | None = None,
    kind: str | None = None,
    description: str | None = None,
    hours: str | None = None,
    link: str | None = None,
    phone: str | None = None,
    areas=None,
    categories=None,
) -> list[str]:
    """Change a resource, archived or not: each field given (None: left as it is; "" or an empty
    list: emptied). Returns the names of the fields that changed; one audit row holds their
    values before and after (none when nothing changed)."""
    _refuse_unless_keeper(by)
    given = {
        "name": name,
        "kind": kind,
        "description": description,
        "hours": hours,
        "link": link,
        "phone": phone,
        "areas": areas,
        "categories": categories,
    }
    given = {field: value for field, value in given.items() if value is not None}
    values = _cleaned(region=_region() if "phone" in given else "", **given)
    # The row locked while it is read, so the old values recorded are the ones replaced.
    fresh = Resource.objects.select_for_update().get(pk=resource.pk)
    before = _described(fresh)
    new_name, new_kind = values.get("name", fresh.name), values.get("kind", fresh.kind)
    if _same_key(new_name, new_kind).exclude(pk=fresh.pk).exists():
        raise _taken(new_name, new_kind)
    after = dict(before)
    for field, value in values.items():
        after[field] = (
            sorted(item.name for item in value) if field in ("areas", "categories") else value
        )
    changed = [field for field in FIELDS if after[field] != before[field]]
    if not changed:
        return []
    text = [field for field in changed if field not in ("areas", "categories")]
    for field in text:
        setattr(fresh, field, values[field])
    fresh.updated_at = timezone.now()
    try:
        with transaction.atomic():
            fresh.save(update_fields=[*text, "updated_at"])
    except IntegrityError:
        raise _taken(new_name, new_kind) from None
    if "areas" in changed:
        fresh.areas.set(values["areas"])
    if "categories" in changed:
        fresh.categories.set(values["categories"])
    for field in (*text, "updated_at"):
        setattr(resource, field, getattr(fresh, field))
    _recorded(
        resource,
        ResourceAction.CHANGED,
        by=by,
        old={field: before[field] for field in changed},
        new={field: after[field] for field in changed},
    )
    return changed


def resource_upsert(*, by, name: str, kind: str, **fields) -> tuple[Resource, bool]:
    """The import's door: the resource with this natural key brought up to date with ``fields``
    (resource_update's), or added (resource_create's). Returns (resource, whether it was added).
    An archived one is updated and stays archived."""
    with transaction.atomic():
        found = resource_find(name=name, kind=kind)
        if found is None:
            return resource_create(by=by, name=name, kind=kind, **fields), True
        resource_update(resource=found, by=by, name=name, **fields)
        return found, False


def _archive(resource: Resource, *, by, archived: bool) -> bool:
    _refuse_unless_keeper(by)
    now = timezone.now()
    with transaction.atomic():
        rows = Resource.objects.filter(pk=resource.pk, archived_at__isnull=archived)
        if rows.update(archived_at=now if archived else None, updated_at=now) != 1:
            return False  # already so
        resource.archived_at = now if archived else None
        resource.updated_at = now
        action = ResourceAction.ARCHIVED if archived else ResourceAction.RESTORED
        _recorded(resource, action, by=by)
    return True


def resource_archive(*, resource: Resource, by) -> bool:
    """Take a resource off the directory, kept for the record; False if it was archived already."""
    return _archive(resource, by=by, archived=True)


def resource_restore(*, resource: Resource, by) -> bool:
    """Put an archived resource back on the directory; False if it was not archived."""
    return _archive(resource, by=by, archived=False)
