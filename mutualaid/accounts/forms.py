import re

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mutualaid.areas.forms import AreaChoiceField
from mutualaid.lib.dates import Weekday
from mutualaid.lib.doxxing import find_personal_details

from .models import Member, handle_validator

# One answer for every handle that cannot be had, taken or not, so that sign-up does not tell
# whether a handle is somebody's.
HANDLE_REFUSED = _("That handle can't be used. Choose another.")

# Handles that would pass for the network itself, its organizers, or nobody in particular.
RESERVED_HANDLES = frozenset(
    {
        "abuse",
        "admin",
        "administrator",
        "anon",
        "anonymous",
        "dispatch",
        "dispatcher",
        "help",
        "helpdesk",
        "info",
        "me",
        "moderator",
        "mutualaid",
        "noreply",
        "nobody",
        "none",
        "null",
        "official",
        "organiser",
        "organisers",
        "organizer",
        "organizers",
        "postmaster",
        "root",
        "safety",
        "security",
        "staff",
        "support",
        "system",
        "triage",
        "webmaster",
    }
)


def handle_is_usable(handle: str) -> bool:
    """Its shape, the reserved names and the doxxing guard; not whether someone has it."""
    try:
        handle_validator(handle)
    except ValidationError:
        return False
    if re.sub(r"[._-]", "", handle.lower()) in RESERVED_HANDLES:
        return False
    # "rosa5551234567", "vic-555-1234", "rosa_at_gmail.com", "12_oak_st": the guard reads
    # words, so give it the handle as words too (digits apart from letters, _ and - as spaces).
    words = re.sub(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])", " ", handle)
    words = re.sub(r"[_-]+", " ", words)
    return not any(find_personal_details(text) for text in (handle, words, words.title()))


class SignUpForm(forms.Form):
    handle = forms.CharField(
        label=_("Handle"),
        help_text=_(
            "The name others see: 3 to 30 letters, digits, dots, dashes or underscores. "
            "It need not be your real name, and must not be a phone number or an email."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "maxlength": 30}
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters."),
    )
    home_area = AreaChoiceField(
        label=_("Your area (optional)"), required=False, empty_label=_("Choose later")
    )
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        help_text=_("Only for notices and password resets. Never shown to anyone."),
    )

    def clean_handle(self):
        handle = self.cleaned_data["handle"]
        if not handle_is_usable(handle) or Member.objects.filter(handle__iexact=handle).exists():
            raise forms.ValidationError(HANDLE_REFUSED, code="unusable")
        return handle

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            candidate = Member(handle=cleaned.get("handle", ""), email=cleaned.get("email", ""))
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class LoginForm(AuthenticationForm):
    """Django's log-in form, with the handle's length checked before any query.

    Django sets the field's ``max_length`` after the field is built, so nothing checks it; a
    100 kB handle would reach the database (SQLite: "LIKE or GLOB pattern too complex" from the
    case-insensitive lookup). A handle longer than any handle can be is refused here with the
    answer of any failed log-in, and counts as one.
    """

    def clean(self):
        handle = self.cleaned_data.get("username")
        if handle is not None and len(handle) > self.username_field.max_length:
            raise self.get_invalid_login_error()
        return super().clean()


class AccountForm(forms.Form):
    """The member's optional details. A new email needs the password: resets go to it."""

    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        help_text=_("Only for notices and password resets. Never shown to anyone."),
    )
    home_area = AreaChoiceField(
        label=_("Your area (optional)"), required=False, empty_label=_("No area")
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak (optional)"),
        choices=settings.SPOKEN_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Organizers match you with neighbors who speak one of them."),
    )
    language = forms.ChoiceField(
        label=_("Language of the site and your messages"),
        choices=[("", _("The network's language")), *settings.LANGUAGES],
        required=False,
        help_text=_("Pages, emails and chat messages reach you in it."),
    )
    current_password = forms.CharField(
        label=_("Current password"),
        required=False,
        strip=False,
        help_text=_("Needed only to change your email."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, member, *args, **kwargs):
        self.member = member
        kwargs.setdefault(
            "initial",
            {
                "email": member.email,
                "home_area": member.home_area,
                "languages": member.languages,
                "language": member.language,
            },
        )
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        changed = email is not None and email != self.member.email
        if changed and not self.member.check_password(cleaned.get("current_password") or ""):
            self.add_error(
                "current_password", _("Enter your current password to change your email.")
            )
        return cleaned


class VolunteerLimitsForm(forms.Form):
    """A volunteer's limits against burnout: needs held at once, and the days they take needs."""

    max_active_claims = forms.IntegerField(
        label=_("Most needs you hold at once"),
        min_value=1,
        max_value=50,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    available_days = forms.TypedMultipleChoiceField(
        label=_("Days you take on needs (leave all unticked for any day)"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, member, network_cap, *args, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "max_active_claims": member.max_active_claims,
                "available_days": member.available_days,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["max_active_claims"].help_text = _(
            "Leave empty for the network's limit. The network allows at most %(cap)d at once."
        ) % {"cap": network_cap}


class DeleteAccountForm(forms.Form):
    handle = forms.CharField(
        label=_("Type your handle"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, member, *args, **kwargs):
        self.member = member
        super().__init__(*args, **kwargs)

    def clean_handle(self):
        handle = self.cleaned_data["handle"]
        if handle.lower() != self.member.handle.lower():
            raise forms.ValidationError(
                _("Type your handle, %(handle)s, to confirm.") % {"handle": self.member.handle}
            )
        return handle

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.member.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password


class PasswordResetForm(forms.Form):
    handle = forms.CharField(
        label=_("Your handle"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )


REFERENCE_MAX = 20


class TakeOverForm(forms.Form):
    """A neighbor an organizer recorded needs for takes their account over: the reference code
    read to them on the phone, a password, and a new handle or an email if they want."""

    reference = forms.CharField(
        label=_("Your reference code"),
        max_length=REFERENCE_MAX,
        help_text=_("The 8 letters and digits the organizer read to you, e.g. ABCD-2345."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    handle = forms.CharField(
        label=_("A new handle (optional)"),
        required=False,
        max_length=30,
        help_text=_("Leave empty to keep the one the organizer chose for you."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters."),
    )
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        help_text=_("Only for notices and password resets. Never shown to anyone."),
    )

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            candidate = Member(handle=cleaned.get("handle", ""), email=cleaned.get("email", ""))
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned
