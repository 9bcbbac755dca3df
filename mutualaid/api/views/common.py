"""What several of the API's views share: pages of a list, and the filters' declarations."""

from django.core.paginator import EmptyPage, Paginator
from django.utils.translation import gettext as _

from mutualaid.aid.models import Urgency
from mutualaid.lib.refusal import Refusal

# Rows on a page of a list: as many as the pages show.
PAGE_SIZE = 50
PAGE = {"type": "integer", "minimum": 1, "maximum": 100000, "description": "From 1."}
IDEMPOTENCY = {
    "Idempotency-Key": {
        "type": "string",
        "format": "uuid",
        "description": "A key of the client's: the same request sent again with it makes "
        "nothing new, and answers with what the first one made.",
    }
}
FILTERS = {
    "area": {"type": "string", "format": "uuid", "description": "An area's code."},
    "near": {"type": "boolean", "description": "With the area's neighbors."},
    "category": {"type": "string", "maxLength": 40, "description": "A kind of help's slug."},
    "urgency": {"enum": Urgency.values},
    "page": PAGE,
}


def page_of(rows, number, present) -> dict:
    """Page ``number`` (from 1) of ``rows``, each shown by ``present``: two queries (the count,
    the page), whatever the number of rows. A page past the last is empty."""
    paginator = Paginator(rows, PAGE_SIZE)
    number = number or 1
    try:
        results = [present(row) for row in paginator.page(number).object_list]
    except EmptyPage:
        results = []
    return {
        "count": paginator.count,
        "page": number,
        "pages": paginator.num_pages,
        "results": results,
    }


def refuse_form(form, *, code: str = "invalid") -> None:
    """A form of fields that said no: a Refusal naming each field's problems (422; for a list's
    filters, ``code="bad_request"``: 400)."""
    fields = {name: [str(message) for message in errors] for name, errors in form.errors.items()}
    first = next(iter(fields.values()))[0] if fields else _("Check the values sent.")
    extra = {"fields": fields}
    field = next(iter(fields), "__all__")
    if field != "__all__":
        extra["field"] = field
    raise Refusal(first, code=code, **extra)


def form_data(body: dict, **extra) -> dict:
    """A JSON body as a form's data: booleans and lists as the widgets read them."""
    data = {name: value for name, value in body.items() if value is not None}
    data.update({name: value for name, value in extra.items() if value is not None})
    return data
