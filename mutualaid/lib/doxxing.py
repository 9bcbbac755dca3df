"""The doxxing guard: find what would identify or locate a person in text meant for the public.

Public text (need and offer summaries, handles, names of areas and kinds of help) is checked before
it is saved. Each finding names its kind and the fragment, so the poster can be told exactly what to
move into the private details. The patterns aim at what people really type in English and Spanish;
they prefer a rare false alarm (the poster rewords) to a leaked phone number. A second pass asks the
``phonenumbers`` library, which knows each country's numbering plan, for numbers the patterns miss.

Every pattern runs in time linear in the text, whatever the text: a match may only begin at the
start of a run (a lookbehind refuses the middle of a word or a number), and every repeat that a
failed attempt could scan again is possessive (``*+``, ``++``) or bounded. Each pattern opens with
a lookahead for the characters it can start with, and lists of words are tries (``_words``), so
that most places in a text are passed over at once: ``test_doxxing_speed`` holds each pattern to
50 ms on 100 kB of its worst input. Length is still checked first, before any pattern runs:
``guard_public_text`` (the services' door) and ``refuse_personal_details`` (the forms') both refuse
text that is too long without reading it.
"""

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .refusal import Refusal


@dataclass(frozen=True)
class Finding:
    kind: str
    fragment: str


KIND_LABELS = {
    "phone": _("a phone number"),
    "email": _("an email address"),
    "address": _("a street address"),
    "coordinates": _("map coordinates"),
    "link": _("a link or profile handle"),
}


@dataclass(frozen=True)
class Pattern:
    """One way people write a personal detail. ``accept``, if given, may turn down a match (a
    date that looks like a phone number) by looking at the matched fragment only."""

    name: str
    kind: str
    regex: re.Pattern
    accept: Callable[[str], bool] | None = None


def _words(words: str) -> str:
    """A regex for any of the space-separated ``words``, in any case, written as a trie
    ("st|street" becomes "[sS][tT](?:[rR][eE][eE][tT])?"): at each place in a text, one branch a
    first letter is tried, not every word; the longest word is preferred, a shorter one kept."""
    trie: dict = {}
    for word in words.split():
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def branch(node: dict) -> str:
        alternatives = [
            (f"[{char}{char.upper()}]" if char.upper() != char else re.escape(char)) + branch(rest)
            for char, rest in sorted(node.items())
            if char
        ]
        if not alternatives:
            return ""
        group = alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"
        return f"(?:{group})?" if "" in node else group

    return f"(?:{branch(trie)})"


def _starts(words: str) -> str:
    """A character class of the first letters of ``words``, in both cases, for a lookahead."""
    firsts = {word[0] for word in words.split()}
    return "".join(sorted(firsts | {first.upper() for first in firsts}))


_UPPER = "A-ZÁÉÍÓÚÑÜ"
# A capitalised word or an ordinal ("3rd"): part of a street's name.
_CAP = rf"(?:[{_UPPER}][\w'’.-]*+|\d{{1,3}}(?:st|nd|rd|th))"
_ES_JOIN = r"(?:de|del|la|las|los|el|y)"  # Spanish street names join words with these.

_STREET_EN = _words(
    "street st avenue ave av road rd boulevard blvd lane ln drive dr court ct place pl way terrace "
    "ter close crescent cres highway hwy parkway pkwy square sq circle cir alley row walk gardens "
    "grove mews"
)
_STREET_ES_WORDS = (
    "calle c/ avenida avda avda. av. paseo plaza pza pza. camino carretera ctra ctra. ronda "
    "travesia travesía callejon callejón calzada carrera cra cra. pasaje glorieta bulevar privada "
    "cerrada"
)
_STREET_ES = _words(_STREET_ES_WORDS)

