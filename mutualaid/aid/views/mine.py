from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import selectors


@require_GET
@login_required
def my_needs(request):
    return render(request, "aid/my_needs.html", {"needs": selectors.my_needs(request.user)})


@require_GET
@login_required
def my_claims(request):
    context = {
        "claims": selectors.my_claims(request.user),
        "proposals": selectors.my_proposals(request.user),
    }
    return render(request, "aid/my_claims.html", context)


@require_GET
@login_required
def my_offers(request):
    return render(request, "aid/my_offers.html", {"offers": selectors.my_offers(request.user)})
