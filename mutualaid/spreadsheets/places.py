"""From a street address, a postcode or coordinates to one of the network's areas, through a
lookup the organizer uploads beside the file, and nothing else.

The network keeps no precise location (PRODUCT.md): a row's address, postcode or coordinates are
read here to find its area, and then dropped. They are never stored, logged, or repeated in a
message; a row whose place finds no area is rejected as "no area found for the address".

The lookup is a CSV with an "area" column (an area's name, as the network spells it) and a
"street", "postcode" or "lat"/"lon" column (or several), one line per street, postcode or point:

    street,postcode,lat,lon,area
    Maple Street,,,,Northside
    ,94110,,,Mission
    ,,37.7599,-122.4148,Mission

A street is found inside an address whatever its house number, flat or city ("12 Maple St, apt
3" finds "Maple Street"): both are read as words, with the usual abbreviations (St, Ave, Rd,
Avda, C/...) written out the same way. A street named without its kind ("Maple") is found too,
unless a different kind follows it ("Maple Avenue" is another street). A postcode is found as
written, by its first five digits (ZIP+4), or by its outward half ("SW1A 1AA" -> "SW1A").
Coordinates go to the nearest point of the lookup, if one lies within ``NEAREST_KM``.
"""

import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from mutualaid.lib.refusal import Refusal

from .reading import read_table

# A point farther than this from every point of the lookup is in none of its areas.
NEAREST_KM = 10.0
# The grid the points are kept in, in degrees of latitude (about 11 km).
_CELL = 0.1
# A street's name is at most this many words.
_LONGEST = 8

# Each kind of street as one word, whatever the abbreviation or the language.
STREET_KINDS = {
    "street": "st str street calle c cl",
    "avenue": "ave av avenue avenida avda",
    "road": "rd road carretera ctra",
    "boulevard": "blvd blv boulevard bulevar",
    "lane": "ln lane",
    "drive": "dr drive",
    "court": "ct court",
    "place": "pl place",
    "square": "sq square plaza pza plz",
    "terrace": "ter terr terrace",
    "highway": "hwy highway",
    "parkway": "pkwy parkway",
    "circle": "cir circle",
    "crescent": "cres crescent",
    "way": "way",
    "close": "close",
    "row": "row",
    "walk": "walk",
    "mews": "mews",
    "grove": "grove",
    "gardens": "gardens",
    "alley": "alley",
    "paseo": "paseo",
    "camino": "camino",
    "ronda": "ronda",
    "travesia": "travesia",
    "pasaje": "pasaje",
    "glorieta": "glorieta",
}
_WORDS = {
    "n": "north",
    "s": "south",
    "e": "east",
    "w": "west",
    "first": "1st",
    "second": "2nd",
    "third": "3rd",
    "fourth": "4th",
    "fifth": "5th",
    "sixth": "6th",
    "seventh": "7th",
    "eighth": "8th",
    "ninth": "9th",
    "tenth": "10th",
}
for _kind, _spellings in STREET_KINDS.items():
    for _spelling in _spellings.split():
        _WORDS[_spelling] = _kind
KINDS = frozenset(STREET_KINDS)


def words(text: str) -> list[str]:
    """``text`` as the words a street's name is compared by: lower case, no accents or
    apostrophes, abbreviations written out."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"['’`]", "", text)
    return [_WORDS.get(word, word) for word in re.findall(r"[^\W_]+", text)]


def postcode_key(text: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", (text or "").upper())


def _postcode_keys(text: str) -> list[str]:
    """The ways a written postcode may be in the lookup: whole, ZIP+4's first half, or the
    outward half of a British one."""
    text = (text or "").strip()
    keys = [postcode_key(text)]
    for part in (text.split("-")[0], text.split()[0] if text.split() else ""):
        if part and postcode_key(part) not in keys:
            keys.append(postcode_key(part))
    return [key for key in keys if key]


def _coordinates(text: str) -> tuple[float, float] | None:
    numbers = re.findall(r"[-+]?\d+(?:\.\d+)?", text or "")
    if len(numbers) != 2:
        return None
    return _point(*numbers)


def _point(lat: str, lon: str) -> tuple[float, float] | None:
    try:
        point = float(str(lat).strip()), float(str(lon).strip())
    except ValueError:
        return None
    if not (-90 <= point[0] <= 90 and -180 <= point[1] <= 180):
        return None
    return point


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The distance between two points, near enough for points a few kilometres apart."""
    mean = math.radians((a[0] + b[0]) / 2)
    dx = math.radians(b[1] - a[1]) * math.cos(mean)
    dy = math.radians(b[0] - a[0])
    return 6371.0 * math.hypot(dx, dy)


def _cell(point: tuple[float, float]) -> tuple[int, int]:
    return math.floor(point[0] / _CELL), math.floor(point[1] / _CELL)


# A lookup's columns, by the names a spreadsheet gives them (see kinds.header_key).
LOOKUP_COLUMNS = {
    "street": {"street", "street name", "streets", "calle", "calles", "via", "road", "address"},
    "postcode": {
        "postcode",
        "post code",
        "postal code",
        "zip",
        "zip code",
        "zipcode",
        "codigo postal",
        "cp",
    },
    "coordinates": {"coordinates", "lat lon", "lat long", "latlng", "coordenadas"},
    "latitude": {"lat", "latitude", "latitud"},
    "longitude": {"lon", "lng", "long", "longitude", "longitud"},
    "area": {"area", "area name", "neighborhood", "neighbourhood", "zone", "district", "barrio"},
}