# --- Cross streets: "corner of Maple and 5th", "Maple & 5th", "esquina de Olmo y Pino" ---------
# A word of a street's name: capitalised, two letters or more.
_NAME_WORD = rf"[{_UPPER}][\w'’-]++"
_ORDINAL = (
    r"(?:\d{1,3}(?:st|nd|rd|th)|"
    + _words("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth")
    + r")\b"
)
_NAME_START = rf"(?=[{_UPPER}]|\d{{1,3}}(?:st|nd|rd|th))"  # how a street's name can begin
_CROSS_SUFFIX_WORDS = _words(
    "street st avenue ave road rd boulevard blvd lane ln drive dr way highway hwy parkway pkwy "
    "place pl court ct terrace ter circle cir"
)
_CROSS_SUFFIX = rf"{_CROSS_SUFFIX_WORDS}\b\.?"
# A street's name: one to three words, read once (possessive, never again in another way); the
# words after the first stop before a street's suffix ("Maple Street": "Maple", then "Street").
# Before "and", "&" or "esquina" with no word to say a street is coming, the name is one word:
# every capitalised word of a text is a place such a match may start, so each reads little.
_NAME_LAST_WORD = rf"(?:{_NAME_WORD}|{_ORDINAL})"
_NAME = (
    rf"(?:{_NAME_WORD}|{_ORDINAL})"
    rf"(?:\s++(?!{_CROSS_SUFFIX_WORDS}\b)(?:{_NAME_WORD}|{_ORDINAL})){{0,2}}+"
)
_SIDE = rf"{_NAME}(?:\s++{_CROSS_SUFFIX})?"
_SIDE_WITH_SUFFIX = rf"{_NAME}\s++{_CROSS_SUFFIX}"
_AND_EN = r"(?:\s++(?i:and|at)\s++|\s*+[&/]\s*+)"
_AND_ES = (
    rf"(?:\s++(?:{_words('y e con esq.')}|{_words('esquina')}(?:\s++(?i:con))?)\s*+|\s*+[&/]\s*+)"
)
_ES_STREET_WORD = rf"(?:(?i:la|el|las|los)\s++)?(?:{_words('calle avenida av. avda avda.')}\s*+)?"
# After an ordinal, a word that makes it a grade, a floor or a date, not a street.
_NOT_A_STREET_AFTER = (
    r"(?!\s*+"
    + _words(
        "grade grader graders floor time times place birthday anniversary year years day days "
        "week weeks month months round period class edition century child kid son daughter baby "
        "trimester shift semester of or to"
    )
    + r"\b)"
)

# --- House and flat numbers: "house 14", "número 23", "Apt 4B", "interior 4" --------------------
_HOME_WORDS = (
    "apt apartment unit flat suite depto departamento dpto piso puerta portal interior int. casa "
    "núm. num."
)
# "house" and "número", but not "can house 2 people" (a verb), "zapatos del número 38" (a size).
_HOME_WORD = "|".join(
    [
        _words("house")
        + "".join(rf"(?<!(?i:\b{verb} house))" for verb in ("can", "could", "will", "would", "we")),
        _words("número numero")
        + "".join(
            rf"(?<!(?i:\b{size} {word}))"
            for size in ("del", "zapatos", "botas", "talla")
            for word in ("número", "numero")
        ),
        _words(_HOME_WORDS),
    ]
)
# A number that goes on ("número 612 345 678"), a range ("unit 3-4") or a count, a measure or a
# school unit after it ("Unit 3 exam", "interior 4 litros", "casa 3 días") is not a home.
_NOT_A_HOME_AFTER = (
    r"(?![\s.,-]?\d)"
    r"(?!\s*+(?:[-–/]|(?i:to|a|al|y|and|or|o|of|de)\s)\s*+\d)"
    r"(?!\s*+"
    + _words(
        "exam exams test tests quiz quizzes homework assignment assignments lesson lessons review "
        "reviews project projects essay essays worksheet worksheets notes grade class classes "
        "course module chapter of people persons guests kids children adults family families pets "
        "dogs cats times days weeks months years hours minutes nights bags boxes beds kg kilo "
        "kilos lb lbs pounds liter liters litre litres meter meters metre metres exámenes examenes "
        "examen tema lección leccion personas niños niñas adultos familias mascotas perros gatos "
        "veces días dias semanas meses años horas minutos noches bolsas cajas camas litros metros"
    )
    + r"\b)"
)
_NTH_WORDS = "first second third fourth fifth sixth seventh eighth ninth tenth"
_NTH_ES_WORDS = "primera segunda tercera cuarta quinta sexta séptima septima octava novena décima"

