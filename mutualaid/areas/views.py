"""The admins' pages of the network's areas: which area is part of which, and which border which."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mutualaid.lib.access import capability_required
from mutualaid.lib.refusal import Refusal

from . import services
from .forms import AreaForm
from .models import Area

CONFIGURE = services.CONFIGURE


def _render_areas(request, form, *, status=200):
    areas = Area.objects.select_related("parent").prefetch_related(
        Prefetch("neighbors", queryset=Area.objects.order_by("name"))
    )
    context = {"form": form, "areas": list(areas.order_by("name"))}
    return render(request, "areas/areas.html", context, status=status)


@require_http_methods(["GET", "POST"])
@capability_required(CONFIGURE)
def areas(request):
    """The network's areas, with the one each is part of and its neighbors; an admin adds one."""
    if request.method == "GET":
        return _render_areas(request, AreaForm())
    form = AreaForm(request.POST)
    if form.is_valid():
        try:
            area = services.area_save(**form.cleaned_data, by=request.user)
        except Refusal as refusal:
            form.add_error("name", refusal.message)
        else:
            messages.success(request, _("Added the area “%(area)s”.") % {"area": area})
            return redirect("areas:areas")
    return _render_areas(request, form, status=422)


@require_http_methods(["GET", "POST"])
@capability_required(CONFIGURE)
def area(request, code):
    """Rename an area, set the area it is part of, tick its neighbors."""
    area = get_object_or_404(Area, code=code)
    if request.method == "GET":
        form = AreaForm(initial=AreaForm.initial_from(area), area=area)
        return render(request, "areas/area.html", {"area": area, "form": form})
    form = AreaForm(request.POST, area=area)
    if form.is_valid():
        try:
            services.area_save(area=area, **form.cleaned_data, by=request.user)
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Saved the area “%(area)s”.") % {"area": area})
            return redirect("areas:areas")
    area.refresh_from_db()
    return render(request, "areas/area.html", {"area": area, "form": form}, status=422)
