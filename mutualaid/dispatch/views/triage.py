"""The triage queue: new needs waiting for a triager, oldest (and most pressing) first, each with
its likely duplicates and the triager's actions (aid's triage views, which come back here)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from mutualaid.accounts.policy import Capability
from mutualaid.aid import selectors
from mutualaid.aid.models import Priority
from mutualaid.aid.views.triage import triage_forms
from mutualaid.lib.access import capability_required

PAGE_SIZE = 50


@require_GET
@capability_required(Capability.TRIAGE)
def triage_queue(request):
    """A fixed number of queries whatever the number of rows: the page of needs (with category,
    area and requester), their likely duplicates in one query, the kinds of help and areas."""
    page = Paginator(selectors.triage_queue(), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    hints = selectors.likely_duplicates_for(rows)
    triage_forms(request, rows, next=request.get_full_path())
    for need in rows:
        need.hints = hints.get(need.pk, [])
    context = {
        "page": page,
        "rows": rows,
        "now": timezone.now(),
        "here": request.get_full_path(),
        "priorities": Priority.choices,
    }
    return render(request, "dispatch/triage.html", context)
