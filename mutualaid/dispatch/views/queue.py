"""The dispatch queue: every need waiting, in the order to take them on, with what stands out
(stale needs, expiring proposals) counted at the top; and the claims that went silent."""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from mutualaid.accounts.policy import Capability
from mutualaid.aid.forms import CategoryChoiceField
from mutualaid.aid.models import Priority, Urgency, Visibility
from mutualaid.areas.forms import AreaChoiceField
from mutualaid.lib.access import capability_required
from mutualaid.lib.forms import PlainSelect
from mutualaid.lib.fragments import fragment_key
from mutualaid.network.models import NetworkSettings

from .. import queues


class QueueFilterForm(forms.Form):
    area = AreaChoiceField(
        label=_("Area"), required=False, empty_label=_("All areas"), widget=PlainSelect
    )
    category = CategoryChoiceField(
        label=_("Kind of help"), required=False, empty_label=_("All kinds"), widget=PlainSelect
    )
    urgency = forms.ChoiceField(
        label=_("How soon"),
        required=False,
        choices=[("", _("Any"))] + Urgency.choices,
        widget=PlainSelect,
    )
    priority = forms.ChoiceField(
        label=_("Priority"),
        required=False,
        choices=[("", _("Any"))] + Priority.choices,
        widget=PlainSelect,
    )
    visibility = forms.ChoiceField(
        label=_("Who sees it"),
        required=False,
        choices=[("", _("Anyone"))] + Visibility.choices,
        widget=PlainSelect,
    )
    stale = forms.BooleanField(label=_("Stale only"), required=False)
    expiring = forms.BooleanField(label=_("Proposals expiring soon only"), required=False)

    def filters(self) -> queues.QueueFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return queues.QueueFilters(
            area=data.get("area"),
            category=data.get("category"),
            urgency=data.get("urgency", ""),
            priority=data.get("priority", ""),
            visibility=data.get("visibility", ""),
            stale=data.get("stale", False),
            expiring=data.get("expiring", False),
        )

    def describe(self) -> str:
        if not self.is_valid():
            return str(_("every waiting need"))
        data = self.cleaned_data
        parts = [data["area"].name if data.get("area") else _("all areas")]
        parts += [data["category"].name] if data.get("category") else []
        for field in ("urgency", "priority", "visibility"):
            if data.get(field):
                parts.append(dict(self.fields[field].choices)[data[field]])
        parts += [_("stale only")] if data.get("stale") else []
        parts += [_("proposals expiring soon")] if data.get("expiring") else []
        return " · ".join(str(part) for part in parts)


# The tables the queue's fragment shows: a write to any of them renders it again.
QUEUE_TABLES = (
    "aid_need",
    "aid_proposal",
    "aid_claim",
    "accounts_member",
    "areas_area",
    "aid_category",
    "network_networksettings",
)


class Queue:
    """The queue's head and page, read only when the template renders them (not at all when its
    fragment comes from the cache)."""

    def __init__(self, form: QueueFilterForm, number, *, now, settings: NetworkSettings):
        self.filters = form.filters()
        self.number = number
        self.now = now
        self.settings = settings

    @cached_property
    def counts(self) -> dict[str, int]:
        return queues.queue_counts(filters=self.filters, now=self.now, settings=self.settings)

    @cached_property
    def page(self):
        needs = queues.dispatch_queue(filters=self.filters, now=self.now, settings=self.settings)
        page = queues.queue_page(needs, self.number, count=self.counts["shown"])
        for need in page.object_list:
            need.url = reverse("aid:need", args=[need.code])
            need.suggestions_url = reverse("dispatch:suggestions", args=[need.code])
        return page


@require_GET
@capability_required(Capability.MATCH)
def dispatch_queue(request):
    form = QueueFilterForm(request.GET)
    now = timezone.now()
    settings = NetworkSettings.load()
    context = {
        "form": form,
        "queue": Queue(form, request.GET.get("page"), now=now, settings=settings),
        "now": now,
        "stale_hours": settings,
        "fragment_key": fragment_key(*QUEUE_TABLES, vary=[request.get_full_path()]),
    }
    return render(request, "dispatch/queue.html", context, status=200 if form.is_valid() else 400)


@require_GET
@capability_required(Capability.MATCH)
def stalled_claims(request):
    """Claims whose volunteer has said nothing past the first check-in time."""
    page = SimpleLazyObject(
        lambda: Paginator(queues.stalled_claims(), queues.PAGE_SIZE).get_page(
            request.GET.get("page")
        )
    )
    context = {
        "page": page,
        "fragment_key": fragment_key(*QUEUE_TABLES, vary=[request.get_full_path()]),
    }
    return render(request, "dispatch/stalled.html", context)
