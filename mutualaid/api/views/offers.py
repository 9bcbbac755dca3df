"""Offers through the API: the offers board, an offer, posting one, withdrawing it, taking one up.

As on the offers' pages (aid.views.offers), through the same selectors, forms and services.
"""

from mutualaid.aid import selectors, services
from mutualaid.aid.forms import BoardFilterForm, MatchForm, OfferForm
from mutualaid.aid.models import SUMMARY_MAX, OfferKind

from .. import present
from ..http import answer
from ..spec import operation
from .common import FILTERS, IDEMPOTENCY, form_data, page_of, refuse_form

TAG = "Offers"
OFFER_FILTERS = {name: FILTERS[name] for name in ("area", "near", "category", "page")}
NEW_OFFER = {
    "type": "object",
    "properties": {
        "summary": {"type": "string", "minLength": 1, "maxLength": SUMMARY_MAX},
        "categories": {
            "type": "array",
            "items": {"type": "string", "maxLength": 40},
            "minItems": 1,
            "maxItems": 50,
            "uniqueItems": True,
            "description": "Kinds of help, by slug.",
        },
        "areas": {
            "type": "array",
            "items": {"type": "string", "format": "uuid"},
            "minItems": 1,
            "maxItems": 200,
            "uniqueItems": True,
            "description": "Areas, by code.",
        },
        "kind": {"enum": OfferKind.values},
        "available_days": {
            "type": "array",
            "items": {"type": "integer", "minimum": 0, "maximum": 6},
            "maxItems": 7,
            "uniqueItems": True,
            "description": "Weekdays, 0 for Monday; none: any day.",
        },
    },
    "required": ["summary", "categories", "areas", "kind"],
    "additionalProperties": False,
}
MATCH = {
    "type": "object",
    "properties": {
        "need": {"type": "string", "format": "uuid", "description": "One of your open needs."}
    },
    "required": ["need"],
    "additionalProperties": False,
}


@operation(
    "GET",
    "/offers",
    name="offers",
    summary="The offers board: open offers, newest first",
    answers=(200, "OfferPage"),
    tag=TAG,
    query=OFFER_FILTERS,
)
def offer_board(request, *, query, body):
    """The open offers the member's offers board shows (never one whose offerer blocked them)."""
    form = BoardFilterForm(form_data({k: v for k, v in query.items() if k != "page"}))
    if not form.is_valid():
        refuse_form(form, code="bad_request")
    offers = selectors.board_offers(
        viewer=request.user,
        area=form.cleaned_data.get("area"),
        include_neighbors=form.cleaned_data.get("near", False),
        category=form.cleaned_data.get("category"),
    )
    return answer(page_of(offers, query.get("page"), present.offer_summary))


@operation(
    "POST",
    "/offers",
    name="offers",
    summary="Post an offer",
    answers=(201, "OfferPosted"),
    tag=TAG,
    write=True,
    headers=IDEMPOTENCY,
    body=NEW_OFFER,
)
def offer_post(request, *, query, body):
    """As the page's form: the doxxing guard and the newcomers' limit apply."""
    form = OfferForm(form_data(body, idempotency_key=query.get("Idempotency-Key")))
    if not form.is_valid():
        refuse_form(form)
    data = form.cleaned_data
    offer = services.offer_post(
        offerer=request.user,
        categories=data["categories"],
        areas=data["areas"],
        summary=data["summary"],
        kind=data["kind"],
        available_days=data["available_days"],
        idempotency_key=data["idempotency_key"],
    )
    replayed = offer.replayed
    offer = selectors.offer_for_member(request.user, offer.code)  # with its kinds and areas
    return answer(
        {"offer": present.offer_summary(offer), "replayed": replayed},
        status=200 if replayed else 201,
    )


@operation(
    "GET",
    "/offers/{code}",
    name="offer",
    summary="An offer, as its page shows it to the member",
    answers=(200, "Offer"),
    tag=TAG,
)
def offer_detail(request, *, query, body, code):
    offer = selectors.offer_for_member(request.user, code)
    return answer(present.offer_detail(offer, request.user))


@operation(
    "POST",
    "/offers/{code}/withdraw",
    name="offer_withdraw",
    summary="Withdraw your offer",
    answers=(200, "OfferDone"),
    tag=TAG,
    write=True,
)
def offer_withdraw(request, *, query, body, code):
    offer = selectors.offer_for_member(request.user, code)
    services.offer_withdraw(offer=offer, member=request.user)
    return answer({"offer": str(offer.code), "status": offer.status})


@operation(
    "POST",
    "/offers/{code}/match",
    name="offer_match",
    summary="Take up an offer for one of your open needs",
    answers=(200, "Matched"),
    tag=TAG,
    write=True,
    body=MATCH,
)
def offer_match(request, *, query, body, code):
    """The offerer is asked, and holds the need once they accept. The need must be one of the
    member's open needs of a kind the offer covers (the page's list to choose from)."""
    offer = selectors.offer_for_member(request.user, code)
    form = MatchForm(form_data(body), needs=selectors.needs_matchable_to(offer, request.user))
    if not form.is_valid():
        refuse_form(form)
    need = form.cleaned_data["need"]
    services.need_match_offer(need=need, offer=offer, member=request.user)
    return answer({"need": str(need.code), "status": need.status, "asked": offer.offerer.handle})
