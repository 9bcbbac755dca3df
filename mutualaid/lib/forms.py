"""Form fields shared by every app's forms: records chosen by code, members named by handle."""

import uuid

from django import forms
from django.contrib.auth import get_user_model
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _


def _refuse_non_uuids(values, message):
    for value in values:
        try:
            uuid.UUID(str(value))
        except ValueError:
            raise forms.ValidationError(message, code="invalid_choice") from None


class CodeChoiceField(forms.ModelChoiceField):
    """Chooses a record by its UUID code; anything that is not one is simply not a choice."""

    def to_python(self, value):
        if value not in self.empty_values:
            _refuse_non_uuids([value], self.error_messages["invalid_choice"])
        return super().to_python(value)


class CodeMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        _refuse_non_uuids(value, self.error_messages["invalid_choice"])
        return super()._check_values(value)


class MemberHandleField(forms.CharField):
    """A member named by their handle, in any case, with or without a leading "@".

    Cleans to the active member with that handle, or refuses with one clear message. The one field
    every page that names a member by handle uses (roles, matching, vouching, blocking).
    """

    default_error_messages = {
        "unknown": _("No active member has that handle. Check its spelling."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 31)
        super().__init__(**kwargs)

    def clean(self, value):
        handle = super().clean(value)
        if handle in self.empty_values:
            return None
        handle = handle.strip().removeprefix("@")
        member = get_user_model().objects.filter(handle__iexact=handle, is_active=True).first()
        if member is None:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown")
        return member


class PlainSelect(forms.Select):
    """A select written in code rather than one template per option: the organizers' filters
    list every area of the network on every request."""

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)["widget"]
        options = [option for _group, group, _i in context["optgroups"] for option in group]
        return format_html(
            '<select name="{}" id="{}">{}</select>',
            name,
            context["attrs"].get("id", ""),
            format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (option["value"], " selected" if option["selected"] else "", option["label"])
                    for option in options
                ),
            ),
        )
