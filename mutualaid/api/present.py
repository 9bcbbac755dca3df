"""What the API answers, record by record: each shape beside its schema (spec.SCHEMAS).

A member is shown exactly what the pages show them, read through the same selectors and model
methods: a need's private text through ``need_private_text`` (which records an organizer's
reading), its notes through ``need_notes``, names through ``shown_name``, what they may do through
``Need.actions_for``. Nothing here reads a record by itself.
"""

from mutualaid.accounts.policy import Capability
from mutualaid.aid import selectors as aid
from mutualaid.aid.models import (
    ContactKind,
    NeedStatus,
    OfferKind,
    OfferStatus,
    Recurrence,
    ResourceKind,
    Urgency,
    Visibility,
)

from .spec import SCHEMAS

DATE_TIME = {"type": "string", "format": "date-time"}
MAYBE_DATE_TIME = {"type": ["string", "null"], "format": "date-time"}
MAYBE_TEXT = {"type": ["string", "null"]}
TEXT = {"type": "string"}
UUID = {"type": "string", "format": "uuid"}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict, description: str = "") -> dict:
    schema = {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


def _page_of(name: str) -> dict:
    return _object(
        {
            "count": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1},
            "pages": {"type": "integer", "minimum": 1},
            "results": {"type": "array", "items": _ref(name)},
        },
        "One page of a list: ``count`` rows in all, on ``pages`` pages.",
    )


def _when(value):
    return value.isoformat() if value is not None else None


SCHEMAS["Category"] = _object({"slug": TEXT, "name": TEXT}, "A kind of help.")
SCHEMAS["Area"] = _object({"code": UUID, "name": TEXT}, "An area of the network.")


def category(record) -> dict:
    return {"slug": record.slug, "name": record.name}


def area(record) -> dict:
    return {"code": str(record.code), "name": record.name}


# Needs ---------------------------------------------------------------------------------------

SCHEMAS["NeedSummary"] = _object(
    {
        "code": UUID,
        "summary": TEXT,
        "category": _ref("Category"),
        "area": _ref("Area"),
        "urgency": {"enum": Urgency.values},
        "needed_by": {"type": ["string", "null"], "format": "date"},
        "status": {"enum": NeedStatus.values},
        "visibility": {"enum": Visibility.values},
        "created_at": DATE_TIME,
    },
    "A need as the board shows it: its public summary, never who asked.",
)
SCHEMAS["NeedPage"] = _page_of("NeedSummary")


def need_summary(need) -> dict:
    return {
        "code": str(need.code),
        "summary": need.summary,
        "category": category(need.category),
        "area": area(need.area),
        "urgency": need.urgency,
        "needed_by": need.needed_by.isoformat() if need.needed_by else None,
        "status": need.status,
        "visibility": need.visibility,
        "created_at": _when(need.created_at),
    }


ACTIONS = (
    "claim",
    "release",
    "fulfil",
    "confirm",
    "reopen",
    "cancel",
    "accept",
    "decline",
    "keep",
    "edit",
    "repost",
    "assign",
    "message",
    "share_contact",
)
SCHEMAS["NeedActions"] = _object(
    {action: {"type": "boolean"} for action in ACTIONS},
    "What the token's member may do to the need now: the buttons its page shows them.",
)
SCHEMAS["Message"] = _object(
    {
        "code": UUID,
        "sender": TEXT,
        "mine": {"type": "boolean"},
        "body": TEXT,
        "created_at": DATE_TIME,
    },
    "A brokered message: the sender as the page names them.",
)
SCHEMAS["Note"] = _object(
    {
        "kind": {"enum": ["internal", "question", "answer"]},
        "author": TEXT,
        "body": TEXT,
        "created_at": DATE_TIME,
    }
)
SCHEMAS["Event"] = _object(
    {
        "kind": TEXT,
        "text": TEXT,
        "actor": {
            **MAYBE_TEXT,
            "description": "Who did it, as the page names them; null: done automatically.",
        },
        "created_at": DATE_TIME,
    },
    "A line of a timeline.",
)
SCHEMAS["Need"] = _object(
    {
        **SCHEMAS["NeedSummary"]["properties"],
        "recurrence": {"enum": Recurrence.values},
        "anonymous": {"type": "boolean"},
        "priority": {**MAYBE_TEXT, "description": "For triagers and organizers who read notes."},
        "posted_by": {**MAYBE_TEXT, "description": "Who asked, when the member may know."},
        "volunteer": MAYBE_TEXT,
        "proposal": {
            "oneOf": [
                {"type": "null"},
                _object({"volunteer": MAYBE_TEXT, "deadline": DATE_TIME}),
            ]
        },
        "auto_confirm_at": MAYBE_DATE_TIME,
        "claim": {
            "type": ["string", "null"],
            "format": "uuid",
            "description": "The live claim whose conversation a message goes to.",
        },
        "details": {
            **MAYBE_TEXT,
            "description": "Private: the requester, its volunteer, and "
            "organizers who read private text (whose reading is recorded).",
        },
        "contact": {
            "oneOf": [
                {"type": "null"},
                _object({"kind": {"enum": ContactKind.values}, "value": TEXT}),
            ]
        },
        "messages": {"type": ["array", "null"], "items": _ref("Message")},
        "notes": {"type": "array", "items": _ref("Note")},
        "decline_reason": MAYBE_TEXT,
        "actions": _ref("NeedActions"),
        "timeline": {"type": "array", "items": _ref("Event")},
    },
    "A need as its page shows it to the token's member.",
)