# --- Phone numbers spelled out: "five five five, one two three four" ----------------------------
_UNIT_WORDS = (
    "zero oh one two three four five six seven eight nine "
    "cero uno dos tres cuatro cinco seis siete ocho nueve"
)
_TENS_WORDS = (
    "twenty thirty forty fifty sixty seventy eighty ninety "
    "treinta cuarenta cincuenta sesenta setenta ochenta noventa"
)
_PAIR_WORDS = (  # two digits each: "doce", "fifteen"
    "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen diez once "
    "doce trece catorce quince dieciséis dieciseis diecisiete dieciocho diecinueve veinte "
    "veintiuno veintidós veintidos veintitrés veintitres veinticuatro veinticinco veintiséis "
    "veintiseis veintisiete veintiocho veintinueve " + _TENS_WORDS
)
_UNITS, _TENS, _PAIRS = (set(words.split()) for words in (_UNIT_WORDS, _TENS_WORDS, _PAIR_WORDS))
_REPEATS = {"double": 2, "doble": 2, "triple": 3}
_NUMBER_WORDS = f"{_UNIT_WORDS} {_PAIR_WORDS} {' '.join(_REPEATS)}"
# Digits or number words, one after another; "y" joins them too ("treinta y cuatro"). How many
# digits that makes is counted by _spelled_phone.
_NUMBER_TOKEN = rf"(?:\d++|{_words(_NUMBER_WORDS)})(?!\w)"
_NUMBER_SEP = r"(?:\s*+[,.;:/–-]\s*+|\s++(?:[yY]\s++)?)"


_CALENDAR_WORDS = (
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri "
    "sat sun january february march april may june july august september october november "
    "december jan feb mar apr jun jul aug sep sept oct nov dec"
)
_CALENDAR = set(_CALENDAR_WORDS.split())


def _no_day_or_month(fragment: str) -> bool:
    """A corner, not a date: "Maple and 5th", but not "Monday and 5th" or "the 3rd and Friday"."""
    return _CALENDAR.isdisjoint(re.findall(r"[^\W\d_]+", fragment.lower()))


def _spelled_phone(fragment: str) -> bool:
    """Seven digits or more, some of them words ("555 one two three four"), or seven digits
    written one by one ("5 5 5 1 2 3 4"); not a date or a price, which have no words."""
    digits = words = 0
    single_digits_only = True
    repeat, after_tens = 1, False
    for part in re.findall(r"\d+|[^\W\d_]+", fragment.lower()):
        if part == "y":  # "treinta y cuatro"
            continue
        if part.isdigit():
            digits += len(part)
            single_digits_only &= len(part) == 1
            after_tens = False
            continue
        words += 1
        if part in _REPEATS:
            repeat = _REPEATS[part]
        elif part in _UNITS and after_tens:
            after_tens = False  # "treinta y cuatro", "fifty-five": two digits, counted already
        elif part in _UNITS:
            digits, repeat = digits + repeat, 1
        elif part in _PAIRS:
            digits, repeat, after_tens = digits + 2, 1, part in _TENS
    return digits >= 7 and (words > 0 or single_digits_only)


# Dates and times look like numbers but are not phone numbers.
_DATE = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$|^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$")


def _not_a_date(fragment: str) -> bool:
    return not _DATE.match(fragment)


# Coordinates: a signed number with or without decimals, "." or "," ("40,4168" in Spanish).
_COORD = r"[-+−]?\d{1,3}(?:[.,]\d++)?+"
_LAT = _words("lat latitude latitud") + r"\b\.?"
_LON = _words("lon long longitude longitud lng") + r"\b\.?"

