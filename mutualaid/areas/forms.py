"""The area field every form that asks "where?" uses."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mutualaid.lib.doxxing import PUBLIC_NAME_ADVICE, refuse_personal_details
from mutualaid.lib.forms import CodeChoiceField, CodeMultipleChoiceField

from .models import Area


class AreaChoiceField(CodeChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Area.objects.order_by("name"))
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault(
            "error_messages", {"invalid_choice": _("Choose one of the areas listed.")}
        )
        super().__init__(**kwargs)


def _refuse_personal_details_in_a_name(text):
    refuse_personal_details(text, advice=PUBLIC_NAME_ADVICE)


class AreaForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("A neighborhood or district, never a street address."),
        validators=[_refuse_personal_details_in_a_name],
    )
    parent = AreaChoiceField(
        label=_("Part of (optional)"), required=False, empty_label=_("No larger area")
    )
    neighbors = CodeMultipleChoiceField(
        label=_("Neighboring areas"),
        queryset=Area.objects.order_by("name"),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose among the areas listed.")},
    )

    def __init__(self, *args, area: Area | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if area is not None:  # an area is neither its own part nor its own neighbor
            others = Area.objects.exclude(pk=area.pk).order_by("name")
            self.fields["parent"].queryset = others
            self.fields["neighbors"].queryset = others

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Give the area a name."))
        return name

    @staticmethod
    def initial_from(area: Area) -> dict:
        return {
            "name": area.name,
            "parent": area.parent.code if area.parent else None,
            "neighbors": [neighbor.code for neighbor in area.neighbors.all()],
        }
