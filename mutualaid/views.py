from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from mutualaid.dispatch.matching import needs_fitting
from mutualaid.network.models import NetworkSettings

FITTING_SHOWN = 5


@require_GET
def home(request):
    """The public front door: what this network is and how to join. A vouched member finds the
    open needs that fit them best (the match engine, run their way); other members go to the
    board."""
    if request.user.is_authenticated:
        if not request.user.is_vouched():
            return redirect("aid:board")
        fitting = needs_fitting(request.user, limit=FITTING_SHOWN)
        return render(request, "home.html", {"fitting": fitting, "member_home": True})
    return render(request, "home.html", {"network": NetworkSettings.load()})
