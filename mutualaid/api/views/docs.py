"""The API's own description: the OpenAPI document, and the same as a page people read. Both are
served by the app itself (no CDN, no script), and neither needs a token: they tell how to ask,
nothing about anybody."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.http import require_GET

from .. import spec
from ..auth import NONE
from ..http import answer, error, not_found
from ..spec import operation


@operation(
    "GET",
    "/openapi.json",
    name="openapi",
    summary="This document",
    answers=(200, "OpenAPI"),
    tag="About",
    takes=NONE,
)
def openapi(request, *, query, body):
    return answer(spec.document())


spec.SCHEMAS["OpenAPI"] = {"type": "object", "description": "An OpenAPI 3.1 document."}


@require_GET
def docs(request):
    """The operations, in words: what each takes and answers, and which token it needs."""
    document = spec.document()
    operations = [
        {
            "method": op.method,
            "path": spec.BASE + op.path,
            "summary": op.summary,
            "description": op.description,
            "tag": op.tag,
            "takes": op.takes,
            "write": op.write,
            "parameters": document["paths"][op.path][op.method.lower()]["parameters"],
            "body": op.body,
            "answers": op.answers,
            "errors": op.error_statuses(),
        }
        for op in spec.OPERATIONS
    ]
    return render(request, "api/docs.html", {"operations": operations, "errors": spec.ERRORS})


def unknown(request):
    """Any other address under /api/: JSON, never the HTML 404 page."""
    return not_found()


def server_error(request):
    """The site's 500 (urls.handler500): the API's JSON error under /api/, the page elsewhere."""
    if request.path.startswith("/api/"):
        return error("server_error", _("Something went wrong on our side."), status=500)
    return defaults.server_error(request)
