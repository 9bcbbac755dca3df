"""What each kind of row is: its columns, by the names Google Forms, Google Sheets and Airtable
exports give them; how a cell becomes a value; and the service that makes the record.

A row is made through the same services a form uses (aid.services.need_post and offer_post,
accounts.services.proxy_create and member_sign_up), with the organizer who imports it named as
the one who recorded it, so the doxxing guard, the handle rules, consent and every other rule
meet an imported row as they meet a form. Needs are written a batch at a time through those
services' batch doors (aid.services.NeedBatch, accounts.services.ProxyBatch), which meet each
row with the same checks before writing the batch's rows together. Nothing here writes a model
of another app.

A row's street address, postcode and coordinates (``Column.place``) only find its area through
the organizer's lookup (places.py); they reach no service and no message. A reason a row is
rejected never repeats its private text: only the words of choice-like cells (a kind of help, an
area's name, an urgency), and only when they are short and hold nothing the doxxing guard finds.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mutualaid.accounts import services as accounts
from mutualaid.accounts.forms import HANDLE_REFUSED, handle_is_usable
from mutualaid.accounts.models import ContactKind, Member
from mutualaid.accounts.policy import Capability
from mutualaid.aid import resources
from mutualaid.aid import services as aid
from mutualaid.aid.models import (
    DETAILS_MAX,
    Category,
    OfferKind,
    ResourceKind,
    Urgency,
    Visibility,
)
from mutualaid.areas.models import Area
from mutualaid.lib.doxxing import find_personal_details
from mutualaid.lib.prepared import PreparedQuery
from mutualaid.lib.refusal import Refusal
from mutualaid.network.models import NetworkSettings

from .models import ImportedCaller
from .places import Places

ROW_SALT = "mutualaid.spreadsheets.row"
CALLER_SALT = "mutualaid.spreadsheets.caller"


class Rejected(Exception):
    """A row that cannot be imported, and why, in words that repeat none of its private text."""

    def __init__(self, reason):
        super().__init__(str(reason))
        self.reason = str(reason)


def header_key(text: str) -> str:
    """A column's name (or a choice's words) as the aliases are written: lower case, without
    accents, punctuation or extra spaces ("What do you need?" -> "what do you need")."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(re.findall(r"[^\W_]+", text))


@dataclass(frozen=True)
class Column:
    name: str
    label: object
    aliases: frozenset = frozenset()
    required: bool = False
    # Read to find the area, then dropped (never reaches a service, the database or a message).
    place: bool = False
    # How the cells of several columns chosen for it are joined; None: one column only.
    join: str | None = None
    # What the mapping's select says beside the label ("finds the area, then dropped").
    note: object = ""

    @property
    def choice_label(self) -> str:
        return f"{self.label} ({self.note})" if self.note else str(self.label)


def column(name, label, aliases: str, **options) -> Column:
    return Column(name, label, frozenset(a.strip() for a in aliases.split("|")), **options)


def clean_cell(value: str) -> str:
    """A cell as its writer meant it: trimmed, Excel's ="00123" unwrapped, and the apostrophe an
    export puts before =, +, - or @ (so that a spreadsheet does not run it) taken off again."""
    value = (value or "").strip()
    if value.startswith('="') and value.endswith('"') and len(value) > 2:
        value = value[2:-1]
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@":
        value = value[1:]
    return value


def fingerprint(kind: str, values: dict[str, str]) -> str:
    """The row's keyed fingerprint: HMAC-SHA256, under a key derived from SECRET_KEY, of its
    mapped values (case and spacing aside). Without the key it tells nothing of the row."""
    parts = [kind] + [
        f"{name}\x1f{' '.join(values[name].casefold().split())}" for name in sorted(values)
    ]
    return salted_hmac(ROW_SALT, "\x1e".join(parts), algorithm="sha256").hexdigest()


def _quoted(value: str) -> str:
    """``value`` to repeat in a reason: a short choice-like word, nothing that looks personal."""
    value = " ".join((value or "").split())
    if not value or len(value) > 40 or find_personal_details(value):
        return ""
    return f"“{value}”"


def _not_a_choice(column: Column, value: str) -> Rejected:
    shown = _quoted(value)
    if shown:
        return Rejected(
            _("%(column)s: %(value)s is not one of the choices.")
            % {"column": column.label, "value": shown}
        )
    return Rejected(_("%(column)s: not one of the choices.") % {"column": column.label})


def _split(value: str, pattern=r"\s*[,;\n]\s*") -> list[str]:
    return [part for part in re.split(pattern, value or "") if part.strip()]


def _keys(words: str) -> frozenset[str]:
    """The words between the bars, each as header_key writes it."""
    return frozenset(header_key(word) for word in words.split("|"))


def _words_of(table: dict[str, str]) -> dict[str, str]:
    """A table of spellings -> value, its spellings as header_key writes them."""
    return {header_key(words): value for words, value in table.items()}


# Shared columns ------------------------------------------------------------------------------

