from django.db import DatabaseError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from mutualaid.accounts.models import Role
from mutualaid.accounts.policy import Capability, roles_with
from mutualaid.aid.selectors import category_names
from mutualaid.areas.selectors import area_names
from mutualaid.dispatch.matching import needs_fitting
from mutualaid.network.models import NetworkSettings
from mutualaid.notifications import workers

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


@require_GET
def about(request):
    """What this network is, for anyone: its scope, areas and kinds of help, how joining and
    vouching work (with its own numbers), how to reach the organizers, and the privacy promise."""
    context = {
        "network": NetworkSettings.load(),
        "areas": area_names(),
        "kinds_of_help": category_names(),
        "approvers": get_text_list(
            [Role(role).label.lower() for role in roles_with(Capability.APPROVE)], _("or")
        ),
    }
    return render(request, "about.html", context)


@require_GET
@never_cache
def healthz(request):
    """For the load balancer and the monitor: 200 when the database answers a real query (the
    task workers' heartbeats) and a worker beat recently; 503 naming what failed otherwise. No
    login, no rate limit, nothing about anyone: only "ok" or what is wrong."""
    try:
        last = workers.last_beat()
    except DatabaseError:
        checks = {"database": "unavailable", "worker": "unknown"}
    else:
        checks = {"database": "ok", "worker": _worker_state(last)}
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)


def _worker_state(last) -> str:
    if last is None:
        return "no heartbeat yet"
    silent = timezone.now() - last
    if silent > workers.lost_after():
        return f"no heartbeat for {int(silent.total_seconds())} s"
    return "ok"
