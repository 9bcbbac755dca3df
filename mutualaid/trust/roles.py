"""The admins' page of who holds which organizer role: grant one, remove one."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mutualaid.accounts.models import Role, RoleGrant
from mutualaid.accounts.policy import Capability
from mutualaid.lib.access import capability_required
from mutualaid.lib.refusal import Refusal

from . import services
from .forms import RoleGrantForm

HISTORY_SIZE = 50


def _render_organizers(request, form, *, status=200):
    grants = RoleGrant.objects.select_related("member", "granted_by", "removed_by")
    context = {
        "form": form,
        "live": list(grants.filter(removed_at__isnull=True).order_by("member__handle", "role")),
        "history": list(grants.order_by("-granted_at", "-pk")[:HISTORY_SIZE]),
    }
    return render(request, "trust/organizers.html", context, status=status)


@require_http_methods(["GET", "POST"])
@capability_required(Capability.GRANT_ROLES)
def organizers(request):
    """Who holds which role; an admin grants one here."""
    if request.method == "GET":
        return _render_organizers(request, RoleGrantForm())
    form = RoleGrantForm(request.POST)
    if form.is_valid():
        member, role = form.cleaned_data["handle"], form.cleaned_data["role"]
        try:
            services.role_grant(member=member, role=role, by=request.user)
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request,
                _("%(handle)s is now a %(role)s.") % {"handle": member, "role": Role(role).label},
            )
            return redirect("trust:organizers")
    return _render_organizers(request, form, status=422)


@require_POST
@capability_required(Capability.GRANT_ROLES)
def role_remove(request, code, role):
    """End one member's role. The grant stays on the record, with who removed it and when."""
    grant = (
        RoleGrant.objects.select_related("member")
        .filter(member__code=code, role=role, removed_at__isnull=True)
        .first()
    )
    try:
        if grant is None:
            raise Refusal(_("That role was already removed."))
        services.role_remove(grant=grant, by=request.user)
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return _render_organizers(request, RoleGrantForm(), status=409)
    messages.success(
        request,
        _("%(handle)s is no longer a %(role)s.")
        % {"handle": grant.member, "role": Role(role).label},
    )
    return redirect("trust:organizers")