_FOUND_THEN_DROPPED = gettext_lazy("finds the area, then dropped")
TIMESTAMP = column(
    "timestamp",
    gettext_lazy("Sent at"),
    "timestamp|marca temporal|submitted|submitted at|submission date|submission time|created|"
    "created at|created time|date|fecha|date submitted",
    note=gettext_lazy("tells rows apart; not stored"),
)
AREA = column(
    "area",
    gettext_lazy("Area"),
    "area|area name|neighborhood|neighbourhood|your neighborhood|which neighborhood|zone|"
    "district|barrio|zona|vecindario",
)
ADDRESS = column(
    "address",
    gettext_lazy("Street address"),
    "address|street address|home address|your address|address line 1|address line 2|"
    "street|delivery address|direccion|domicilio|calle",
    place=True,
    join=", ",
    note=_FOUND_THEN_DROPPED,
)
POSTCODE = column(
    "postcode",
    gettext_lazy("Postcode"),
    "postcode|post code|postal code|zip|zip code|zipcode|codigo postal|cp",
    place=True,
    note=_FOUND_THEN_DROPPED,
)
COORDINATES = column(
    "coordinates",
    gettext_lazy("Coordinates"),
    "coordinates|location|lat lon|lat long|latlng|geo|gps|coordenadas|ubicacion",
    place=True,
    note=gettext_lazy("“lat, lon”: find the area, then dropped"),
)
LATITUDE = column(
    "latitude",
    gettext_lazy("Latitude"),
    "lat|latitude|latitud",
    place=True,
    note=_FOUND_THEN_DROPPED,
)
LONGITUDE = column(
    "longitude",
    gettext_lazy("Longitude"),
    "lon|lng|long|longitude|longitud",
    place=True,
    note=_FOUND_THEN_DROPPED,
)
PLACES = (ADDRESS, POSTCODE, COORDINATES, LATITUDE, LONGITUDE)
DAYS = column(
    "days",
    gettext_lazy("Days available"),
    "days|available days|availability|days available|which days are you available|"
    "what days are you available|when are you available|dias|disponibilidad",
    join=", ",
)
EMAIL = column(
    "email",
    gettext_lazy("Email"),
    "email|email address|e mail|your email|correo|correo electronico|email de contacto",
)


# Reading choices -------------------------------------------------------------------------------

URGENCY_WORDS = _words_of(
    {
        **{value: value for value in Urgency.values},
        "urgent": Urgency.TODAY,
        "very urgent": Urgency.TODAY,
        "asap": Urgency.TODAY,
        "emergency": Urgency.TODAY,
        "immediately": Urgency.TODAY,
        "now": Urgency.TODAY,
        "critical": Urgency.TODAY,
        "hoy": Urgency.TODAY,
        "urgente": Urgency.TODAY,
        "in 1-2 days": Urgency.SOON,
        "1-2 days": Urgency.SOON,
        "1 to 2 days": Urgency.SOON,
        "tomorrow": Urgency.SOON,
        "within 2 days": Urgency.SOON,
        "48 hours": Urgency.SOON,
        "high": Urgency.SOON,
        "pronto": Urgency.SOON,
        "manana": Urgency.SOON,
        "en 1-2 dias": Urgency.SOON,
        "this week": Urgency.WEEK,
        "within a week": Urgency.WEEK,
        "7 days": Urgency.WEEK,
        "normal": Urgency.WEEK,
        "medium": Urgency.WEEK,
        "esta semana": Urgency.WEEK,
        "any time": Urgency.ANYTIME,
        "whenever": Urgency.ANYTIME,
        "flexible": Urgency.ANYTIME,
        "not urgent": Urgency.ANYTIME,
        "no rush": Urgency.ANYTIME,
        "low": Urgency.ANYTIME,
        "cuando sea": Urgency.ANYTIME,
        "sin prisa": Urgency.ANYTIME,
        "no urgente": Urgency.ANYTIME,
    }
)
VISIBILITY_WORDS = _words_of(
    {
        **{value: value for value in Visibility.values},
        "everyone": Visibility.MEMBERS,
        "public": Visibility.MEMBERS,
        "all members": Visibility.MEMBERS,
        "members who can help": Visibility.MEMBERS,
        "miembros": Visibility.MEMBERS,
        "todos": Visibility.MEMBERS,
        "organizers only": Visibility.ORGANIZERS,
        "organisers": Visibility.ORGANIZERS,
        "organisers only": Visibility.ORGANIZERS,
        "private": Visibility.ORGANIZERS,
        "sensitive": Visibility.ORGANIZERS,
        "confidential": Visibility.ORGANIZERS,
        "organizadores": Visibility.ORGANIZERS,
        "privado": Visibility.ORGANIZERS,
    }
)
OFFER_KIND_WORDS = _words_of(
    {
        **{value: value for value in OfferKind.values},
        "one-off": OfferKind.ONE_OFF,
        "once": OfferKind.ONE_OFF,
        "one time": OfferKind.ONE_OFF,
        "single": OfferKind.ONE_OFF,
        "una vez": OfferKind.ONE_OFF,
        "recurring": OfferKind.ONGOING,
        "regular": OfferKind.ONGOING,
        "regularly": OfferKind.ONGOING,
        "weekly": OfferKind.ONGOING,
        "every week": OfferKind.ONGOING,
        "continuo": OfferKind.ONGOING,
        "recurrente": OfferKind.ONGOING,
    }
)
# A need whose status says anything else (done, matched, cancelled...) is not imported: the board
# would offer volunteers what someone already did or is doing.
OPEN_STATUSES = _keys(
    "open|new|pending|waiting|unassigned|needs volunteer|needs a volunteer|to do|todo|"
    "not started|received|waiting for triage|abierta|abierto|nueva|nuevo|pendiente|sin asignar"
)
YES = _keys("yes|y|true|1|x|checked|agree|i agree|agreed|ok|si|sí|acepto|de acuerdo")
_DAY_NAMES = {
    0: "monday mon mondays lunes lun",
    1: "tuesday tue tues tuesdays martes",
    2: "wednesday wed wednesdays miercoles mie",
    3: "thursday thu thur thurs thursdays jueves jue",
    4: "friday fri fridays viernes vie",
    5: "saturday sat saturdays sabado sabados sab",
    6: "sunday sun sundays domingo domingos dom",
}
DAY_WORDS = {word: day for day, names in _DAY_NAMES.items() for word in names.split()}
ANY_DAY = _keys(
    "any|any day|anytime|any time|every day|everyday|all|all week|daily|cualquier dia|"
    "todos los dias|todos"
)
WEEKENDS = _keys("weekend|weekends|fin de semana|fines de semana")
WEEKDAYS = _keys("weekday|weekdays|entre semana|laborables")
_DAY_RANGE = re.compile(
    r"^\s*([^\W\d_]+)\.?\s*(?:-|–|to|through|thru|a|al|hasta)\s*([^\W\d_]+)\.?\s*$", re.IGNORECASE
)
LANGUAGE_NAMES = {
    "english": "en",
    "ingles": "en",
    "spanish": "es",
    "espanol": "es",
    "castellano": "es",
    "chinese": "zh",
    "mandarin": "zh",
    "cantonese": "zh",
    "chino": "zh",
    "vietnamese": "vi",
    "tagalog": "tl",
    "filipino": "tl",
    "arabic": "ar",
    "arabe": "ar",
    "french": "fr",
    "frances": "fr",
    "haitian creole": "ht",
    "creole": "ht",
    "kreyol": "ht",
    "korean": "ko",
    "russian": "ru",
    "portuguese": "pt",
    "portugues": "pt",
    "polish": "pl",
    "ukrainian": "uk",
    "somali": "so",
    "american sign language": "asl",
    "sign language": "asl",
}
# Regions that write a date month first (5/1/2024 is the first of May).
MONTH_FIRST = frozenset({"US", "CA", "PH"})


