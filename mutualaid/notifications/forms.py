from django import forms
from django.utils.translation import gettext_lazy as _

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
