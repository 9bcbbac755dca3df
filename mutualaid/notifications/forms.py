from django import forms
from django.utils.translation import gettext_lazy as _

from mutualaid.aid.models import Category

from . import channels, content, selectors
from .models import CHAT, EMAIL, Mode

CHAT_MODES = [(Mode.IMMEDIATELY, Mode.IMMEDIATELY.label), (Mode.NEVER, Mode.NEVER.label)]


class PreferencesForm(forms.Form):
    """The member's chat address and, per kind of notice, a choice for email and for chat."""

    chat_url = forms.CharField(
        label=_("Your chat address (apprise URL)"),
        required=False,
        max_length=2000,
        help_text=_(
            "One address for a chat tool, e.g. ntfy://…, a Slack, Discord, Matrix or Mattermost "
            "webhook, tgram://… for Telegram, or an SMS gateway. Leave it empty for none."
        ),
    )

    def __init__(self, modes: dict, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for kind in selectors.choosable_kinds():
            email = forms.ChoiceField(
                label=_("By email"), choices=Mode.choices, initial=modes[(kind, EMAIL)]
            )
            chat = forms.ChoiceField(
                label=_("By chat"),
                choices=CHAT_MODES,
                initial=modes[(kind, CHAT)] if modes[(kind, CHAT)] != Mode.DIGEST else Mode.NEVER,
            )
            self.fields[f"{kind}-{EMAIL}"] = email
            self.fields[f"{kind}-{CHAT}"] = chat
            self.rows.append((content.title(kind), kind))

    def clean_chat_url(self):
        url = self.cleaned_data["chat_url"].strip()
        if url and not channels.is_chat_url(url):
            raise forms.ValidationError(_("This is not an address we can send to."))
        return url

    def modes(self) -> dict[tuple[str, str], str]:
        return {
            (kind, channel): self.cleaned_data[f"{kind}-{channel}"]
            for kind in selectors.choosable_kinds()
            for channel in selectors.CHANNELS
        }

    def grouped(self):
        """(title, email field, chat field) per kind, for the template."""
        return [
            (title, self[f"{kind}-{EMAIL}"], self[f"{kind}-{CHAT}"]) for title, kind in self.rows
        ]


HOURS = [("", _("No quiet hours"))] + [(str(hour), f"{hour:02d}:00") for hour in range(24)]


class NeedAlertsForm(forms.Form):
    """A volunteer's opt-in to hear of needs near them (their area and the areas beside it)."""

    enabled = forms.BooleanField(
        label=_("Tell me when a need opens near me that I could help with"), required=False
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("The kinds of help I offer"),
        queryset=Category.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    per_day = forms.IntegerField(
        label=_("At most this many a day"), min_value=1, max_value=50, required=False
    )
    quiet_from = forms.TypedChoiceField(
        label=_("Quiet from"), choices=HOURS, coerce=int, empty_value=None, required=False
    )
    quiet_until = forms.TypedChoiceField(
        label=_("Quiet until"),
        choices=HOURS,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_(
            "In the network's time. A need that opens in your quiet hours is not sent to you at "
            "all (it stays on the board)."
        ),
    )

    def clean_per_day(self):
        return self.cleaned_data["per_day"] or 3

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("enabled") and not cleaned.get("categories"):
            self.add_error("categories", _("Tick at least one kind of help."))
        return cleaned


class OrganizerHookForm(forms.Form):
    """The admins' chat address for the organizers' daily summary."""

    url = forms.CharField(
        label=_("Chat address for the daily summary (apprise URL)"),
        required=False,
        max_length=2000,
        help_text=_(
            "Once a day it gets counts and links: needs open, urgent needs nobody has taken on, "
            "new safety reports, newcomers waiting. Never a summary, a handle or a detail. "
            "Leave it empty for none."
        ),
    )

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        if url and not channels.is_chat_url(url):
            raise forms.ValidationError(_("This is not an address we can send to."))
        return url