def _choice(words: dict[str, str], column: Column, value: str, default):
    if not value:
        return default
    found = words.get(header_key(value))
    if found is None:
        raise _not_a_choice(column, value)
    return found


def _day(word: str) -> int | None:
    word = header_key(word)
    return DAY_WORDS.get(word, DAY_WORDS.get(word.rstrip("s")))


def read_days(value: str) -> list[int]:
    """ "Mon, Wed", "weekends", "Monday-Friday", "lunes y martes" -> weekday numbers (0 is Monday);
    [] for any day."""
    days: set[int] = set()
    for part in _split(value, r"\s*[,;/\n&]\s*|\s+(?:and|y|e)\s+"):
        key = header_key(part)
        if key in ANY_DAY:
            return []
        if key in WEEKENDS:
            days |= {5, 6}
            continue
        if key in WEEKDAYS:
            days |= {0, 1, 2, 3, 4}
            continue
        span = _DAY_RANGE.match(part)
        if span and _day(span[1]) is not None and _day(span[2]) is not None:
            first, last = _day(span[1]), _day(span[2])
            days |= {(first + step) % 7 for step in range((last - first) % 7 + 1)}
            continue
        day = _day(part)
        if day is None:
            raise _not_a_choice(DAYS, part)
        days.add(day)
    return [] if len(days) == 7 else sorted(days)


def _language_codes() -> dict[str, str]:
    known = {code for code, _name in settings.SPOKEN_LANGUAGES}
    codes = {header_key(code): code for code in known}
    codes.update({header_key(name): code for code, name in settings.SPOKEN_LANGUAGES})
    codes.update({name: code for name, code in LANGUAGE_NAMES.items() if code in known})
    return codes


def read_date(value: str, *, month_first: bool) -> date | None:
    """A date as spreadsheets write it (2024-05-01, 5/1/2024 14:03:00, 1 May 2024), or None."""
    value = value.strip()
    iso = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})", value)
    numbers = re.match(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})\b", value)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if numbers:
            first, second, year = int(numbers[1]), int(numbers[2]), int(numbers[3])
            year += 2000 if year < 100 else 0
            month, day = (first, second) if month_first else (second, first)
            if month > 12 >= day:
                month, day = day, month
            return date(year, month, day)
    except ValueError:
        return None
    for pattern in ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%B %d %Y"):
        try:
            return datetime.strptime(value, pattern).date()  # noqa: DTZ007 (a date alone)
        except ValueError:
            continue
    return None


# The run's shared reads ------------------------------------------------------------------------


