"""The API's operations, each declared beside its view, and the OpenAPI document made of them.

``@operation(...)`` registers a view with what it takes (its token, whether it acts, its query,
header and body parameters, as JSON Schema) and what it answers (a schema of ``SCHEMAS``). The
same declarations check every request (jsonschema.py) and write the document served at
``/api/v1/openapi.json``: the document cannot say one thing while the views do another, and the
property-based test of the API (tests/test_openapi_fuzz.py) holds every answer to it.
"""

import re
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from django.urls import path as url_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from mutualaid.lib.refusal import Refusal

from . import auth
from .http import error, not_found, parse_json, refused
from .jsonschema import ValidationError, validate

VERSION = "v1"
BASE = f"/api/{VERSION}"

# The schemas answers are made of, by name (present.py adds them): the document's components.
SCHEMAS: dict[str, dict] = {
    "Error": {
        "type": "object",
        "description": "A refusal or an error: a stable code for machines, words for people.",
        "properties": {
            "code": {"type": "string"},
            "message": {"type": "string"},
            "field": {"type": "string", "description": "The field it is about, if one."},
            "fields": {
                "type": "object",
                "description": "Each field's problems, when a form of fields said no.",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
            "retry_after": {"type": "integer", "description": "Seconds until a retry may work."},
            "reason": {"type": "string"},
        },
        "required": ["code", "message"],
    },
}

ERRORS = {
    400: "The request is malformed: not JSON, a value of the wrong type, an unknown field.",
    401: "No token, or a token that is not known or was revoked.",
    403: "The token may not do this: its kind, its scope, a suspended member, or a rule.",
    404: "Not found, or not for this token's member to see.",
    409: "The record moved on (taken, ended, changed), or the member's limits say no.",
    410: "The member had a part in it, and it is no longer theirs: ``reason`` says why.",
    422: "The values sent are refused: a field's problem, or a rule about the words.",
    429: "Too many requests: wait the seconds that Retry-After says.",
}


@dataclass
class Operation:
    method: str
    path: str  # as the document writes it: "/needs/{code}"
    name: str  # the URL's name (api:<name>)
    view: object
    summary: str
    description: str
    tag: str
    takes: str  # auth.MEMBER, INTEGRATION, ANY or NONE
    write: bool
    query: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)
    body: dict | None = None
    answers: tuple[int, str] = (200, "")
    errors: tuple[int, ...] = ()

    @property
    def path_params(self) -> list[str]:
        return re.findall(r"{(\w+)}", self.path)

    def error_statuses(self) -> list[int]:
        statuses = set(self.errors)
        if self.takes != auth.NONE:
            statuses |= {401, 403, 429}
        if self.query or self.headers or self.body is not None:
            statuses.add(400)
        if self.path_params:
            statuses.add(404)
        if self.write:
            statuses |= {409, 422}
        return sorted(statuses)


OPERATIONS: list[Operation] = []

# The document's sections, in the order it lists them.
TAGS = ["Needs", "Offers", "Me", "Directory", "Figures", "About"]


def operation(
    method: str,
    path: str,
    *,
    name: str,
    summary: str,
    answers: tuple[int, str],
    tag: str,
    takes: str = auth.MEMBER,
    write: bool = False,
    query=None,
    headers=None,
    body=None,
    errors=(),
    description: str = "",
):
    """Register the view as the API's ``method path``: see the module's docstring."""

    def register(view):
        op = Operation(
            method=method,
            path=path,
            name=name,
            view=view,
            summary=summary,
            description=description or (view.__doc__ or "").strip(),
            tag=tag,
            takes=takes,
            write=write,
            query=query or {},
            headers=headers or {},
            body=body,
            answers=answers,
            errors=tuple(errors),
        )
        OPERATIONS.append(op)
        return view

    return register


def _query_value(raw: str, schema: dict):
    """A query parameter read by its schema's type (the query string holds text only)."""
    kind = schema.get("type")
    if kind == "integer":
        if not re.fullmatch(r"-?\d{1,12}", raw):
            raise ValueError
        return int(raw)
    if kind == "boolean":
        if raw not in ("true", "false"):
            raise ValueError
        return raw == "true"
    return raw


def _bad(message, field_name: str = ""):
    extra = {"field": field_name} if field_name else {}
    return error("bad_request", message, status=400, **extra)