# The order matters: a fragment found by an earlier pattern is not reported again by a later one
# ("rosa@example.org" is an email, not also a handle).
PATTERNS: list[Pattern] = [
    Pattern("link_url", "link", re.compile(r"(?=[hHwW])(?:https?://|www\.)\S++", re.IGNORECASE)),
    Pattern(
        "link_site",
        "link",
        re.compile(
            r"(?=\w)(?<![\w.-])(?:[\w-]++\.)*"
            + _words(
                "facebook fb instagram twitter x tiktok linkedin snapchat nextdoor venmo paypal "
                "cash wa t youtube threads bsky"
            )
            + r"\."
            + _words("com me app ly gg social")
            + r"(?![\w-])(?:/\S*+)?"
        ),
    ),
    Pattern("link_handle", "link", re.compile(r"(?<![\w@])@[A-Za-z_][A-Za-z0-9_.]{1,29}\b")),
    Pattern("link_cashtag", "link", re.compile(r"(?<![\w$])\$[A-Za-z][A-Za-z0-9_-]{2,}+")),
    Pattern(
        # "rosa.m@example.com", "rosa @ gmail . com"
        "email",
        "email",
        re.compile(
            r"(?=[\w.+-])(?<![\w.+-])[\w.+-]++\s*+@\s*+[\w-]++"
            r"(?:(?:\s*+\.(?=[a-z])|\s++\.\s*+)[a-z]{2,})+",
            re.IGNORECASE,
        ),
    ),
    Pattern(
        # "rosa at gmail dot com", "j.smith (at) proton (dot) me", "ana arroba gmail punto com".
        # A dot is spelled out or stuck to the next word: "help at home. Please" is a sentence.
        "email_spelled",
        "email",
        re.compile(
            r"(?=[\w.+-])(?<![\w.+-])[\w.+-]++"
            r"(?:\s*+[(\[](?:at|arroba)[)\]]\s*+|\s++(?:at|arroba)\s++)[\w-]++"
            r"(?:(?:\s*+[(\[](?:dot|punto)[)\]]\s*+|\s++(?:dot|punto)\s++|\.(?=[a-z])"
            r"|\s++\.\s*+)[a-z]{2,})+",
            re.IGNORECASE,
        ),
    ),
    Pattern(
        # "40.7128, -74.0060", "51.50735 -0.12776", "19.4326 N, 99.1332 W"
        "coordinates_decimal",
        "coordinates",
        re.compile(
            r"(?=[-\d])(?<![\d.])-?\d{1,3}\.\d{3,}+(?:\s*+°)?(?:\s*+[NSns](?!\w))?"
            r"(?:\s*+[,;/]\s*+|\s++)-?\d{1,3}\.\d{3,}"
        ),
    ),
    Pattern(
        # "40°26′46″N"
        "coordinates_degrees",
        "coordinates",
        re.compile(
            r"(?=\d)(?<!\d)\d{1,3}\s*+°\s*+\d{1,2}\s*+['′]\s*+"
            r"(?:\d{1,2}(?:\.\d++)?\s*+[\"″]\s*+)?[NSns]"
        ),
    ),
    Pattern(
        # "lat 40.1 lon -3.7", "lat: 40.1, long: -3.7", "latitud 40,4 longitud -3,7",
        # "lat/lng 40.1, -3.7", "coordenadas: 40,41, -3,70", "GPS 40.1 -3.7"
        "coordinates_labelled",
        "coordinates",
        re.compile(
            r"(?=[lLcCgGuU])\b(?:"
            rf"{_LAT}\s*+[:=]?\s*+{_COORD}(?:\s*+°)?(?:\s*+[NSns](?!\w))?\s*+[,;/]?\s*+"
            rf"{_LON}\s*+[:=]?\s*+{_COORD}"
            rf"|{_LAT}\s*+[/,]\s*+{_LON}\s*+[:=]?\s*+{_COORD}\s*+[,;/]?\s*+{_COORD}"
            rf"|{_words('coords coordinates coordenadas gps location ubicación ubicacion')}\b"
            r"\s*+[:=]?\s*+[-+−]?\d{1,3}[.,]\d++(?:\s*+[,;/]\s*+|\s++)[-+−]?\d{1,3}[.,]\d++)"
        ),
    ),
    Pattern(
        # "geo:37.78,-122.39", the plus code "87G8Q2M5+XR"
        "coordinates_code",
        "coordinates",
        re.compile(
            r"(?=[g23456789CFGHJMPQRVWX])\b(?:geo:-?\d"
            r"|[23456789CFGHJMPQRVWX]{4,8}+\+[23456789CFGHJMPQRVWX]{2,3}\b)"
        ),
    ),
    Pattern(
        # "12 Oak St", "1200B Martin Luther King Jr Blvd"
        "address_en",
        "address",
        re.compile(
            rf"(?=\d)\b\d{{1,5}}[A-Za-z]?\s++(?:(?!{_STREET_EN}\b){_CAP}\s++){{0,4}}+{_STREET_EN}\b\.?"
        ),
    ),
    Pattern(
        # "Calle Mayor 12", "Av. de la Reforma 222", "C/ Alcalá, 45"
        "address_es",
        "address",
        re.compile(
            rf"(?=[{_starts(_STREET_ES_WORDS)}])(?<![\w/]){_STREET_ES}\s*+"
            rf"(?:(?:{_CAP}|{_ES_JOIN}|\d{{1,2}})\s++){{0,5}}?"
            rf"(?:{_CAP}\s*+,?+\s*+)?(?i:n[º°o]\.?\s*+|#\s*+)?\d{{1,5}}\b"
        ),
    ),
    Pattern(
        # "corner of Maple and 5th", "cross streets: Main & Elm", "esquina de Olmo y Pino",
        # "en la esquina de la calle Olmo con la calle Pino"
        "cross_streets_named",
        "address",
        re.compile(
            r"(?=[cCiIeE])\b(?i:(?:corner|intersection|crossroads?)\s++of|cross[\s-]?streets?"
            r"(?:\s++(?:are|is))?|esquina\s++(?:de|con|entre)|cruce\s++(?:de|entre)|"
            r"intersecci[oó]n\s++(?:de|entre)|entre\s++(?:las\s++)?calles)(?:\s*+:)?\s++"
            rf"(?:(?i:the)\s++)?{_ES_STREET_WORD}{_SIDE}"
            rf"(?:{_AND_EN}|{_AND_ES})(?:(?i:the)\s++)?{_ES_STREET_WORD}{_SIDE}"
        ),
    ),
    Pattern(
        # "Maple and Fifth Street", "Main St & Elm", "5th Ave at 23rd St"
        "cross_streets_suffix",
        "address",
        re.compile(
            rf"{_NAME_START}(?<![\w'’.-]){_NAME_LAST_WORD}"
            rf"(?:\s++{_CROSS_SUFFIX}{_AND_EN}{_SIDE}|{_AND_EN}{_SIDE_WITH_SUFFIX})"
        ),
        accept=_no_day_or_month,
    ),
    Pattern(
        # "Maple & 5th", "Maple and Fifth", "1st and Main"; not "Tom and 3rd grade", not
        # "the 3rd and 17th" (dates).
        "cross_streets_ordinal",
        "address",
        re.compile(
            rf"{_NAME_START}(?<![\w'’.-])(?:{_NAME_WORD}{_AND_EN}"
            rf"{_ORDINAL}{_NOT_A_STREET_AFTER}|{_ORDINAL}{_AND_EN}{_NAME_WORD})"
        ),
        accept=_no_day_or_month,
    ),
    Pattern(
        # "calle Olmo y Pino", "Avenida Juárez esquina Madero", "Olmo esq. Pino"
        "cross_streets_es",
        "address",
        re.compile(
            rf"(?=[cCaA])(?<![\w/]){_words('calle calles avenida avenidas av. avda avda.')}"
            rf"\s*+(?:(?i:del?|de\s++la)\s++)?{_NAME}{_AND_ES}{_ES_STREET_WORD}{_NAME}"
            rf"|{_NAME_START}(?<![\w'’.-]){_NAME_LAST_WORD}\s++(?:{_words('esquina')}(?:\s++(?i:con))?"
            rf"|{_words('esq.')})\s*+{_ES_STREET_WORD}{_NAME}"
        ),
    ),
    Pattern(
        # "Apt 4B", "flat 3", "piso 2º", "house 14", "número 23", "interior 4", "casa 12"
        "address_home",
        "address",
        re.compile(
            rf"(?=[hHnN{_starts(_HOME_WORDS)}])\b(?:{_HOME_WORD})\.?\s*+"
            rf"(?:(?i:n[º°o])\.?\s*+|#\s*+)?\d{{1,5}}+"
            rf"(?:[A-Za-zº°ª]{{1,2}}|\s[A-Zº°ª])?(?!\w){_NOT_A_HOME_AFTER}"
        ),
    ),
    Pattern(
        # "the 12th house on the left", "la tercera casa a la derecha"
        "address_nth_house",
        "address",
        re.compile(
            rf"(?=\d{{1,3}}[a-zA-Zª]|[{_starts(_NTH_WORDS)}{_starts(_NTH_ES_WORDS)}])\b"
            rf"(?:(?:\d{{1,3}}(?i:st|nd|rd|th)|{_words(_NTH_WORDS)})\s++"
            rf"{_words('house home door building gate')}"
            r"\s++(?i:on|to)\s++(?i:the)\s++(?i:left|right|corner)"
            rf"|(?:\d{{1,2}}[ªa]|{_words(_NTH_ES_WORDS)})\s++{_words('casa puerta portal')}\s++"
            r"(?i:a|de)\s++"
            r"(?i:la)\s++(?i:izquierda|derecha|esquina))\b"
        ),
    ),
    Pattern(
        # Nine or more digits, perhaps grouped: +34 612 345 678, (555) 123-4567, 5551234567
        "phone",
        "phone",
        re.compile(r"(?=[\d+(])(?<![\w.])\+?\(?\d(?:[\s().-]{0,2}\d){8,14}(?!\w)"),
        accept=_not_a_date,
    ),
    Pattern(
        # A local number: 555-1234, 555 1234
        "phone_local",
        "phone",
        re.compile(r"(?=\d)(?<![\w.-])\d{3}[\s.-]\d{4}(?![\w-])"),
        accept=_not_a_date,
    ),
    Pattern(
        # "five five five, one two three four", "cinco cinco cinco uno dos tres cuatro",
        # "seis doce treinta y cuatro, cincuenta y seis", "555 one two three four"
        "phone_spelled",
        "phone",
        re.compile(
            rf"(?=[\d{_starts(_NUMBER_WORDS)}])(?<!\w)"
            rf"{_NUMBER_TOKEN}(?:{_NUMBER_SEP}{_NUMBER_TOKEN})++"
        ),
        accept=_spelled_phone,
    ),
]