@dataclass
class Context:
    """What every row of one run reads: who imports, the lookup, and the network's areas and
    kinds of help, each read once."""

    by: Member
    places: Places
    consent: bool
    mapped: frozenset
    region: str = "US"
    # The network's settings, read once for the run (need_post's phone region and triage first).
    network: NetworkSettings | None = None
    today: date = field(default_factory=timezone.localdate)
    areas: dict = field(default_factory=dict)
    categories: dict = field(default_factory=dict)
    languages: dict = field(default_factory=dict)
    # The callers imports recorded (ImportedCaller: digest -> member id), read once when first
    # asked; the row under way adds to ``staged``, kept once it stands (``row_stood``). A
    # rolled-back batch (a dry run) takes back what it added (``batch_rolled_back``).
    callers: dict | None = None
    staged: dict = field(default_factory=dict)
    added: list = field(default_factory=list)
    # The batch under way's callers, by digest: those its rows name that imports recorded before,
    # read together as it starts (``preload``), and those its rows record. Gone as it ends.
    known: dict = field(default_factory=dict)
    staged_known: dict = field(default_factory=dict)
    # Each way to reach a caller the file gives, read once: (kind, as written) -> its digest.
    digests: dict = field(default_factory=dict)
    # While ``deferring``, the callers' ImportedCaller rows wait for the end of the batch
    # (``write_deferred``, in its transaction), written together.
    deferring: bool = False
    deferred: list = field(default_factory=list)
    staged_rows: list = field(default_factory=list)

    def caller_digest(self, kind: str, contact: str) -> str:
        """The keyed digest that stands for a way to reach a caller (read as proxy intake reads
        it: a phone number in E.164): rows with the same one are one caller's."""
        digest = self.digests.get((kind, contact))
        if digest is None:
            value = accounts.proxy_contact_value(kind, contact, region=self.region)
            digest = salted_hmac(
                CALLER_SALT, f"{kind}:{value.casefold()}", algorithm="sha256"
            ).hexdigest()
            self.digests[(kind, contact)] = digest
        return digest

    def _recorded(self) -> dict:
        if self.callers is None:
            self.callers = dict(ImportedCaller.objects.values_list("digest", "member_id"))
        return self.callers

    def preload(self, digests) -> None:
        """The batch's callers that imports recorded before, among ``digests``: one read, as
        the batch starts, in its transaction."""
        recorded = self._recorded()
        wanted = {recorded[digest]: digest for digest in digests if digest in recorded}
        self.known = {}
        if wanted:
            for member in Member.objects.select_related("proxy").filter(pk__in=wanted):
                self.known[wanted[member.pk]] = member

    def caller(self, digest: str) -> Member | None:
        """The member an import recorded for this digest (with their proxy row): read with the
        batch, or else now."""
        if digest in self.known:
            return self.known[digest]
        member_id = self._recorded().get(digest)
        if member_id is None:
            return None
        found = _CALLER.objects(values={"member_id": member_id})
        return found[0] if found else None

    def record_caller(self, digest: str, member) -> None:
        """``member`` is the caller of ``digest``, from the row under way."""
        self.staged[digest] = member.pk
        self.staged_known[digest] = member
        row = ImportedCaller(digest=digest, member=member)
        if self.deferring:
            self.staged_rows.append(row)
        else:
            row.save()

    def row_stood(self) -> None:
        if self.callers is not None:
            self.callers.update(self.staged)
        self.added.extend(self.staged)
        self.known.update(self.staged_known)
        self.deferred.extend(self.staged_rows)
        self.staged.clear()
        self.staged_known.clear()
        self.staged_rows.clear()

    def row_fell(self) -> None:
        self.staged.clear()
        self.staged_known.clear()
        self.staged_rows.clear()

    def write_deferred(self) -> None:
        rows, self.deferred = self.deferred, []
        if rows:
            ImportedCaller.objects.bulk_create(rows)

    def batch_rolled_back(self) -> None:
        for digest in self.added:
            if self.callers is not None:
                self.callers.pop(digest, None)
        self.added.clear()
        self.deferred.clear()
        self.known = {}

    def batch_stood(self) -> None:
        self.added.clear()
        self.known = {}

    @classmethod
    def load(cls, *, by, places=None, consent=False, mapped=()) -> "Context":
        categories: dict[str, Category] = {}
        for category in Category.objects.all():
            for name in (category.name, category.slug.replace("-", " ")):
                key = header_key(name)
                for spelling in (key, key.removesuffix("s"), f"{key}s"):
                    categories.setdefault(spelling, category)
        network = _network()
        return cls(
            by=by,
            places=places or Places(),
            consent=consent,
            mapped=frozenset(mapped),
            region=(network.phone_region or "US").upper(),
            network=network,
            areas=areas_by_key(),
            categories=categories,
            languages=_language_codes(),
        )

    def category(self, value: str, column: Column) -> Category:
        """The kind of help a cell names: by its name or slug, or the one kind it mentions
        ("Groceries / food" -> Groceries)."""
        key = header_key(value)
        if not key:
            raise Rejected(_("%(column)s: empty.") % {"column": column.label})
        found = self.categories.get(key)
        if found is not None:
            return found
        padded = f" {key} "
        mentioned = {
            category for name, category in self.categories.items() if f" {name} " in padded
        }
        if len(mentioned) == 1:
            return mentioned.pop()
        raise _not_a_choice(column, value)

    def area_named(self, value: str, column: Column) -> Area:
        area = self.areas.get(header_key(value))
        if area is None:
            raise _not_a_choice(column, value)
        return area

    def area(self, values: dict[str, str], *, required: bool) -> Area | None:
        """The row's area: its area column, else its address, postcode or coordinates through
        the lookup. A place that finds no area is said so without repeating it."""
        name = values.get("area", "")
        if name and header_key(name) in self.areas:
            return self.areas[header_key(name)]
        place = {column.name: values[column.name] for column in PLACES if values.get(column.name)}
        if place:
            area = self.places.area_for(**place)
            if area is not None:
                return area
        if name:
            raise _not_a_choice(AREA, name)
        if place:
            raise Rejected(_("No area found for the address."))
        if required:
            raise Rejected(
                _("No area: give the row an area, or a street address or postcode the lookup has.")
            )
        return None


# A caller read again for each of their rows: its SQL built once (lib/prepared.py).
_CALLER = PreparedQuery(
    lambda member_id: Member.objects.select_related("proxy").filter(pk=member_id)[:1]
)


def _network() -> NetworkSettings:
    """The network's settings as they are, read without writing (a dry run writes nothing)."""
    return NetworkSettings.objects.order_by("pk").first() or NetworkSettings()


def areas_by_key() -> dict[str, Area]:
    return {header_key(area.name): area for area in Area.objects.all()}


# The kinds -------------------------------------------------------------------------------------


