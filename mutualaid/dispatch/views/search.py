"""Search for organizers who see every need: needs, offers and members by words in summaries and
handles, and by filters. Private text is never searched (see ..search)."""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from mutualaid.accounts.models import Level
from mutualaid.accounts.policy import Capability
from mutualaid.aid.forms import CategoryChoiceField
from mutualaid.aid.models import NeedStatus, OfferStatus, Priority, Urgency
from mutualaid.areas.forms import AreaChoiceField
from mutualaid.lib.access import capability_required
from mutualaid.lib.forms import MemberHandleField

from .. import search

PAGE_SIZE = 50
KINDS = [("needs", _("Needs")), ("offers", _("Offers")), ("members", _("Members"))]
STATUSES = {
    "needs": NeedStatus.choices,
    "offers": OfferStatus.choices,
    "members": Level.choices,
}
SEARCHES = {
    "needs": search.search_needs,
    "offers": search.search_offers,
    "members": search.search_members,
}


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Search in"), choices=KINDS, required=False)
    category = CategoryChoiceField(
        label=_("Kind of help"), required=False, empty_label=_("All kinds")
    )
    area = AreaChoiceField(label=_("Area"), required=False, empty_label=_("All areas"))
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any"))]
        + [(_("Needs"), NeedStatus.choices), (_("Offers"), OfferStatus.choices)]
        + [(_("Members"), Level.choices)],
    )
    urgency = forms.ChoiceField(
        label=_("How soon"), required=False, choices=[("", _("Any"))] + Urgency.choices
    )
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=[("", _("Any"))] + Priority.choices
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    volunteer = MemberHandleField(
        label=_("Volunteer's handle"),
        required=False,
        help_text=_("Needs they held or were asked to take on; offers they made."),
    )

    def clean(self):
        data = super().clean()
        kind = data.get("kind") or "needs"
        data["kind"] = kind
        status = data.get("status")
        if status and status not in dict(STATUSES[kind]):
            self.add_error("status", _("Choose a status of the kind you search in."))
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date comes before the start date."))
        return data

    def criteria(self) -> search.Criteria:
        data = self.cleaned_data
        return search.Criteria(
            **{field: data.get(field) for field in ("category", "area", "since", "until")},
            words=data.get("q") or "",
            status=data.get("status") or "",
            urgency=data.get("urgency") or "",
            priority=data.get("priority") or "",
            volunteer=data.get("volunteer"),
        )


@require_GET
@capability_required(Capability.SEE_ALL_NEEDS)
def search_page(request):
    form = SearchForm(request.GET or None)
    context = {"form": form, "page": None, "kind": "needs"}
    if form.is_bound and form.is_valid():
        kind = form.cleaned_data["kind"]
        results = SEARCHES[kind](form.criteria())
        context.update(
            kind=kind, page=Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
        )
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "dispatch/search.html", context, status=status)
