"""The doxxing guard: find what would identify or locate a person in text meant for the public.

Public text (need and offer summaries, handles, names of areas) is checked before it is saved.
Each finding names its kind and the fragment, so the poster can be told exactly what to move into
the private details. The patterns aim at what people really type in English and Spanish; they
prefer a rare false alarm (the poster rewords) to a leaked phone number.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


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

# A capitalised word or an ordinal ("3rd"): part of a street's name.
_CAP = r"(?:[A-ZÁÉÍÓÚÑÜ][\w'’.-]*|\d{1,3}(?:st|nd|rd|th))"
_ES_JOIN = r"(?:de|del|la|las|los|el|y)"  # Spanish street names join words with these.

_STREET_EN = (
    r"street|st|avenue|ave|av|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|way|"
    r"terrace|ter|close|crescent|cres|highway|hwy|parkway|pkwy|square|sq|circle|cir|alley|"
    r"row|walk|gardens|grove|mews"
)
_STREET_ES = (
    r"calle|c/|avenida|avda\.?|av\.|paseo|plaza|pza\.?|camino|carretera|ctra\.?|ronda|"
    r"traves[ií]a|callej[oó]n|calzada|carrera|cra\.?|pasaje|glorieta|bulevar|privada|cerrada"
)

PATTERNS: list[tuple[str, re.Pattern]] = [
    (
        "link",
        re.compile(
            r"(?:https?://|www\.)\S+"
            r"|\b(?:[\w-]+\.)*(?:facebook|fb|instagram|twitter|x|tiktok|linkedin|snapchat|"
            r"nextdoor|venmo|paypal|cash|wa|t|youtube|threads|bsky)\.(?:com|me|app|me|ly|gg|"
            r"social)(?:/\S*)?"
            r"|(?<![\w@])@[A-Za-z_][A-Za-z0-9_.]{1,29}\b"
            r"|(?<![\w$])\$[A-Za-z][A-Za-z0-9_-]{2,}",
            re.IGNORECASE,
        ),
    ),
    (
        "email",
        re.compile(
            r"[\w.+-]+\s*(?:@|\(at\)|\[at\]|\s(?:at|arroba)\s)\s*[\w-]+"
            r"(?:\s*(?:\.|\(dot\)|\[dot\]|\s(?:dot|punto)\s)\s*[A-Za-z]{2,})+",
            re.IGNORECASE,
        ),
    ),
    (
        "coordinates",
        re.compile(
            r"-?\d{1,3}\.\d{3,}\s*°?\s*[NSns]?\s*[,;/ ]\s*-?\d{1,3}\.\d{3,}"
            r"|\d{1,3}\s*°\s*\d{1,2}\s*['′]\s*(?:\d{1,2}(?:\.\d+)?\s*[\"″])?\s*[NSns]"
            r"|\bgeo:-?\d"
            r"|\b[23456789CFGHJMPQRVWX]{4,8}\+[23456789CFGHJMPQRVWX]{2,3}\b",
        ),
    ),
    (
        "address",
        re.compile(
            # English: "12 Oak St", "1200B Martin Luther King Jr Blvd"
            rf"\b\d{{1,5}}[A-Za-z]?\s+(?:{_CAP}\s+){{0,4}}(?i:{_STREET_EN})\b\.?"
            # Spanish: "Calle Mayor 12", "Av. de la Reforma 222", "C/ Alcalá, 45"
            rf"|(?<![\w/])(?i:{_STREET_ES})\s*(?:(?:{_CAP}|{_ES_JOIN}|\d{{1,2}})\s+){{0,5}}?"
            rf"(?:{_CAP}\s*,?\s*)?(?i:n[º°o]\.?\s*|#\s*)?\d{{1,5}}\b"
            # Flats and units: "Apt 4B", "flat 3", "piso 2º", "depto 5"
            r"|\b(?i:apt|apartment|unit|flat|suite|depto|departamento|piso|puerta)\.?\s*#?\s*"
            r"\d{1,4}\s*[A-Za-zº°]?\b",
        ),
    ),
    (
        "phone",
        re.compile(
            # Nine or more digits, perhaps grouped: +34 612 345 678, (555) 123-4567, 5551234567
            r"(?<![\w.])\+?\(?\d(?:[\s().-]{0,2}\d){8,14}(?![\w])"
            # A local number: 555-1234, 555 1234
            r"|(?<![\w.-])\d{3}[\s.-]\d{4}(?![\w-])",
        ),
    ),
]

# Dates and times look like numbers but are not phone numbers.
_NOT_A_PHONE = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$|^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$")


def find_personal_details(text: str) -> list[Finding]:
    """Everything in ``text`` that looks like a way to reach or locate a person."""
    findings: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text or ""):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue  # already reported under an earlier kind
            fragment = match.group().strip()
            if kind == "phone" and _NOT_A_PHONE.match(fragment):
                continue
            taken.append((start, end))
            findings.append(Finding(kind, fragment))
    return findings


NEED_ADVICE = _("Move it into the private details, which only your volunteer and organizers see.")
OFFER_ADVICE = _(
    "Leave it out of the offer: once you are matched, you can share it in messages with the "
    "person you help."
)


def refuse_personal_details(text: str, *, advice=NEED_ADVICE) -> None:
    """A form validator: refuse public text that would identify or locate someone.

    Each finding is named, with the fragment, so the poster knows exactly what to move, and where.
    """
    errors = [
        ValidationError(
            _("“%(fragment)s” looks like %(kind)s. %(advice)s"),
            code="personal_details",
            params={
                "fragment": finding.fragment,
                "kind": KIND_LABELS[finding.kind],
                "advice": advice,
            },
        )
        for finding in find_personal_details(text)
    ]
    if errors:
        raise ValidationError(errors)
