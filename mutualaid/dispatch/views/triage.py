"""The triage queue: new needs waiting for a triager, oldest (and most pressing) first, each with
its likely duplicates and the triager's actions (aid's triage views, which come back here)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.http import require_GET

from mutualaid.accounts.policy import Capability
from mutualaid.aid import selectors
from mutualaid.aid.models import Priority
from mutualaid.aid.views.triage import triage_forms
from mutualaid.lib.access import capability_required
from mutualaid.lib.fragments import fragment_key

PAGE_SIZE = 50


# The tables the queue's fragment shows (its rows, their hints and the forms' choices).
TRIAGE_TABLES = (
    "aid_need",
    "aid_category",
    "areas_area",
    "accounts_member",
    "accounts_proxycontact",
)


class TriagePage:
    """The page of needs with their hints and forms, read only when the template renders them
    (not at all when its fragment comes from the cache)."""

    def __init__(self, request):
        self.request = request

    @cached_property
    def page(self):
        """The page of the queue's need ids: a deep page is counted off in the index alone, and
        only its own rows are then read with what they join (PostgreSQL joined every row it
        skipped: 23 ms for page 100 of 10,000)."""
        ids = selectors.triage_queue().values_list("pk", flat=True)
        return Paginator(ids, PAGE_SIZE).get_page(self.request.GET.get("page"))

    @cached_property
    def rows(self):
        ids = list(self.page.object_list)
        found = selectors.triage_queue().filter(pk__in=ids).in_bulk()
        rows = [found[pk] for pk in ids if pk in found]
        hints = selectors.likely_duplicates_for(rows)
        triage_forms(self.request, rows, next=self.request.get_full_path(), compact=True)
        for need in rows:
            need.hints = hints.get(need.pk, [])
        return rows


@require_GET
@capability_required(Capability.TRIAGE)
def triage_queue(request):
    """A fixed number of queries whatever the number of rows: the page of needs (with category,
    area and requester), their likely duplicates in one query, the kinds of help and areas; and
    none of these when nothing changed since the fragment was kept."""
    context = {
        "triage": TriagePage(request),
        "now": timezone.now(),
        "here": request.get_full_path(),
        "priorities": Priority.choices,
        "fragment_key": fragment_key(*TRIAGE_TABLES, vary=[request.get_full_path()]),
    }
    return render(request, "dispatch/triage.html", context)
