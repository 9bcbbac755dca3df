"""The token pages' forms: a name to tell a token by, and (a member's) what it may do."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NAME_MAX, Scope


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX,
        help_text=_("What uses it, so that you can tell your tokens apart: “my calendar”."),
    )
    scope = forms.ChoiceField(
        label=_("What may it do?"),
        choices=Scope.choices,
        initial=Scope.READ,
        widget=forms.RadioSelect,
    )


class IntegrationTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX,
        help_text=_("What uses it: “the funders' dashboard”."),
    )