class Kind:
    """One kind of row. Subclasses name their columns and make the record in ``import_row``,
    which returns its code; a row it cannot import raises ``Rejected`` (or a service's
    ``Refusal``)."""

    name = ""
    label = ""
    # What a file of this kind needs, for the upload page.
    about = ""
    # Who may import it (accounts.policy).
    capability = ""
    columns: tuple[Column, ...] = ()
    # The organizer says the people in the file agreed to be recorded (and contacted).
    needs_consent = False
    # The service refusals' codes that are about one column: their reasons name it.
    refusal_columns: dict[str, str] = {}

    def may_import(self, member) -> bool:
        return bool(member and member.is_authenticated and member.can(self.capability))

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)

    def missing(self, mapping: list[str]) -> list[Column]:
        """The required columns no column of the file is mapped to."""
        return [c for c in self.columns if c.required and c.name not in set(mapping)]

    def guess(self, headers: list[str]) -> list[str]:
        """A field for each header (or ""): its name among the aliases, or the alias its name
        starts with ("What do you need help with? (groceries...)" -> "what do you need help
        with"), the longest first. A field that takes one column takes the first that fits."""
        mapping, taken = [], set()
        for header in headers:
            key = header_key(header)
            best, score = "", 0
            for each in self.columns:
                if each.join is None and each.name in taken:
                    continue
                for alias in each.aliases:
                    if (key == alias or key.startswith(alias + " ")) and len(alias) > score:
                        best, score = each.name, len(alias) + (1000 if key == alias else 0)
            mapping.append(best)
            taken.add(best)
        return mapping

    def values(self, cells: list[str], mapping: list[str]) -> dict[str, str]:
        """The row's non-empty values by field; several columns of one field joined."""
        values: dict[str, str] = {}
        for cell, name in zip(cells, mapping, strict=False):
            if not name:
                continue
            value = clean_cell(cell)
            if not value:
                continue
            if name in values:
                joiner = self.column(name).join
                if joiner is None:
                    continue
                values[name] = f"{values[name]}{joiner}{value}"
            else:
                values[name] = value
        return values

    def prepare(self, rows: list[dict[str, str]], context: Context) -> None:
        """Before a batch's rows, in its transaction: read together what they will each ask."""

    def together(self, rows: list[dict[str, str]], context: Context):
        """A kind that writes a batch's rows together: an object whose ``add(values)`` checks a
        row as import_row would (returning the code its record will have, or raising as
        import_row raises) and writes nothing, and whose ``write()`` writes every row added.
        None: each row is written by import_row, in its own savepoint."""
        return None

    def import_row(self, values: dict[str, str], context: Context):
        raise NotImplementedError


def _consent(values: dict[str, str], context: Context) -> bool:
    """The consent column's yes, if the file has one; else the organizer's word for the file."""
    if "consent" in context.mapped:
        if header_key(values.get("consent", "")) not in YES:
            raise Rejected(_("No “yes” in the consent column: not recorded."))
        return True
    if not context.consent:
        raise Rejected(_("Nobody said that the people in this file agreed to be recorded."))
    return True


