from django import forms
from django.utils.translation import gettext_lazy as _

from mutualaid.accounts.models import Role
from mutualaid.lib.forms import MemberHandleField

from .services import NOTE_MAX

NOTE_HELP = _("A few words other organizers will read, e.g. “my neighbor for ten years”.")


class VouchForm(forms.Form):
    handle = MemberHandleField(label=_("Their handle"))
    note = forms.CharField(label=_("How you know them"), max_length=NOTE_MAX, help_text=NOTE_HELP)


class RevokeForm(forms.Form):
    vouch = forms.UUIDField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Why (optional)"), max_length=200, required=False)


class InviteForm(forms.Form):
    note = forms.CharField(label=_("How you know them"), max_length=NOTE_MAX, help_text=NOTE_HELP)


class SuspendForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("The member is shown this reason."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    flag_branch = forms.BooleanField(
        label=_(
            "Flag their branch for review: each member they vouch for becomes a newcomer "
            "until vouched or approved again"
        ),
        required=False,
    )


class RoleGrantForm(forms.Form):
    handle = MemberHandleField(label=_("Member\'s handle"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