@dataclass
class Places:
    """A lookup, ready: streets and postcodes to areas, and points on a grid."""

    streets: dict[str, object] = field(default_factory=dict)
    # A street's name without its kind -> (the area, the kinds it is known with); the area is
    # None when two areas have a street of that name.
    cores: dict[str, tuple[object, frozenset]] = field(default_factory=dict)
    postcodes: dict[str, object] = field(default_factory=dict)
    grid: dict[tuple[int, int], list] = field(default_factory=lambda: defaultdict(list))

    def __bool__(self):
        return bool(self.streets or self.postcodes or self.grid)

    @classmethod
    def parse(cls, text: str, areas: dict[str, object], *, header_key) -> "Places":
        """The lookup in ``text``; ``areas`` maps an area's name (as ``header_key`` writes it) to
        the area. Refuses a lookup without an area column or a place column, and one naming an
        area the network does not have (with its lines)."""
        table = read_table(text)
        roles: dict[str, int] = {}
        for index, header in enumerate(table.headers):
            key = header_key(header)
            for role, names in LOOKUP_COLUMNS.items():
                if key in names and role not in roles:
                    roles[role] = index
        if "area" not in roles or not (
            {"street", "postcode", "coordinates", "latitude"} & set(roles)
        ):
            raise Refusal(
                _(
                    "The lookup needs a column “area” and a column “street”, “postcode”, "
                    "“coordinates” or “lat” and “lon”."
                ),
                code="lookup",
            )
        places = cls()
        unknown: list[int] = []
        cores: dict[str, set] = defaultdict(set)
        kinds: dict[str, set] = defaultdict(set)

        def cell(cells, role):
            return cells[roles[role]].strip() if role in roles else ""

        for line, cells in table.rows:
            area = areas.get(header_key(cell(cells, "area")))
            if area is None:
                unknown.append(line)
                continue
            street = words(cell(cells, "street"))
            if street:
                places.streets[" ".join(street)] = area
                core = [word for word in street if word not in KINDS]
                if core and core != street:
                    cores[" ".join(core)].add(area)
                    kinds[" ".join(core)] |= {word for word in street if word in KINDS}
            postcode = postcode_key(cell(cells, "postcode"))
            if postcode:
                places.postcodes[postcode] = area
            point = _coordinates(cell(cells, "coordinates")) or _point(
                cell(cells, "latitude") or "x", cell(cells, "longitude") or "x"
            )
            if point is not None:
                places.grid[_cell(point)].append((point, area))
        if unknown:
            raise Refusal(
                _(
                    "The lookup's lines %(lines)s name no area of the network (or none): write "
                    "each area as it is spelled on the areas page."
                )
                % {"lines": ", ".join(str(line) for line in unknown[:10])},
                code="lookup",
            )
        for core, found in cores.items():
            if core not in places.streets:
                only = next(iter(found)) if len(found) == 1 else None
                places.cores[core] = (only, frozenset(kinds[core]))
        return places

    def area_for(self, *, address="", postcode="", coordinates="", latitude="", longitude=""):
        """The area a row's place is in, or None. The address first, then the postcode, then
        the coordinates."""
        if address:
            area = self._by_address(address)
            if area is not None:
                return area
        if postcode:
            for key in _postcode_keys(postcode):
                if key in self.postcodes:
                    return self.postcodes[key]
        point = _coordinates(coordinates) if coordinates else None
        if point is None and latitude and longitude:
            point = _point(latitude, longitude)
        if point is not None:
            return self._nearest(point)
        return None

    def _by_address(self, address: str):
        found = words(address)
        longest = min(len(found), _LONGEST)
        for size in range(longest, 0, -1):
            for start in range(len(found) - size + 1):
                area = self.streets.get(" ".join(found[start : start + size]))
                if area is not None:
                    return area
        for size in range(longest, 0, -1):
            for start in range(len(found) - size + 1):
                core = self.cores.get(" ".join(found[start : start + size]))
                if core is None or core[0] is None:
                    continue
                area, known = core
                around = {
                    found[i] for i in (start - 1, start + size) if 0 <= i < len(found)
                } & KINDS
                if around <= known:  # "Maple" or "Maple Street", not "Maple Avenue"
                    return area
        if self.postcodes:
            raw = re.findall(r"[0-9A-Za-z]+", address)
            for size in (2, 1):
                for start in range(len(raw) - size + 1):
                    key = postcode_key("".join(raw[start : start + size]))
                    if key in self.postcodes:
                        return self.postcodes[key]
        return None

    def _nearest(self, point):
        if not self.grid:
            return None
        row, column = _cell(point)
        # Enough cells either way to reach NEAREST_KM at this latitude.
        rows = math.ceil(NEAREST_KM / (111.0 * _CELL))
        columns = math.ceil(
            NEAREST_KM / (111.0 * _CELL * max(math.cos(math.radians(point[0])), 0.01))
        )
        best, best_km = None, NEAREST_KM
        for r in range(row - rows, row + rows + 1):
            for c in range(column - columns, column + columns + 1):
                for other, area in self.grid.get((r, c), ()):
                    km = _km(point, other)
                    if km <= best_km:
                        best, best_km = area, km
        return best