def run(op: Operation, request, kwargs: dict):
    """One request to ``op``: its token, its parameters, then its view; every error as JSON."""
    if op.takes != auth.NONE:
        refusal = auth.authenticate(request, takes=op.takes, write=op.write)
        if refusal is not None:
            return refusal
    query = {}
    for name, schema in op.query.items():
        if name not in request.GET:
            continue
        raw = request.GET[name]
        try:
            query[name] = _query_value(raw, schema)
            validate(query[name], schema, name)
        except ValueError:
            return _bad(
                _("%(name)s is not a %(type)s.") % {"name": name, "type": schema["type"]}, name
            )
        except ValidationError as problem:
            return _bad(problem.message, problem.field)
    for name, schema in op.headers.items():
        raw = request.headers.get(name)
        if raw is None:
            continue
        try:
            validate(raw, schema, name)
        except ValidationError as problem:
            return _bad(problem.message, problem.field)
        query[name] = raw
    body = None
    if op.body is not None:
        try:
            body = parse_json(request.body) if request.body else {}
        except RequestDataTooBig:
            return error("too_large", _("The body is too large."), status=400)
        except (ValueError, UnicodeDecodeError, RecursionError):
            return error("bad_json", _("The body is not JSON."), status=400)
        try:
            validate(body, op.body)
        except ValidationError as problem:
            return _bad(problem.message, problem.field)
    try:
        return op.view(request, query=query, body=body, **kwargs)
    except Refusal as refusal:
        return refused(refusal)
    except Http404:
        return not_found()
    except PermissionDenied:
        return error("forbidden", _("This is not yours to do."), status=403)


def _route(operations: list[Operation]):
    by_method = {op.method: op for op in operations}
    allowed = ", ".join(sorted(by_method))

    @csrf_exempt
    def route(request, **kwargs):
        op = by_method.get(request.method)
        if op is None:
            return error(
                "method_not_allowed",
                _("This address takes %(methods)s.") % {"methods": allowed},
                status=405,
                headers={"Allow": allowed},
            )
        return run(op, request, kwargs)

    return route


def urlpatterns() -> list:
    """One URL per path of OPERATIONS (its methods dispatched by route), named as declared."""
    paths: dict[str, list[Operation]] = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, []).append(op)
    patterns = []
    for path, operations in paths.items():
        route = re.sub(r"{(\w+)}", r"<uuid:\1>", path.lstrip("/"))
        patterns.append(
            url_path(f"api/{VERSION}/{route}", _route(operations), name=operations[0].name)
        )
    return patterns


def _parameters(op: Operation) -> list[dict]:
    params = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "string", "format": "uuid"},
        }
        for name in op.path_params
    ]
    params += [
        {"name": name, "in": "query", "required": False, "schema": schema}
        for name, schema in op.query.items()
    ]
    params += [
        {"name": name, "in": "header", "required": False, "schema": schema}
        for name, schema in op.headers.items()
    ]
    return params


def _json(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


def document() -> dict:
    """The OpenAPI 3.1 document of every operation."""
    paths: dict[str, dict] = {}
    for op in sorted(OPERATIONS, key=lambda op: TAGS.index(op.tag)):
        status, schema_name = op.answers
        responses = {
            str(status): {
                "description": "Done." if op.write else "What the token's member may see.",
                "content": _json({"$ref": f"#/components/schemas/{schema_name}"}),
            }
        }
        for code in op.error_statuses():
            responses[str(code)] = {
                "description": ERRORS[code],
                "content": _json({"$ref": "#/components/schemas/Error"}),
            }
            if code == 429:
                responses[str(code)]["headers"] = {
                    "Retry-After": {"required": True, "schema": {"type": "string"}}
                }
        entry = {
            "operationId": op.name.replace("-", "_")
            + ("" if op.method == "GET" else f"_{op.method.lower()}"),
            "summary": op.summary,
            "description": op.description,
            "tags": [op.tag],
            "parameters": _parameters(op),
            "responses": responses,
            "security": [] if op.takes == auth.NONE else [{"token": []}],
        }
        if op.body is not None:
            entry["requestBody"] = {"required": True, "content": _json(op.body)}
        paths.setdefault(op.path, {})[op.method.lower()] = entry
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Mutual aid network API",
            "version": VERSION,
            "description": (
                "The network's needs, offers and messages for integrations, as the token's member "
                "sees them on the pages, through the same rules; the resource directory; the "
                "anonymous figures for the network's integration tokens."
            ),
        },
        "servers": [{"url": BASE}],
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "token": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A member's token (their account page) or an integration "
                    "token (the organizers' Integrations page).",
                }
            },
        },
    }


def is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
