"""The Organize home: what waits for each organizer role, as counts linking to each queue, and
every organizer page their roles open."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mutualaid.lib.fragments import cached

from .. import queues

# What the counts are read from: a write to any of them counts again.
COUNTED_TABLES = (
    "aid_need",
    "aid_proposal",
    "aid_claim",
    "aid_message",
    "accounts_member",
    "accounts_notice",
    "accounts_proxycontact",
    "safety_report",
    "network_networksettings",
    "dispatch_contactmessage",
)


@require_GET
@login_required
def organize(request):
    if not request.user.is_organizer:
        raise PermissionDenied
    capabilities = sorted(request.user.capabilities)
    counts = cached(
        "organize-counts",
        COUNTED_TABLES,
        lambda: queues.organize_counts(request.user),
        vary=capabilities,
    )
    return render(request, "dispatch/organize.html", {"counts": counts})
