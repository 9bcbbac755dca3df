"""The network's anonymous figures through the API: what its public page of figures shows, for a
whole calendar quarter, with no count under five and nothing that gives one away (the figures
app's disclosure rules). For any token: the network's integration tokens above all."""

from django.utils.translation import gettext as _

from mutualaid.figures.selectors import public_figures, public_quarters

from ..auth import ANY
from ..http import answer, error
from ..spec import SCHEMAS, operation

QUARTER = {
    "type": "string",
    "pattern": r"^\d{4}-q[1-4]$",
    "description": "A whole calendar quarter, as 2025-q1; the last one ended if not given.",
}
SHOWN = {
    "oneOf": [
        {
            "type": "object",
            "properties": {"count": {"type": "integer", "minimum": 5}},
            "required": ["count"],
            "additionalProperties": False,
        },
        {
            "type": "object",
            "properties": {"fewer_than": {"type": "integer"}},
            "required": ["fewer_than"],
            "additionalProperties": False,
        },
    ],
    "description": "A count, or, under five, only that it is fewer.",
}
BREAKDOWN = {
    "type": "object",
    "properties": {
        "measures": {"type": "array", "items": {"type": "string"}},
        "groups": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": ["string", "null"], "description": "null: the others."},
                    "other": {"type": "boolean"},
                    "counts": {
                        "type": "object",
                        "additionalProperties": {"type": "integer", "minimum": 5},
                    },
                },
                "required": ["name", "other", "counts"],
            },
        },
    },
    "required": ["measures", "groups"],
}
SCHEMAS["Figures"] = {
    "type": "object",
    "properties": {
        "quarters": {
            "type": "array",
            "items": {"type": "string", "pattern": r"^\d{4}-q[1-4]$"},
            "description": "The quarters there are figures for, newest first.",
        },
        "figures": {
            "oneOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "properties": {
                        "period": {
                            "type": "object",
                            "properties": {
                                "year": {"type": "integer"},
                                "quarter": {"type": "integer", "minimum": 1, "maximum": 4},
                                "first": {"type": "string", "format": "date"},
                                "last": {"type": "string", "format": "date"},
                            },
                            "required": ["year", "quarter", "first", "last"],
                        },
                        "received": SHOWN,
                        "fulfilled": SHOWN,
                        "volunteers": SHOWN,
                        "first_claim_median": {
                            "oneOf": [
                                {"type": "null"},
                                {
                                    "type": "object",
                                    "properties": {
                                        "value": {"type": "integer"},
                                        "unit": {"enum": ["minute", "hour", "day"]},
                                    },
                                    "required": ["value", "unit"],
                                },
                            ]
                        },
                        "by_area": BREAKDOWN,
                        "by_category": BREAKDOWN,
                    },
                    "required": [
                        "period",
                        "received",
                        "fulfilled",
                        "volunteers",
                        "first_claim_median",
                        "by_area",
                        "by_category",
                    ],
                },
            ]
        },
    },
    "required": ["quarters", "figures"],
    "additionalProperties": False,
    "description": "The anonymous figures of one quarter (null: none yet).",
}


def _label(year, quarter) -> str:
    return f"{year}-q{quarter}"


@operation(
    "GET",
    "/figures",
    name="figures",
    summary="The network's anonymous figures, for a whole quarter",
    answers=(200, "Figures"),
    tag="Figures",
    takes=ANY,
    query={"quarter": QUARTER},
    errors=(404,),
)
def figures(request, *, query, body):
    """Needs received and fulfilled, volunteers, the median wait for a first offer of help, by
    area and by kind of help: the public page's figures, as plain data."""
    quarters = public_quarters()
    asked = query.get("quarter")
    quarter = tuple(int(part) for part in asked.split("-q")) if asked else None
    if quarter is not None and quarter not in quarters:
        return error("not_found", _("There are no figures for that quarter."), status=404)
    return answer(
        {
            "quarters": [_label(*each) for each in quarters],
            "figures": public_figures(quarter=quarter) if quarters else None,
        }
    )
