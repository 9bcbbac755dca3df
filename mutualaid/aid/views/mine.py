"""The member's own lists: their needs, claims and offers, newest first, a page at a time (a member
who has asked or helped for years, or a caller an organizer posts for, has hundreds)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import selectors

MINE_PAGE_SIZE = 50


def _page(request, rows):
    return Paginator(rows, MINE_PAGE_SIZE).get_page(request.GET.get("page"))


@require_GET
@login_required
def my_needs(request):
    page = _page(request, selectors.my_needs(request.user))
    return render(request, "aid/my_needs.html", {"needs": page, "page": page})


@require_GET
@login_required
def my_claims(request):
    page = _page(request, selectors.my_claims(request.user))
    context = {
        "claims": page,
        "page": page,
        "proposals": selectors.my_proposals(request.user),
    }
    return render(request, "aid/my_claims.html", context)


@require_GET
@login_required
def my_offers(request):
    page = _page(request, selectors.my_offers(request.user))
    return render(request, "aid/my_offers.html", {"offers": page, "page": page})
