"""The network's public page, and the admins' page of its settings."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mutualaid.accounts.models import Role
from mutualaid.accounts.policy import Capability, roles_with
from mutualaid.areas.selectors import area_names
from mutualaid.lib.access import capability_required

from . import services
from .forms import NetworkSettingsForm
from .models import NetworkSettings
from .selectors import kinds_of_help, settings_changes_recent


@require_GET
def about(request):
    """What this network is, for anyone: its scope, areas and kinds of help, how joining and
    vouching work (with its own numbers), how to reach the organizers, and the privacy promise."""
    context = {
        "network": NetworkSettings.load(),
        "areas": area_names(),
        "kinds_of_help": kinds_of_help(),
        "approvers": get_text_list(
            [Role(role).label.lower() for role in roles_with(Capability.APPROVE)], _("or")
        ),
        "contact_url": _contact_url(),
    }
    return render(request, "network/about.html", context)


def _contact_url() -> str | None:
    """The organizers' contact form (the dispatch app's), if this server has it."""
    try:
        return reverse("dispatch:contact")
    except NoReverseMatch:
        return None


@require_http_methods(["GET", "POST"])
@capability_required(Capability.CONFIGURE)
def network_settings(request):
    current = NetworkSettings.load()
    if request.method == "GET":
        form = NetworkSettingsForm(initial=NetworkSettingsForm.initial_from(current))
        return _render_settings(request, form, current)
    form = NetworkSettingsForm(request.POST)
    if form.is_valid():
        services.network_settings_update(by=request.user, **form.cleaned_data)
        messages.success(request, _("The network's settings are saved."))
        return redirect("network:settings")
    return _render_settings(request, form, current, status=422)


def _render_settings(request, form, current, *, status=200):
    context = {"form": form, "current": current, "changes": settings_changes_recent()}
    return render(request, "network/settings.html", context, status=status)
