from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from mutualaid.network.models import NetworkSettings


@require_GET
def home(request):
    """The public front door: what this network is and how to join. Members go to the board."""
    if request.user.is_authenticated:
        return redirect("aid:board")
    return render(request, "home.html", {"network": NetworkSettings.load()})
