"""CSV exports for organizers: needs, offers and resources, streamed row by row.

Each export reads its rows in a fixed number of queries, whatever their number (one for the
needs; the offers' kinds of help and areas in one query each beside theirs). A need's private
details are in the export only for a viewer whose role reads private details
(Capability.READ_PRIVATE), and each need whose details it holds is recorded as read by them
(aid.PrivateAccess, as aid.selectors.need_private_text records a page's reading), in one INSERT
made before the first row leaves, so that its requester sees it in their list of who read theirs.

The columns are named as the importer reads them (kinds.py), so an export imports again. A cell
that a spreadsheet would run as a formula (starting with =, +, - or @) is written with an
apostrophe before it; the importer takes it off again.
"""

import csv
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db import connection
from django.db.models import DateTimeField, F, Func, UUIDField, Value
from django.db.utils import NotSupportedError
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualaid.accounts.policy import Capability
from mutualaid.aid.models import (
    AccessKind,
    Need,
    NeedStatus,
    Offer,
    OfferKind,
    OfferStatus,
    Priority,
    PrivateAccess,
    Resource,
    ResourceKind,
    Urgency,
    Visibility,
)
from mutualaid.lib.dates import Weekday

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 2000


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class _Line:
    """csv.writer's file: hands back each line it writes."""

    def write(self, text: str) -> str:
        return text


def csv_lines(rows: Iterable[list]) -> Iterator[str]:
    """The rows as CSV text, one line at a time, after a byte-order mark (Excel reads the file as
    UTF-8 then)."""
    writer = csv.writer(_Line())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value or ""


class _Labels:
    """``_label``, each choice's label translated once an export rather than once a row."""

    def __init__(self):
        self.kept = {}

    def __call__(self, choices, value) -> str:
        key = (choices, value)
        label = self.kept.get(key)
        if label is None:
            label = self.kept[key] = _label(choices, value)
        return label