# The phone numbers' second pass: without a region from the network's settings, read numbers as
# the United States writes them (and any number starting with "+", as everywhere).
DEFAULT_REGION = "US"
# VALID: a number that could be dialled in that region. POSSIBLE, which reads only a number's
# length, took a case number ("2024-00123") and an order number ("123456789") for phones.
_LENIENCY = phonenumbers.Leniency.VALID


def _phone_numbers(text: str, region: str | None):
    """(start, end) of each number the ``phonenumbers`` library finds in ``text``."""
    matcher = phonenumbers.PhoneNumberMatcher(
        text, (region or DEFAULT_REGION).upper(), leniency=_LENIENCY
    )
    for match in matcher:
        yield match.start, match.end


# Findings are listed kind by kind, in the order of PATTERNS, then by where they are in the text.
_KIND_ORDER = {kind: rank for rank, kind in enumerate(dict.fromkeys(p.kind for p in PATTERNS))}


class _Spans:
    """Parts of the text already reported: sorted, never overlapping, looked up by bisection."""

    def __init__(self):
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        before = bisect_left(self.starts, end) - 1  # the last span starting before ``end``
        return before >= 0 and self.ends[before] > start

    def add(self, start: int, end: int) -> None:
        index = bisect_left(self.starts, start)
        self.starts.insert(index, start)
        self.ends.insert(index, end)


