"""The admins' page of the kinds of help: add, rename, reorder."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mutualaid.accounts.policy import Capability
from mutualaid.lib.access import capability_required
from mutualaid.lib.refusal import Refusal

from .. import services
from ..forms import CategoryForm, CategoryMoveForm
from ..models import Category


def _render_categories(request, *, form=None, failed=None, status=200):
    """The list, each with its rename form (``failed``'s bound, with its errors)."""
    rows = [
        (category, failed[1] if failed and failed[0].pk == category.pk else None)
        for category in Category.objects.order_by("position", "name")
    ]
    context = {"rows": rows, "form": form or CategoryForm()}
    return render(request, "aid/categories.html", context, status=status)


@require_http_methods(["GET", "POST"])
@capability_required(Capability.CONFIGURE)
def categories(request):
    """The kinds of help, in the order members see them; an admin adds one."""
    if request.method == "GET":
        return _render_categories(request)
    form = CategoryForm(request.POST)
    if form.is_valid():
        try:
            category = services.category_add(name=form.cleaned_data["name"], by=request.user)
        except Refusal as refusal:
            form.add_error("name", refusal.message)
        else:
            messages.success(request, _("Added “%(name)s”.") % {"name": category.name})
            return redirect("aid:categories")
    return _render_categories(request, form=form, status=422)


@require_POST
@capability_required(Capability.CONFIGURE)
def category_rename(request, slug):
    category = get_object_or_404(Category, slug=slug)
    form = CategoryForm(request.POST)
    if form.is_valid():
        try:
            services.category_rename(
                category=category, name=form.cleaned_data["name"], by=request.user
            )
        except Refusal as refusal:
            form.add_error("name", refusal.message)
        else:
            messages.success(request, _("Renamed it “%(name)s”.") % form.cleaned_data)
            return redirect("aid:categories")
    return _render_categories(request, failed=(category, form), status=422)


@require_POST
@capability_required(Capability.CONFIGURE)
def category_move(request, slug):
    category = get_object_or_404(Category, slug=slug)
    form = CategoryMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to move it up or down."))
        return _render_categories(request, status=422)
    up = form.cleaned_data["direction"] == "up"
    services.category_move(category=category, up=up, by=request.user)
    return redirect("aid:categories")
