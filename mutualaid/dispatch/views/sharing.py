"""The open needs as plain text to copy into a group chat or a flyer, or to download: for organizers
who match needs with volunteers (see ..sharing)."""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from mutualaid.accounts.policy import Capability
from mutualaid.aid.forms import BoardFilterForm
from mutualaid.lib.access import capability_required
from mutualaid.lib.links import absolute

from .. import sharing


def _filters(form: BoardFilterForm) -> dict:
    data = form.cleaned_data if form.is_valid() else {}
    return {
        "area": data.get("area"),
        "include_neighbors": data.get("near", False),
        "category": data.get("category"),
        "urgency": data.get("urgency"),
    }


def _board_path(form: BoardFilterForm) -> str:
    """The board with the same filters (an area named, even none: a member's board would
    otherwise open on their own area)."""
    query = {"area": ""}
    if form.is_valid():
        query.update({name: form.data[name] for name in form.fields if form.data.get(name)})
    return f"{reverse('aid:board')}?{urlencode(query)}"


@require_GET
@capability_required(Capability.MATCH)
def needs_text(request):
    form = BoardFilterForm(request.GET)
    status = 200 if form.is_valid() else 400
    shared = sharing.open_needs_text(
        filters=_filters(form),
        heading=_("Open needs: %(filters)s") % {"filters": form.describe()},
        link=lambda path: absolute(path, request),
        board_path=_board_path(form),
    )
    if request.GET.get("format") == "txt":
        response = HttpResponse(
            shared.text, content_type="text/plain; charset=utf-8", status=status
        )
        response["Content-Disposition"] = 'attachment; filename="open-needs.txt"'
        return response
    download = request.GET.copy()
    download["format"] = "txt"
    context = {"form": form, "shared": shared, "download_query": download.urlencode()}
    return render(request, "dispatch/needs_text.html", context, status=status)
