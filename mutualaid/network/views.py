"""The admins' page of the network's own settings."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mutualaid.accounts.policy import Capability
from mutualaid.lib.access import capability_required

from . import services
from .forms import NetworkSettingsForm
from .models import NetworkSettings
from .selectors import settings_changes_recent


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