def _date(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


class RandomUUID(Func):
    """A new random UUID made by the database (the access rows' codes, in INSERT ... SELECT)."""

    output_field = UUIDField()

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError(f"No random UUID on {connection.vendor}")

    def as_sqlite(self, compiler, connection, **extra):
        return "lower(hex(randomblob(16)))", []

    def as_postgresql(self, compiler, connection, **extra):
        return "gen_random_uuid()", []


def _record_details_read(needs, viewer) -> None:
    """One INSERT ... SELECT: a DETAILS access row for each need of ``needs`` whose details
    ``viewer`` is about to read, not their own nor one they hold."""
    read = (
        needs.exclude(details="")
        .exclude(requester__isnull=True)
        .exclude(requester_id=viewer.pk)
        .exclude(claimant_id=viewer.pk)
        .order_by()
        .annotate(
            access_code=RandomUUID(),
            access_viewer=Value(viewer.pk),
            access_owner=F("requester_id"),
            access_need=F("pk"),
            access_what=Value(AccessKind.DETAILS),
            access_at=Value(timezone.now(), output_field=DateTimeField()),
        )
        .values_list(
            "access_code",
            "access_viewer",
            "access_owner",
            "access_need",
            "access_what",
            "access_at",
        )
    )
    sql, params = read.query.sql_with_params()
    names = ("code", "viewer", "owner", "need", "what", "created_at")
    columns = ", ".join(
        connection.ops.quote_name(PrivateAccess._meta.get_field(name).column) for name in names
    )
    table = connection.ops.quote_name(PrivateAccess._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)  # noqa: S608


def needs_rows(viewer) -> Iterator[list]:
    """Every need (organizers see them all), newest first; private details only for a viewer
    whose role reads them, recorded before the first row."""
    private = viewer.can(Capability.READ_PRIVATE)
    handles = viewer.can(Capability.SEE_HANDLES)
    # Only the columns a row shows: a row was four model instances of every column.
    needs = (
        Need.objects.select_related("category", "area", "requester")
        .only(
            "code",
            "created_at",
            "status",
            "urgency",
            "needed_by",
            "visibility",
            "priority",
            "summary",
            "anonymous",
            "details",
            "requester_id",
            "category__name",
            "area__name",
            "requester__handle",
        )
        .order_by("-created_at", "-pk")
    )
    if private:
        _record_details_read(needs, viewer)
    else:
        needs = needs.defer(*Need.SEALED)
    header = [
        _("Code"),
        _("Created"),
        _("Status"),
        _("Kind of help"),
        _("Area"),
        _("Urgency"),
        _("Needed by"),
        _("Visibility"),
        _("Priority"),
        _("Summary"),
        _("Requester"),
    ]
    yield header + ([_("Private details")] if private else [])

    def rows():
        label = _Labels()
        for need in needs.iterator(chunk_size=CHUNK):
            hidden = need.anonymous and not handles and need.requester_id != viewer.pk
            row = [
                need.code,
                _date(need.created_at),
                label(NeedStatus, need.status),
                need.category.name,
                need.area.name,
                label(Urgency, need.urgency),
                need.needed_by.isoformat() if need.needed_by else "",
                label(Visibility, need.visibility),
                label(Priority, need.priority),
                need.summary,
                "" if hidden or need.requester is None else need.requester.handle,
            ]
            yield row + ([need.details] if private else [])

    yield from rows()


def _names_by(through, owner: str, named: str) -> dict[int, list[str]]:
    names = defaultdict(list)
    for owner_id, name in through.objects.order_by(f"{named}__name").values_list(
        f"{owner}_id", f"{named}__name"
    ):
        names[owner_id].append(name)
    return names


def offers_rows(viewer) -> Iterator[list]:
    """Every offer, newest first: public text alone (an offer has no private part)."""
    categories = _names_by(Offer.categories.through, "offer", "category")
    areas = _names_by(Offer.areas.through, "offer", "area")
    yield [
        _("Code"),
        _("Created"),
        _("Status"),
        _("Once or ongoing"),
        _("Kinds of help"),
        _("Areas"),
        _("Days available"),
        _("Summary"),
        _("Offerer"),
    ]
    offers = Offer.objects.select_related("offerer").order_by("-created_at", "-pk")
    label = _Labels()
    for offer in offers.iterator(chunk_size=CHUNK):
        yield [
            offer.code,
            _date(offer.created_at),
            label(OfferStatus, offer.status),
            label(OfferKind, offer.kind),
            ", ".join(categories.get(offer.pk, [])),
            ", ".join(areas.get(offer.pk, [])),
            ", ".join(str(Weekday(day).label) for day in offer.available_days or []),
            offer.summary,
            offer.offerer.handle if offer.offerer else "",
        ]


def resources_rows(viewer) -> Iterator[list]:
    """The directory, archived resources too: an organization's public details alone."""
    categories = _names_by(Resource.categories.through, "resource", "category")
    areas = _names_by(Resource.areas.through, "resource", "area")
    yield [
        _("Name"),
        _("Kind"),
        _("Description"),
        _("Hours"),
        _("Link"),
        _("Phone"),
        _("Areas"),
        _("Kinds of help"),
        _("Archived"),
    ]
    for resource in Resource.objects.order_by("name", "pk").iterator(chunk_size=CHUNK):
        yield [
            resource.name,
            _label(ResourceKind, resource.kind),
            resource.description,
            resource.hours,
            resource.link,
            resource.phone,
            ", ".join(areas.get(resource.pk, [])),
            ", ".join(categories.get(resource.pk, [])),
            _("yes") if resource.archived_at else "",
        ]


# What each export is, and who may take it: organizers, who see every need.
EXPORTS = {
    "needs": needs_rows,
    "offers": offers_rows,
    "resources": resources_rows,
}
CAPABILITY = Capability.SEE_ALL_NEEDS


def may_export(member) -> bool:
    return bool(member and member.is_authenticated and member.can(CAPABILITY))


def export_lines(kind: str, viewer) -> Iterator[str]:
    """The export as CSV lines. Its access rows are written when it starts (the first line
    asked for), before any private text leaves."""
    return csv_lines(EXPORTS[kind](viewer))
