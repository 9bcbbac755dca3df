"""The resource directory: the public list of where to turn (food banks, shelters, hotlines,
clinics, official guidance), and the pages of the organizers who keep it."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mutualaid.accounts.policy import Capability
from mutualaid.lib.access import capability_required
from mutualaid.lib.fragments import form_state, fragment_key
from mutualaid.lib.refusal import Refusal

from .. import resources, selectors
from ..forms import ResourceFilterForm, ResourceForm
from ..models import Resource, ResourceChange

# What the directory shows: a write to any of them renders it again.
RESOURCE_TABLES = ("aid_resource", "aid_resource_areas", "aid_resource_categories")
DIRECTORY_TABLES = (*RESOURCE_TABLES, "aid_category", "areas_area")
# A resource's last changes shown on its page.
HISTORY_SHOWN = 10


@require_GET
def directory(request):
    """Where to turn, for everyone (visitors too): by area, kind of help and kind of resource."""
    form = ResourceFilterForm.for_request(request)
    filters = form.cleaned_data if form.is_valid() else {}
    area, category = filters.get("area"), filters.get("category")
    context = {
        "form": form,
        # Read only when the kept list is not served.
        "resources": SimpleLazyObject(
            lambda: list(
                selectors.resource_directory(
                    area_id=area.pk if area else None,
                    category_id=category.pk if category else None,
                    kind=filters.get("kind"),
                )
            )
        ),
        "fragment_key": fragment_key(*DIRECTORY_TABLES, vary=[form_state(form)]),
    }
    return render(request, "aid/resources.html", context, status=200 if form.is_valid() else 400)


@require_GET
@capability_required(Capability.EDIT_RESOURCES)
def resources_kept(request):
    """Every resource, archived ones too, for the organizers who keep the directory."""
    return render(request, "aid/resources_kept.html", {"resources": selectors.resources_kept()})


def _fields(form) -> dict:
    return {field: form.cleaned_data[field] for field in resources.FIELDS}


def _refused(form, refusal: Refusal) -> None:
    """The service's refusal on the field it names (or above the form)."""
    field = refusal.extra.get("field")
    form.add_error(field if field in form.fields else None, refusal.message)


@require_http_methods(["GET", "POST"])
@capability_required(Capability.EDIT_RESOURCES)
def resource_new(request):
    form = ResourceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            resource = resources.resource_create(by=request.user, **_fields(form))
        except Refusal as refusal:
            _refused(form, refusal)
        else:
            messages.success(request, _("Added “%(name)s” to the directory.") % {"name": resource})
            return redirect("aid:resources_kept")
    status = 422 if request.method == "POST" else 200
    return render(
        request, "aid/resource_edit.html", {"form": form, "resource": None}, status=status
    )


@require_http_methods(["GET", "POST"])
@capability_required(Capability.EDIT_RESOURCES)
def resource_edit(request, code):
    resource = get_object_or_404(Resource, code=code)
    if request.method == "GET":
        form = ResourceForm(initial=ResourceForm.initial_from(resource))
        return _render_edit(request, resource, form)
    form = ResourceForm(request.POST)
    if form.is_valid():
        try:
            changed = resources.resource_update(resource=resource, by=request.user, **_fields(form))
        except Refusal as refusal:
            _refused(form, refusal)
        else:
            if changed:
                messages.success(request, _("Saved “%(name)s”.") % {"name": resource})
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("aid:resources_kept")
    return _render_edit(request, resource, form, status=422)


def _render_edit(request, resource, form, *, status=200):
    history = ResourceChange.objects.filter(resource=resource).select_related("actor")
    context = {"resource": resource, "form": form, "history": history[:HISTORY_SHOWN]}
    return render(request, "aid/resource_edit.html", context, status=status)


@require_POST
@capability_required(Capability.EDIT_RESOURCES)
def resource_archive(request, code):
    resource = get_object_or_404(Resource, code=code)
    if resources.resource_archive(resource=resource, by=request.user):
        messages.success(
            request, _("Archived “%(name)s”: it is off the directory.") % {"name": resource}
        )
    else:
        messages.info(request, _("“%(name)s” was archived already.") % {"name": resource})
    return redirect("aid:resources_kept")


@require_POST
@capability_required(Capability.EDIT_RESOURCES)
def resource_restore(request, code):
    resource = get_object_or_404(Resource, code=code)
    if resources.resource_restore(resource=resource, by=request.user):
        messages.success(
            request, _("Restored “%(name)s”: it is on the directory again.") % {"name": resource}
        )
    else:
        messages.info(request, _("“%(name)s” is on the directory already.") % {"name": resource})
    return redirect("aid:resources_kept")
