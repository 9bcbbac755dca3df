from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from mutualaid.aid.forms import AreaChoiceField

from .models import Member, handle_validator


class SignUpForm(forms.Form):
    handle = forms.CharField(
        label=_("Handle"),
        max_length=30,
        validators=[handle_validator],
        help_text=_("The name others see. It need not be your real name."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
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
        if Member.objects.filter(handle__iexact=handle).exists():
            raise forms.ValidationError(_("That handle is taken. Try another."))
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
