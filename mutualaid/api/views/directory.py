"""The resource directory through the API: public, as its page is, for any token."""

from mutualaid.aid import selectors
from mutualaid.aid.forms import ResourceFilterForm
from mutualaid.aid.models import ResourceKind

from .. import present
from ..auth import ANY
from ..http import answer
from ..spec import operation
from .common import FILTERS, form_data, page_of, refuse_form


@operation(
    "GET",
    "/resources",
    name="resources",
    summary="The directory: food banks, shelters, hotlines, clinics, official guidance",
    answers=(200, "ResourcePage"),
    tag="Directory",
    takes=ANY,
    query={
        "area": FILTERS["area"],
        "category": FILTERS["category"],
        "kind": {"enum": ResourceKind.values},
        "page": FILTERS["page"],
    },
)
def resources(request, *, query, body):
    """The directory's active resources for an area and a kind of help (a resource for no area
    serves the whole network), by kind, then by name: what its public page lists. A member's
    token or the network's integration token."""
    form = ResourceFilterForm(form_data({k: v for k, v in query.items() if k != "page"}))
    if not form.is_valid():
        refuse_form(form, code="bad_request")
    area, category = form.cleaned_data.get("area"), form.cleaned_data.get("category")
    rows = selectors.resource_directory(
        area_id=area.pk if area else None,
        category_id=category.pk if category else None,
        kind=form.cleaned_data.get("kind"),
    )
    return answer(page_of(rows, query.get("page"), present.resource))