def find_personal_details(text: str, *, region: str | None = None) -> list[Finding]:
    """Everything in ``text`` that looks like a way to reach or locate a person.

    ``region`` (a network's country, "US" or "ES") tells the phone numbers' second pass how
    local numbers are written. Callers bound the text's length first: the patterns are linear,
    but the second pass costs some microseconds a character.
    """
    text = text or ""
    found: list[tuple[int, int, Finding]] = []  # (the kind's rank, start, finding)
    spans = _Spans()

    def report(kind, start, end):
        if not spans.overlaps(start, end):  # else already reported under an earlier kind
            spans.add(start, end)
            found.append((_KIND_ORDER[kind], start, Finding(kind, text[start:end].strip())))

    for pattern in PATTERNS:
        for match in pattern.regex.finditer(text):
            if pattern.accept is None or pattern.accept(match.group().strip()):
                report(pattern.kind, *match.span())
    for start, end in _phone_numbers(text, region):
        report("phone", start, end)
    return [finding for _, _, finding in sorted(found, key=lambda each: each[:2])]


PUBLIC_NAME_ADVICE = _("Names are public: leave out anything that identifies or locates someone.")
NEED_ADVICE = _("Move it into the private details, which only your volunteer and organizers see.")
OFFER_ADVICE = _(
    "Leave it out of the offer: once you are matched, you can share it in messages with the "
    "person you help."
)
# The form validator reads no further: no form field takes public text this long.
SCAN_MAX = 1000

