from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from mutualaid.aid.forms import CategoryChoiceField
from mutualaid.areas.forms import AreaChoiceField
from mutualaid.lib.forms import PlainSelect

from .selectors import DEFAULT_WEEKS, PERIOD_WEEKS

PERIOD_NAMES = {
    13: _("Last 13 weeks (a quarter)"),
    52: _("Last 52 weeks (a year)"),
    104: _("Last 104 weeks (two years)"),
}


def _period_choices():
    return [
        (
            n,
            PERIOD_NAMES.get(n)
            or ngettext_lazy("Last %(n)d week", "Last %(n)d weeks", n) % {"n": n},
        )
        for n in PERIOD_WEEKS
    ]


class FiguresFilterForm(forms.Form):
    """Which figures: an area (with the areas inside it), a kind of help, a period."""

    area = AreaChoiceField(
        label=_("Area"), required=False, empty_label=_("All areas"), widget=PlainSelect
    )
    category = CategoryChoiceField(
        label=_("Kind of help"), required=False, empty_label=_("All kinds"), widget=PlainSelect
    )
    weeks = forms.TypedChoiceField(
        label=_("Period"),
        choices=_period_choices,
        coerce=int,
        required=False,
        empty_value=DEFAULT_WEEKS,
        widget=PlainSelect,
        error_messages={"invalid_choice": _("Choose one of the periods listed.")},
    )

    def scope(self) -> dict:
        """The filters understood (all areas, all kinds, DEFAULT_WEEKS for anything else)."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "area": data.get("area"),
            "category": data.get("category"),
            "weeks": data.get("weeks") or DEFAULT_WEEKS,
        }


class EquityFilterForm(FiguresFilterForm):
    """The areas side by side: a kind of help and a period (every area is shown)."""

    area = None
