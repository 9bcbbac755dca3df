"""Plain forms for the admins' pages: views copy the fields they mean to set."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mutualaid.aid.models import Category
from mutualaid.areas.forms import AreaChoiceField
from mutualaid.areas.models import Area
from mutualaid.lib.doxxing import refuse_personal_details
from mutualaid.lib.forms import CodeMultipleChoiceField, MemberHandleField
from mutualaid.trust.models import Role

from .models import NetworkSettings

PUBLIC_NAME_ADVICE = _("Names are public: leave out anything that identifies or locates someone.")


def _refuse_personal_details_in_a_name(text):
    refuse_personal_details(text, advice=PUBLIC_NAME_ADVICE)


class RoleGrantForm(forms.Form):
    handle = MemberHandleField(label=_("Member\'s handle"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


def _bounded(label, low, high, **kwargs):
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        help_text=_("From %(low)s to %(high)s.") % {"low": low, "high": high},
        **kwargs,
    )


def _label(field):
    return NetworkSettings._meta.get_field(field).verbose_name.capitalize()


class NetworkSettingsForm(forms.Form):
    name = forms.CharField(
        label=_("Network name"),
        max_length=80,
        validators=[_refuse_personal_details_in_a_name],
    )
    scope = forms.CharField(
        label=_("Scope"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The area served, the kinds of aid, the hours: shown on the public page."),
    )
    vouches_required = _bounded(_label("vouches_required"), 1, 10)
    vouch_wait_days = _bounded(_label("vouch_wait_days"), 0, 90)
    vouch_limit = _bounded(_label("vouch_limit"), 1, 50)
    retention_days = _bounded(_label("retention_days"), 1, 3650)
    max_active_claims = _bounded(_label("max_active_claims"), 1, 50)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the network a name."))
        return name

    @classmethod
    def initial_from(cls, current: NetworkSettings) -> dict:
        return {name: getattr(current, name) for name in cls.base_fields}


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


class CategoryForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=Category._meta.get_field("name").max_length,
        validators=[_refuse_personal_details_in_a_name],
    )

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Give the kind of help a name."))
        return name


class CategoryMoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])
