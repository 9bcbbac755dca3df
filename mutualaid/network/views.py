"""The admins' pages: who holds which role, the network's settings, its areas and categories."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mutualaid.aid.models import Category
from mutualaid.areas.models import Area
from mutualaid.lib.refusal import Refusal
from mutualaid.trust.access import role_required
from mutualaid.trust.models import Role, RoleGrant

from . import services
from .forms import AreaForm, CategoryForm, CategoryMoveForm, NetworkSettingsForm, RoleGrantForm
from .models import NetworkSettings

HISTORY_SIZE = 50


def _render_organizers(request, form, *, status=200):
    grants = RoleGrant.objects.select_related("member", "granted_by", "removed_by")
    context = {
        "form": form,
        "live": list(grants.filter(removed_at__isnull=True).order_by("member__handle", "role")),
        "history": list(grants.order_by("-granted_at", "-pk")[:HISTORY_SIZE]),
    }
    return render(request, "network/organizers.html", context, status=status)


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
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
            return redirect("network:organizers")
    return _render_organizers(request, form, status=422)


@require_POST
@role_required(Role.ADMIN)
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
    return redirect("network:organizers")


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def network_settings(request):
    current = NetworkSettings.load()
    if request.method == "GET":
        form = NetworkSettingsForm(initial=NetworkSettingsForm.initial_from(current))
        return render(request, "network/settings.html", {"form": form, "current": current})
    form = NetworkSettingsForm(request.POST)
    if form.is_valid():
        services.network_settings_update(by=request.user, **form.cleaned_data)
        messages.success(request, _("The network's settings are saved."))
        return redirect("network:settings")
    context = {"form": form, "current": current}
    return render(request, "network/settings.html", context, status=422)


def _render_areas(request, form, *, status=200):
    areas = Area.objects.select_related("parent").prefetch_related(
        Prefetch("neighbors", queryset=Area.objects.order_by("name"))
    )
    context = {"form": form, "areas": list(areas.order_by("name"))}
    return render(request, "network/areas.html", context, status=status)


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def areas(request):
    """The network's areas, with the one each is part of and its neighbors; an admin adds one."""
    if request.method == "GET":
        return _render_areas(request, AreaForm())
    form = AreaForm(request.POST)
    if form.is_valid():
        try:
            area = services.area_save(**form.cleaned_data)
        except Refusal as refusal:
            form.add_error("name", refusal.message)
        else:
            messages.success(request, _("Added the area “%(area)s”.") % {"area": area})
            return redirect("network:areas")
    return _render_areas(request, form, status=422)


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def area(request, code):
    """Rename an area, set the area it is part of, tick its neighbors."""
    area = get_object_or_404(Area, code=code)
    if request.method == "GET":
        form = AreaForm(initial=AreaForm.initial_from(area), area=area)
        return render(request, "network/area.html", {"area": area, "form": form})
    form = AreaForm(request.POST, area=area)
    if form.is_valid():
        try:
            services.area_save(area=area, **form.cleaned_data)
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Saved the area “%(area)s”.") % {"area": area})
            return redirect("network:areas")
    area.refresh_from_db()
    return render(request, "network/area.html", {"area": area, "form": form}, status=422)


def _render_categories(request, *, form=None, failed=None, status=200):
    """The list, each with its rename form (``failed``'s bound, with its errors)."""
    rows = [
        (category, failed[1] if failed and failed[0].pk == category.pk else None)
        for category in Category.objects.order_by("position", "name")
    ]
    context = {"rows": rows, "form": form or CategoryForm()}
    return render(request, "network/categories.html", context, status=status)


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def categories(request):
    """The kinds of help, in the order members see them; an admin adds one."""
    if request.method == "GET":
        return _render_categories(request)
    form = CategoryForm(request.POST)
    if form.is_valid():
        try:
            category = services.category_add(name=form.cleaned_data["name"])
        except Refusal as refusal:
            form.add_error("name", refusal.message)
        else:
            messages.success(request, _("Added “%(name)s”.") % {"name": category.name})
            return redirect("network:categories")
    return _render_categories(request, form=form, status=422)


@require_POST
@role_required(Role.ADMIN)
def category_rename(request, slug):
    category = get_object_or_404(Category, slug=slug)
    form = CategoryForm(request.POST)
    if form.is_valid():
        try:
            services.category_rename(category=category, name=form.cleaned_data["name"])
        except Refusal as refusal:
            form.add_error("name", refusal.message)
        else:
            messages.success(request, _("Renamed it “%(name)s”.") % form.cleaned_data)
            return redirect("network:categories")
    return _render_categories(request, failed=(category, form), status=422)


@require_POST
@role_required(Role.ADMIN)
def category_move(request, slug):
    category = get_object_or_404(Category, slug=slug)
    form = CategoryMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to move it up or down."))
        return _render_categories(request, status=422)
    services.category_move(category=category, up=form.cleaned_data["direction"] == "up")
    return redirect("network:categories")
