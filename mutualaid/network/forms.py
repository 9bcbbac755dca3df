"""Plain forms for the admins' pages: views copy the fields they mean to set."""

import phonenumbers
from django import forms
from django.utils.translation import gettext_lazy as _

from mutualaid.lib.doxxing import (
    PUBLIC_NAME_ADVICE,  # noqa: E402
    refuse_personal_details,
)

from .models import NetworkSettings


def _refuse_personal_details_in_a_name(text):
    refuse_personal_details(text, advice=PUBLIC_NAME_ADVICE)


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
        help_text=_(
            "The area served, the kinds of aid, the hours: shown on the public page. "
            "Plain formatting: a blank line starts a paragraph; *emphasis*, **bold**, lists "
            "starting with - and links written [words](https://...). No HTML."
        ),
    )
    contact_hours = forms.CharField(
        label=_label("contact_hours"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Shown on the public page beside the contact form, e.g. “We answer every day from "
            "9am to 8pm. In an emergency, call 911.” The same plain formatting; no personal "
            "email or phone number: the form reaches you."
        ),
    )
    vouches_required = _bounded(_label("vouches_required"), 1, 10)
    vouch_wait_days = _bounded(_label("vouch_wait_days"), 0, 90)
    vouch_limit = _bounded(_label("vouch_limit"), 1, 50)
    retention_days = _bounded(_label("retention_days"), 1, 3650)
    max_active_claims = _bounded(_label("max_active_claims"), 1, 50)
    proposal_hours = _bounded(_label("proposal_hours"), 1, 168)
    triage_first = forms.BooleanField(
        label=_label("triage_first"),
        required=False,
        help_text=_(
            "A new need waits in the triagers' queue until one of them puts it on the board."
        ),
    )
    stale_hours_today = _bounded(_label("stale_hours_today"), 1, 720)
    stale_hours_soon = _bounded(_label("stale_hours_soon"), 1, 720)
    stale_hours_week = _bounded(_label("stale_hours_week"), 1, 720)
    stale_hours_anytime = _bounded(_label("stale_hours_anytime"), 1, 720)
    phone_region = forms.CharField(
        label=_("Country for phone numbers"),
        max_length=2,
        required=False,
        help_text=_(
            "Its two-letter code (US, ES, MX...): phone numbers written without a country code "
            "are read as this country's. Left empty, it stays as it is."
        ),
    )

    def clean_phone_region(self):
        code = self.cleaned_data["phone_region"].strip().upper()
        if code and code not in phonenumbers.SUPPORTED_REGIONS:
            raise forms.ValidationError(_("Give a country's two-letter code, such as US or ES."))
        return code

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("phone_region"):
            cleaned.pop("phone_region", None)  # left empty: the current one stays
        return cleaned

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the network a name."))
        return name

    @classmethod
    def initial_from(cls, current: NetworkSettings) -> dict:
        return {name: getattr(current, name) for name in cls.base_fields}