def _posted_by(need, viewer, *, show_names: bool):
    """The need page's "posted by": the viewer themself, nobody (anonymous to them), or the
    requester's name when the page shows names."""
    if need.is_requester(viewer):
        return aid.shown_name(viewer, need=need, viewer=viewer)
    if need.hides_requester_from(viewer) or not (show_names and need.requester):
        return None
    return aid.shown_name(need.requester, need=need, viewer=viewer)


def need_detail(need, viewer) -> dict:
    private = need.can_see_private(viewer)
    text = aid.need_private_text(need, viewer)  # records an organizer's reading
    notes = aid.need_notes(need, viewer)  # the same
    can = need.actions_for(viewer)
    proposal = need.live_proposal()
    helper = aid.need_helper(need) if private else None
    sees_priority = viewer.can(Capability.TRIAGE) or aid.may_read_notes(viewer)
    live = aid.live_claim(need) if can["message"] else None
    return {
        **need_summary(need),
        "recurrence": need.recurrence,
        "anonymous": need.anonymous,
        "priority": need.priority if sees_priority else None,
        "posted_by": _posted_by(need, viewer, show_names=private),
        "volunteer": helper.handle if helper else None,
        "proposal": {
            "volunteer": proposal.volunteer.handle if private and proposal.volunteer else None,
            "deadline": _when(proposal.deadline),
        }
        if proposal and (private or can["accept"])
        else None,
        "auto_confirm_at": _when(need.auto_confirm_at()) if can["confirm"] else None,
        "claim": str(live.code) if live else None,
        "details": text.details if private else None,
        "contact": {"kind": text.contact.kind, "value": text.contact.value}
        if text.contact
        else None,
        "messages": [message(each, need, viewer) for each in text.conversation]
        if private
        else None,
        "notes": [
            {
                "kind": note.kind,
                "author": aid.shown_name(note.author, need=need, viewer=viewer),
                "body": note.body,
                "created_at": _when(note.created_at),
            }
            for note in [*notes.internal, *notes.exchange]
        ],
        "decline_reason": notes.decline_reason or None,
        "actions": {action: bool(can[action]) for action in ACTIONS},
        "timeline": [
            event(each, need=need, viewer=viewer, names=private)
            for each in aid.need_timeline(need, viewer)
        ],
    }


def message(record, need, viewer) -> dict:
    return {
        "code": str(record.code),
        "sender": aid.shown_name(record.sender, need=need, viewer=viewer),
        "mine": record.sender_id == viewer.pk,
        "body": record.body,
        "created_at": _when(record.created_at),
    }


def event(record, *, need, viewer, names: bool) -> dict:
    return {
        "kind": record.kind,
        "text": str(record.get_kind_display()),
        "actor": aid.shown_name(record.actor, need=need, viewer=viewer, names=names)
        if record.actor_id
        else None,
        "created_at": _when(record.created_at),
    }


SCHEMAS["Done"] = _object(
    {"need": UUID, "status": {"enum": NeedStatus.values}},
    "An action done: the need, and where it stands now.",
)
SCHEMAS["Posted"] = _object(
    {"need": _ref("NeedSummary"), "replayed": {"type": "boolean"}},
    "A need posted; ``replayed``: the same Idempotency-Key posted it before, nothing new.",
)
SCHEMAS["Sent"] = _object(
    {"message": _ref("Message"), "replayed": {"type": "boolean"}},
    "A message sent; ``replayed``: the same Idempotency-Key sent it before, nothing new.",
)


# Offers ----------------------------------------------------------------------------------------