class NeedsKind(Kind):
    """Needs of neighbors, as a request form collects them: each is recorded as proxy intake
    records a phone call (dispatch.intake does the same with these services), for a caller the
    organizers speak for. Rows with the same way to reach them are one caller's."""

    name = "needs"
    label = gettext_lazy("Needs")
    about = gettext_lazy(
        "A public summary, a kind of help, an area (or an address or postcode your lookup "
        "finds) and a way to reach them. Each neighbor is recorded as a caller the organizers "
        "speak for, as a phoned-in need is; rows with the same phone or email are one caller's. "
        "Only open needs are imported."
    )
    capability = Capability.INTAKE
    needs_consent = True
    columns = (
        TIMESTAMP,
        column(
            "summary",
            gettext_lazy("Public summary"),
            "summary|public summary|need|needs|request|what do you need|what do you need help with|"
            "what can we help with|how can we help|what help do you need|what do you need today|"
            "que necesitas|que necesita|necesidad",
            required=True,
        ),
        column(
            "details",
            gettext_lazy("Private details"),
            "details|private details|more details|notes|anything else|anything else we should know|"
            "additional information|additional details|additional notes|comments|detalles|"
            "notas|comentarios",
            join="\n",
        ),
        column(
            "category",
            gettext_lazy("Kind of help"),
            "category|categories|kind of help|type of help|type|type of need|what kind of help|"
            "what kind of help do you need|what type of help do you need|categoria|"
            "tipo de ayuda|tipo",
            required=True,
        ),
        AREA,
        *PLACES,
        column(
            "urgency",
            gettext_lazy("How soon"),
            "urgency|how soon|how urgent|how urgent is this|how urgent is your need|"
            "when do you need it|when do you need this|urgencia|para cuando",
        ),
        column(
            "needed_by",
            gettext_lazy("Needed by"),
            "needed by|deadline|by when|date needed|due|due date|fecha limite|"
            "para cuando lo necesitas",
        ),
        column(
            "visibility",
            gettext_lazy("Who can see it"),
            "visibility|who can see|who can see this|visibilidad",
        ),
        column(
            "phone",
            gettext_lazy("Phone"),
            "phone|phone number|telephone|telephone number|mobile|mobile number|cell|cell phone|"
            "cell number|your phone number|telefono|numero de telefono|movil|celular",
            note=gettext_lazy("how to reach them; sealed"),
        ),
        column(
            "email",
            gettext_lazy("Email"),
            "email|email address|e mail|your email|correo|correo electronico",
            note=gettext_lazy("how to reach them without a phone; sealed"),
        ),
        column(
            "contact",
            gettext_lazy("Other way to reach them"),
            "contact|contact info|contact information|how can we reach you|best way to reach you|"
            "how should we contact you|contacto",
            note=gettext_lazy("sealed"),
        ),
        column(
            "handle",
            gettext_lazy("Pseudonym"),
            "handle|pseudonym|username|nickname|seudonimo|apodo",
            note=gettext_lazy("optional"),
        ),
        column(
            "status",
            gettext_lazy("Status"),
            "status|estado",
            note=gettext_lazy("only open needs are imported"),
        ),
        column(
            "consent",
            gettext_lazy("Consent"),
            "consent|i consent|i agree|do you consent|do you agree|consentimiento|acepto",
            note=gettext_lazy("“yes”: they agreed to be recorded"),
        ),
    )
    refusal_columns = {
        "empty": "summary",
        "too_long": "summary",
        "personal_details": "summary",
        "contact": "phone",
        "handle": "handle",
        "consent": "consent",
    }

    def _read(self, values, context) -> dict:
        """The row's need, read and checked as far as the file alone tells (its status, consent,
        details, kind of help, area and choices): need_post's keywords, and ``consent``."""
        status = values.get("status", "")
        if status and header_key(status) not in OPEN_STATUSES:
            shown = _quoted(status)
            raise Rejected(
                _("Its status is %(value)s: only open needs are imported.") % {"value": shown}
                if shown
                else _("Its status is not open: only open needs are imported.")
            )
        consent = _consent(values, context)
        details = values.get("details", "")
        if len(details) > DETAILS_MAX:
            raise Rejected(
                _("Private details: keep them to %(max)d characters.") % {"max": DETAILS_MAX}
            )
        category = context.category(values.get("category", ""), self.column("category"))
        area = context.area(values, required=True)
        urgency = _choice(
            URGENCY_WORDS, self.column("urgency"), values.get("urgency", ""), Urgency.WEEK
        )
        visibility = _choice(
            VISIBILITY_WORDS,
            self.column("visibility"),
            values.get("visibility", ""),
            Visibility.MEMBERS,
        )
        needed_by = None
        if values.get("needed_by"):
            needed_by = read_date(values["needed_by"], month_first=context.region in MONTH_FIRST)
            if needed_by is None:
                raise Rejected(_("Needed by: not a date."))
            if needed_by < context.today:
                raise Rejected(_("Needed by: that date has passed."))
        return {
            "consent": consent,
            "category": category,
            "area": area,
            "summary": values.get("summary", ""),
            "details": details,
            "urgency": urgency,
            "needed_by": needed_by,
            "visibility": visibility,
        }

    def import_row(self, values, context):
        need = self._read(values, context)
        consent = need.pop("consent")
        requester = self._caller(values, context, consent=consent, area=need["area"])
        posted = aid.need_post(
            requester=requester,
            taken_in_by=context.by,
            announce=False,
            network=context.network,
            **need,
        )
        return posted.code

    def together(self, rows, context) -> "NeedsTogether":
        return NeedsTogether(self, rows, context)

    @staticmethod
    def _contact(values) -> tuple[str, str]:
        for name, kind in (
            ("phone", ContactKind.PHONE),
            ("email", ContactKind.EMAIL),
            ("contact", ContactKind.TEXT),
        ):
            if values.get(name):
                return kind, values[name]
        raise Rejected(_("No way to reach them: a phone number, an email or another contact."))

    def prepare(self, rows, context):
        """The callers imports recorded before that the batch's rows name, read in one go."""
        digests = []
        for values in rows:
            try:
                digests.append(context.caller_digest(*self._contact(values)))
            except (Rejected, Refusal):
                continue  # the row says why in its turn
        context.preload(digests)

    @staticmethod
    def _known_caller(digest, context) -> Member | None:
        """The caller an import recorded before for this digest, still relayed; None if none."""
        known = context.caller(digest)
        if known is not None:
            proxy = getattr(known, "proxy", None)
            if proxy is None or not proxy.is_relayed() or not known.is_active:
                raise Rejected(
                    _("This neighbor now has their own account: they post their own needs.")
                )
        return known

    def _caller(self, values, context, *, consent, area):
        """The caller the row's contact names: one an import recorded before (still relayed), or
        a new one (accounts.services.proxy_create, with the organizer as who took it)."""
        kind, contact = self._contact(values)
        digest = context.caller_digest(kind, contact)
        known = self._known_caller(digest, context)
        if known is not None:
            return known
        member, _reference = accounts.proxy_create(
            taken_by=context.by,
            handle=values.get("handle", ""),
            contact_kind=kind,
            contact=contact,
            consent=consent,
            region=context.region,
            home_area=area,
        )
        context.record_caller(digest, member)
        return member


class NeedsTogether:
    """A batch's rows of needs, each checked in its turn as import_row checks it (the same
    reading, then the services' own rules through their batch doors, accounts.ProxyBatch and
    aid.NeedBatch), and all written together as the batch ends (``write``). A row that fails a
    check is rejected alone, before anything of it is written; a caller is made only with a
    need that stands."""

    def __init__(self, kind: NeedsKind, rows, context: Context):
        self.kind, self.context = kind, context
        self.callers = accounts.ProxyBatch(
            taken_by=context.by,
            region=context.region,
            asking=[values.get("handle", "") for values in rows],
        )
        self.needs = aid.NeedBatch(taken_in_by=context.by, network=context.network)
        # The batch's new callers, by digest: a later row with the same contact is theirs too.
        self.new: dict[str, Member] = {}

    def add(self, values):
        """The code of the need the row will make, or Rejected (or a service's Refusal)."""
        need = self.kind._read(values, self.context)
        consent = need.pop("consent")
        kind, contact = self.kind._contact(values)
        digest = self.context.caller_digest(kind, contact)
        requester = self.new.get(digest) or self.kind._known_caller(digest, self.context)
        caller = None
        if requester is None:
            caller = self.callers.check(
                handle=values.get("handle", ""),
                contact_kind=kind,
                contact=contact,
                consent=consent,
                home_area=need["area"],
            )
            requester = caller.member
        posted = self.needs.add(requester=requester, **need)
        if caller is not None:
            self.new[digest] = self.callers.add(caller)
        return posted.code

    def write(self) -> None:
        """The callers, then their needs; the callers kept as the import's (ImportedCaller)."""
        self.callers.write()
        self.needs.write()
        for digest, member in self.new.items():
            self.context.record_caller(digest, member)
        self.context.row_stood()


