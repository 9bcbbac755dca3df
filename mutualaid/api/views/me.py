"""The token's member: who they are, and their own needs, claims, proposals and offers (the
"my ..." pages), through the selectors those pages use."""

from mutualaid.aid import selectors

from .. import present
from ..http import answer
from ..spec import operation
from .common import PAGE, page_of

TAG = "Me"


@operation(
    "GET",
    "/me",
    name="me",
    summary="The token's member, and the token",
    answers=(200, "Me"),
    tag=TAG,
)
def me(request, *, query, body):
    member, token = request.user, request.api_token
    return answer(
        {
            "code": str(member.code),
            "handle": member.handle,
            "level": member.level,
            "home_area": present.area(member.home_area) if member.home_area_id else None,
            "capabilities": sorted(member.capabilities),
            "token": {"name": token.name, "scope": token.scope},
        }
    )


@operation(
    "GET",
    "/me/needs",
    name="my_needs",
    summary="The needs you posted, newest first",
    answers=(200, "NeedPage"),
    tag=TAG,
    query={"page": PAGE},
)
def my_needs(request, *, query, body):
    return answer(
        page_of(selectors.my_needs(request.user), query.get("page"), present.need_summary)
    )


@operation(
    "GET",
    "/me/claims",
    name="my_claims",
    summary="The needs you took on: live ones first",
    answers=(200, "ClaimPage"),
    tag=TAG,
    query={"page": PAGE},
)
def my_claims(request, *, query, body):
    return answer(page_of(selectors.my_claims(request.user), query.get("page"), present.claim))


@operation(
    "GET",
    "/me/proposals",
    name="my_proposals",
    summary="The needs waiting for your answer",
    answers=(200, "ProposalPage"),
    tag=TAG,
    query={"page": PAGE},
)
def my_proposals(request, *, query, body):
    rows = selectors.my_proposals(request.user)
    return answer(page_of(rows, query.get("page"), present.proposal))


@operation(
    "GET",
    "/me/offers",
    name="my_offers",
    summary="The offers you posted, newest first",
    answers=(200, "OfferPage"),
    tag=TAG,
    query={"page": PAGE},
)
def my_offers(request, *, query, body):
    return answer(
        page_of(selectors.my_offers(request.user), query.get("page"), present.offer_summary)
    )
