"""The API's answers: JSON always, errors as ``{"code": ..., "message": ...}``.

A refusal from a service (lib/refusal.py) keeps its code and message; its status says what kind of
no it is: 403 (not yours to do), 409 (the record moved on, or your limits say no), 422 (the words
or values sent), 429 (too often, with Retry-After).
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from mutualaid.lib.refusal import Refusal

# A refusal's status by its code; any other code is a conflict with the record's state (409).
REFUSAL_STATUS = {
    "bad_request": 400,
    "rate_limited": 429,
    "forbidden": 403,
    "suspended": 403,
    "own_need": 403,
    "own_offer": 403,
    "not_vouched": 403,
    "empty": 422,
    "too_long": 422,
    "personal_details": 422,
    "invalid": 422,
    "unknown_member": 422,
}


def answer(data, *, status: int = 200, headers=None) -> JsonResponse:
    """A JSON answer that no cache keeps: it may be about a member."""
    response = JsonResponse(
        data,
        status=status,
        safe=False,
        encoder=DjangoJSONEncoder,
        json_dumps_params={"ensure_ascii": False},
    )
    for name, value in (headers or {}).items():
        response[name] = value
    add_never_cache_headers(response)
    return response


def error(code: str, message, *, status: int, headers=None, **extra) -> JsonResponse:
    return answer({"code": code, "message": str(message), **extra}, status=status, headers=headers)


def refused(refusal: Refusal) -> JsonResponse:
    status = REFUSAL_STATUS.get(refusal.code, 409)
    headers = {}
    if refusal.code == "rate_limited":
        headers["Retry-After"] = str(max(int(refusal.retry_after or 1), 1))
    body = refusal.as_dict()
    body["message"] = str(body["message"])
    return answer(body, status=status, headers=headers)


def too_many(retry_after: int) -> JsonResponse:
    retry_after = max(int(retry_after), 1)
    return error(
        "rate_limited",
        _("You have done that too often. Please wait a while and try again."),
        status=429,
        headers={"Retry-After": str(retry_after)},
        retry_after=retry_after,
    )


def not_found() -> JsonResponse:
    return error("not_found", _("Not found."), status=404)


def parse_json(body: bytes):
    """The request's JSON (a whole number written 1.0 read as 1); ValueError if it is not JSON."""

    def number(text):
        value = float(text)
        return int(value) if value.is_integer() else value

    return json.loads(body.decode("utf-8"), parse_float=number)