class OffersKind(Kind):
    """Offers of members already on the network (import the members first), found by handle or
    email, posted through aid.services.offer_post as if they sent the offer form."""

    name = "offers"
    label = gettext_lazy("Offers")
    about = gettext_lazy(
        "What they offer, its kinds of help and areas, and the handle or email of a member "
        "already on the network (import the members first)."
    )
    capability = Capability.INTAKE
    columns = (
        TIMESTAMP,
        column(
            "summary",
            gettext_lazy("What they offer"),
            "summary|offer|what can you offer|what can you help with|how can you help|"
            "how would you like to help|what can you do|que puedes ofrecer|oferta|"
            "como puedes ayudar",
            required=True,
            note=gettext_lazy("public"),
        ),
        column(
            "categories",
            gettext_lazy("Kinds of help"),
            "categories|category|kinds of help|kind of help|type of help|types of help|"
            "what kinds of help can you offer|what kind of help can you offer|categorias|"
            "tipo de ayuda",
            required=True,
            join=", ",
        ),
        column(
            "areas",
            gettext_lazy("Areas they can reach"),
            "areas|area|neighborhoods|neighborhood|neighbourhoods|areas you can reach|"
            "where can you help|which neighborhoods|zonas|barrios|barrio",
            join=", ",
        ),
        *PLACES,
        column(
            "offer_kind",
            gettext_lazy("Once or ongoing"),
            "once or ongoing|kind|kind of offer|type of offer|frequency|how often|frecuencia",
        ),
        DAYS,
        column(
            "handle",
            gettext_lazy("Their handle on the network"),
            "handle|username|member|their handle|offerer|usuario",
        ),
        EMAIL,
    )
    refusal_columns = {"empty": "summary", "too_long": "summary", "personal_details": "summary"}

    def import_row(self, values, context):
        offerer = self._offerer(values)
        categories = [
            context.category(part, self.column("categories"))
            for part in _split(values.get("categories", ""))
        ]
        if not categories:
            raise Rejected(_("Kinds of help: none given."))
        areas = [
            context.area_named(part, self.column("areas"))
            for part in _split(values.get("areas", ""))
        ]
        if any(values.get(place.name) for place in PLACES):
            areas.append(
                context.area({n: v for n, v in values.items() if n != "areas"}, required=True)
            )
        if not areas:
            raise Rejected(_("No area: give the row its areas, or a street address or postcode."))
        offer = aid.offer_post(
            offerer=offerer,
            categories=list(dict.fromkeys(categories)),
            areas=list(dict.fromkeys(areas)),
            summary=values.get("summary", ""),
            kind=_choice(
                OFFER_KIND_WORDS,
                self.column("offer_kind"),
                values.get("offer_kind", ""),
                OfferKind.ONE_OFF,
            ),
            available_days=read_days(values.get("days", "")),
            taken_in_by=context.by,
        )
        return offer.code

    @staticmethod
    def _offerer(values) -> Member:
        handle = values.get("handle", "").removeprefix("@")
        found = None
        if handle and len(handle) <= 30:
            found = accounts.handles_taken(handle).filter(is_active=True).first()
        if found is None and values.get("email"):
            found = Member.objects.with_email(values["email"]).filter(is_active=True).first()
        if found is None:
            raise Rejected(_("No member has this handle or email: import the members first."))
        return found


class MembersKind(Kind):
    """Members from a roster: an account with the handle and email given and no password (they
    set one with "Forgot your password?" and their handle; the link goes to the email), their
    area, languages and days. Through accounts.services and the sign-up form's handle rules."""

    name = "members"
    label = gettext_lazy("Members")
    about = gettext_lazy(
        "A handle (their pseudonym: never a real name) and an email for each. They get an "
        "account with no password, and set one with “Forgot your password?” and their handle."
    )
    capability = Capability.CONFIGURE
    needs_consent = True
    columns = (
        TIMESTAMP,
        column(
            "handle",
            gettext_lazy("Handle"),
            "handle|username|pseudonym|nickname|user name|usuario|seudonimo|apodo",
            required=True,
            note=gettext_lazy("their pseudonym on the network"),
        ),
        column(
            "email",
            gettext_lazy("Email"),
            "email|email address|e mail|your email|correo|correo electronico",
            required=True,
            note=gettext_lazy("for their password link; sealed"),
        ),
        AREA,
        *PLACES,
        column(
            "languages",
            gettext_lazy("Languages they speak"),
            "languages|language|languages spoken|what languages do you speak|"
            "which languages do you speak|idiomas|idioma|lenguas",
            join=", ",
        ),
        DAYS,
    )
    refusal_columns = {"handle": "handle", "invalid": "languages"}

    def import_row(self, values, context):
        _consent(values, context)
        handle = values.get("handle", "").removeprefix("@")
        if not handle_is_usable(handle) or accounts.handles_taken(handle).exists():
            raise Rejected(f"{self.column('handle').label}: {HANDLE_REFUSED}")
        email = values.get("email", "")
        try:
            validate_email(email)
        except ValidationError:
            raise Rejected(_("Email: not an email address.")) from None
        if Member.objects.with_email(email).exists():
            raise Rejected(_("Email: a member already has it."))
        area = context.area(values, required=False)
        languages = []
        for part in _split(values.get("languages", ""), r"\s*[,;/\n&]\s*|\s+(?:and|y)\s+"):
            code = context.languages.get(header_key(part))
            if code is None:
                raise _not_a_choice(self.column("languages"), part)
            languages.append(code)
        days = read_days(values.get("days", ""))
        member = accounts.member_sign_up(handle=handle, password=None, email=email, home_area=area)
        if languages:
            accounts.member_set_languages(member=member, languages=languages)
        if days:
            accounts.member_set_limits(member=member, max_active_claims=None, available_days=days)
        return member.code


