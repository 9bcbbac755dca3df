"""Plain forms for reports, their handling, and blocks."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mutualaid.aid.forms import AssignForm

from .models import DETAILS_MAX, NOTE_MAX, Outcome, Reason, ReportAction, Side


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong?"), choices=Reason.choices, widget=forms.RadioSelect
    )
    details = forms.CharField(
        label=_("What happened (optional)"),
        max_length=DETAILS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only the network's safety officers read this."),
    )


class HandleForm(AssignForm):
    """A member named by their handle (any case, with or without @)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handle"].label = _("Their handle")


class MemberReportForm(HandleForm, ReportForm):
    field_order = ["handle", "reason", "details"]


class BlockForm(forms.Form):
    block = forms.UUIDField(widget=forms.HiddenInput)


class ReportHandleForm(forms.Form):
    action = forms.ChoiceField(
        label=_("What to do"), choices=ReportAction.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For a warning, the words the member reads; for a suspension, the reason they see. "
            "Otherwise, a note for the record."
        ),
    )
    flag_branch = forms.BooleanField(
        label=_("On suspension, also flag the members they vouched for, for review"),
        required=False,
    )

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [
            (value, label) for value, label in ReportAction.choices if value in actions
        ]

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("action") in (ReportAction.WARN, ReportAction.SUSPEND)
            and not (cleaned.get("note") or "").strip()
        ):
            self.add_error("note", _("Write what the member will read."))
        return cleaned


class FeedbackForm(forms.Form):
    """The follow-up after a need closed: two questions, and words if they want."""

    outcome = forms.ChoiceField(
        label=_("Did you get what you needed?"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    unsafe = forms.TypedChoiceField(
        label=_("Did anything feel unsafe?"),
        choices=[("no", _("No")), ("yes", _("Yes"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    words = forms.CharField(
        label=_("Anything the organizers should know (optional)"),
        max_length=DETAILS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Only the organizers read your answers; the other person never sees them. If "
            "something felt unsafe, the safety officers get these words with a report."
        ),
    )

    def __init__(self, *args, side=Side.REQUESTER, **kwargs):
        super().__init__(*args, **kwargs)
        if side == Side.VOLUNTEER:
            self.fields["outcome"].label = _("Did they get what they needed?")