_LOOKS_LIKE = _("“%(fragment)s” looks like %(kind)s.")
_LOOKS_LIKE_ADVICE = _("“%(fragment)s” looks like %(kind)s. %(advice)s")
_TOO_LONG = _("Keep it to %(max)d characters.")


def _named(finding: Finding, **params) -> dict:
    return {"fragment": finding.fragment, "kind": KIND_LABELS[finding.kind], **params}


def guard_public_text(text: str, *, max_length: int, advice=None, region: str | None = None) -> str:
    """Strip, refuse empty, refuse over max_length BEFORE any pattern runs, then run the guard.

    Raises ``Refusal`` with code "empty", "too_long" or "personal_details" (the message names each
    fragment found, its kind, then the advice, in the form validator's words). Returns the
    stripped text.
    """
    text = (text or "").strip()
    if not text:
        raise Refusal(_("Write a few words first."), code="empty")
    if len(text) > max_length:
        raise Refusal(_TOO_LONG % {"max": max_length}, code="too_long")
    findings = find_personal_details(text, region=region)
    if findings:
        *others, last = findings
        words = [str(_LOOKS_LIKE % _named(finding)) for finding in others]
        words.append(str(_LOOKS_LIKE_ADVICE % _named(last, advice=advice or NEED_ADVICE)))
        raise Refusal(" ".join(words), code="personal_details")
    return text


def refuse_personal_details(text: str, *, advice=NEED_ADVICE, region: str | None = None) -> None:
    """A form validator: refuse public text that would identify or locate someone.

    Each finding is named, with the fragment, so the poster knows exactly what to move, and where.
    Text longer than ``SCAN_MAX`` is refused unread.
    """
    if len(text or "") > SCAN_MAX:
        raise ValidationError(_TOO_LONG, code="too_long", params={"max": SCAN_MAX})
    errors = [
        ValidationError(
            _LOOKS_LIKE_ADVICE, code="personal_details", params=_named(finding, advice=advice)
        )
        for finding in find_personal_details(text, region=region)
    ]
    if errors:
        raise ValidationError(errors)