RESOURCE_KIND_WORDS = _words_of(
    {
        **{value: value for value in ResourceKind.values},
        **{str(label): value for value, label in ResourceKind.choices},
        "food bank": ResourceKind.FOOD_BANK,
        "food pantry": ResourceKind.FOOD_BANK,
        "pantry": ResourceKind.FOOD_BANK,
        "soup kitchen": ResourceKind.FOOD_BANK,
        "banco de alimentos": ResourceKind.FOOD_BANK,
        "despensa": ResourceKind.FOOD_BANK,
        "comedor": ResourceKind.FOOD_BANK,
        "refugio": ResourceKind.SHELTER,
        "albergue": ResourceKind.SHELTER,
        "helpline": ResourceKind.HOTLINE,
        "crisis line": ResourceKind.HOTLINE,
        "phone line": ResourceKind.HOTLINE,
        "linea de ayuda": ResourceKind.HOTLINE,
        "health center": ResourceKind.CLINIC,
        "health centre": ResourceKind.CLINIC,
        "clinica": ResourceKind.CLINIC,
        "centro de salud": ResourceKind.CLINIC,
        "official guidance": ResourceKind.GUIDANCE,
        "government": ResourceKind.GUIDANCE,
        "information": ResourceKind.GUIDANCE,
        "info": ResourceKind.GUIDANCE,
        "guia oficial": ResourceKind.GUIDANCE,
        "otro": ResourceKind.OTHER,
    }
)


class ResourcesKind(Kind):
    """The directory's food banks, shelters, hotlines, clinics and guidance: through
    aid.resources.resource_upsert, which finds a resource by its natural key (its name in any
    case and its kind) and brings it up to date, or adds it. An organization's public details,
    never a person's; a row's street address still only finds its area, and is dropped."""

    name = "resources"
    label = gettext_lazy("Resources")
    about = gettext_lazy(
        "A name and what it is (food bank, shelter, hotline, clinic, official guidance or "
        "other), and if you have them its description, hours, link, phone, areas and kinds of "
        "help. A resource already in the directory under that name and kind is brought up to "
        "date."
    )
    capability = Capability.EDIT_RESOURCES
    columns = (
        TIMESTAMP,
        column(
            "name",
            gettext_lazy("Name"),
            "name|resource|resource name|organization|organisation|organization name|"
            "nombre|organizacion|recurso",
            required=True,
        ),
        column(
            "kind",
            gettext_lazy("What it is"),
            "kind|type|kind of resource|type of resource|resource type|tipo|tipo de recurso",
            required=True,
        ),
        column(
            "description",
            gettext_lazy("Description"),
            "description|about|details|notes|what they offer|descripcion",
            join="\n",
        ),
        column(
            "hours",
            gettext_lazy("Hours"),
            "hours|opening hours|open hours|when open|horario|horarios",
        ),
        column("link", gettext_lazy("Link"), "link|website|web site|url|web|sitio web|pagina web"),
        column(
            "phone",
            gettext_lazy("Phone"),
            "phone|phone number|telephone|hotline number|number|telefono",
        ),
        column(
            "areas",
            gettext_lazy("Areas it serves"),
            "areas|area|neighborhoods|neighborhood|neighbourhoods|areas served|zonas|barrios",
            join=", ",
        ),
        *PLACES,
        column(
            "categories",
            gettext_lazy("Kinds of help"),
            "kinds of help|kind of help|categories|category|services|categorias",
            join=", ",
        ),
    )

    def import_row(self, values, context):
        kind = _choice(RESOURCE_KIND_WORDS, self.column("kind"), values.get("kind", ""), None)
        if kind is None:
            raise Rejected(_("What it is: empty."))
        areas = [
            context.area_named(part, self.column("areas"))
            for part in _split(values.get("areas", ""))
        ]
        if any(values.get(place.name) for place in PLACES):
            areas.append(
                context.area({n: v for n, v in values.items() if n != "areas"}, required=True)
            )
        categories = [
            context.category(part, self.column("categories"))
            for part in _split(values.get("categories", ""))
        ]
        resource, _added = resources.resource_upsert(
            by=context.by,
            name=values.get("name", ""),
            kind=kind,
            description=values.get("description", ""),
            hours=values.get("hours", ""),
            link=values.get("link", ""),
            phone=values.get("phone", ""),
            areas=list(dict.fromkeys(areas)),
            categories=list(dict.fromkeys(categories)),
        )
        return resource.code


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add a kind of row (its name must be one of models.Kind)."""
    KINDS[kind.name] = kind
    return kind


for _each in (NeedsKind(), OffersKind(), MembersKind(), ResourcesKind()):
    register(_each)


def kinds_for(member) -> list[Kind]:
    """The kinds ``member`` may import, in the registry's order."""
    return [kind for kind in KINDS.values() if kind.may_import(member)]