SCHEMAS["OfferSummary"] = _object(
    {
        "code": UUID,
        "summary": TEXT,
        "kind": {"enum": OfferKind.values},
        "status": {"enum": OfferStatus.values},
        "categories": {"type": "array", "items": _ref("Category")},
        "areas": {"type": "array", "items": _ref("Area")},
        "available_days": {
            "type": "array",
            "items": {"type": "integer", "minimum": 0, "maximum": 6},
            "description": "Weekdays, 0 for Monday; none: any day.",
        },
        "created_at": DATE_TIME,
    },
    "An offer as the offers board shows it.",
)
SCHEMAS["OfferPage"] = _page_of("OfferSummary")
SCHEMAS["Offer"] = _object(
    {
        **SCHEMAS["OfferSummary"]["properties"],
        "offerer": MAYBE_TEXT,
        "mine": {"type": "boolean"},
        "matchable_needs": {
            "type": "array",
            "items": _object({"code": UUID, "summary": TEXT}),
            "description": "The member's own open needs this offer could meet.",
        },
        "timeline": {"type": "array", "items": _ref("Event")},
    },
    "An offer as its page shows it to the token's member.",
)
SCHEMAS["OfferPosted"] = _object(
    {"offer": _ref("OfferSummary"), "replayed": {"type": "boolean"}},
    "An offer posted; ``replayed``: the same Idempotency-Key posted it before, nothing new.",
)
SCHEMAS["OfferDone"] = _object({"offer": UUID, "status": {"enum": OfferStatus.values}})
SCHEMAS["Matched"] = _object(
    {"need": UUID, "status": {"enum": NeedStatus.values}, "asked": TEXT},
    "The offer taken up for a need: its offerer (``asked``) is asked to accept it.",
)


def offer_summary(offer) -> dict:
    return {
        "code": str(offer.code),
        "summary": offer.summary,
        "kind": offer.kind,
        "status": offer.status,
        "categories": [category(each) for each in offer.categories.all()],
        "areas": [area(each) for each in offer.areas.all()],
        "available_days": sorted(offer.available_days),
        "created_at": _when(offer.created_at),
    }


def offer_detail(offer, viewer) -> dict:
    mine = offer.is_offerer(viewer)
    matchable = aid.needs_matchable_to(offer, viewer) if offer.is_open() and not mine else []
    return {
        **offer_summary(offer),
        "offerer": offer.offerer.handle if offer.offerer else None,
        "mine": mine,
        "matchable_needs": [{"code": str(n.code), "summary": n.summary} for n in matchable],
        "timeline": [
            event(each, need=each.need, viewer=viewer, names=mine)
            for each in aid.offer_timeline(offer)
        ],
    }


# The member and their lists -----------------------------------------------------------------

SCHEMAS["Me"] = _object(
    {
        "code": UUID,
        "handle": TEXT,
        "level": TEXT,
        "home_area": {"oneOf": [{"type": "null"}, _ref("Area")]},
        "capabilities": {"type": "array", "items": TEXT},
        "token": _object({"name": TEXT, "scope": {"enum": ["read", "write"]}}),
    },
    "The token's member, and the token.",
)
SCHEMAS["Claim"] = _object(
    {
        "code": UUID,
        "need": _ref("NeedSummary"),
        "created_at": DATE_TIME,
        "ended_at": MAYBE_DATE_TIME,
        "end_reason": TEXT,
    },
    "A hold the member took on a need (live while ``ended_at`` is null).",
)
SCHEMAS["ClaimPage"] = _page_of("Claim")
SCHEMAS["Proposal"] = _object(
    {"need": _ref("NeedSummary"), "deadline": DATE_TIME},
    "A need put to the member, waiting for their answer (accept or decline).",
)
SCHEMAS["ProposalPage"] = _page_of("Proposal")


def claim(record) -> dict:
    return {
        "code": str(record.code),
        "need": need_summary(record.need),
        "created_at": _when(record.created_at),
        "ended_at": _when(record.ended_at),
        "end_reason": record.end_reason,
    }


def proposal(record) -> dict:
    return {"need": need_summary(record.need), "deadline": _when(record.deadline)}


# The directory -------------------------------------------------------------------------------

SCHEMAS["Resource"] = _object(
    {
        "code": UUID,
        "name": TEXT,
        "kind": {"enum": ResourceKind.values},
        "description": TEXT,
        "hours": TEXT,
        "link": TEXT,
        "phone": TEXT,
        "areas": {"type": "array", "items": _ref("Area"), "description": "None: everywhere."},
        "categories": {
            "type": "array",
            "items": _ref("Category"),
            "description": "None: any kind of help.",
        },
    },
    "A place or service outside the network (public: an organization's own details).",
)
SCHEMAS["ResourcePage"] = _page_of("Resource")


def resource(record) -> dict:
    return {
        "code": str(record.code),
        "name": record.name,
        "kind": record.kind,
        "description": record.description,
        "hours": record.hours,
        "link": record.link,
        "phone": record.phone,
        "areas": [area(each) for each in record.areas.all()],
        "categories": [category(each) for each in record.categories.all()],
    }
