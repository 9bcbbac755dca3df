"""The Organize home: what waits for each organizer role, as counts linking to each queue, and
every organizer page their roles open."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import queues


@require_GET
@login_required
def organize(request):
    if not request.user.is_organizer:
        raise PermissionDenied
    return render(
        request, "dispatch/organize.html", {"counts": queues.organize_counts(request.user)}
    )
