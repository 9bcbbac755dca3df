"""Plain forms: views copy the fields they mean to set (no ModelForm binds a model whole)."""

import re
import uuid

from django import forms
from django.core.validators import EmailValidator
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from mutualaid.areas.forms import AreaChoiceField
from mutualaid.areas.models import Area
from mutualaid.lib.dates import Weekday
from mutualaid.lib.doxxing import OFFER_ADVICE, PUBLIC_NAME_ADVICE, refuse_personal_details
from mutualaid.lib.forms import CodeChoiceField, CodeMultipleChoiceField, MemberHandleField
from mutualaid.lib.idempotency import SubmitOnceForm
from mutualaid.lib.refusal import Refusal
from mutualaid.network.models import NetworkSettings

from . import resources
from .models import (
    CONTACT_MAX,
    DETAILS_MAX,
    MESSAGE_MAX,
    RESOURCE_DESCRIPTION_MAX,
    RESOURCE_HOURS_MAX,
    RESOURCE_LINK_MAX,
    RESOURCE_NAME_MAX,
    SUMMARY_MAX,
    Category,
    ContactKind,
    OfferKind,
    Priority,
    Recurrence,
    ResourceKind,
    Urgency,
    Visibility,
)


class CategoryChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Category.objects.all())
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault(
            "error_messages", {"invalid_choice": _("Choose one of the kinds of help listed.")}
        )
        super().__init__(**kwargs)


class NeedForm(SubmitOnceForm):
    # The order the page asks in (need_new.html and need_edit.html show the fields in this order).
    field_order = [
        "category",
        "summary",
        "area",
        "urgency",
        "needed_by",
        "recurrence",
        "details",
        "visibility",
        "anonymous",
    ]

    category = CategoryChoiceField(
        label=_("What kind of help?"), empty_label=None, widget=forms.RadioSelect
    )
    summary = forms.CharField(
        label=_("Public summary"),
        max_length=SUMMARY_MAX,
        help_text=_("Shown on the board. No names, phone numbers or addresses, please."),
        validators=[refuse_personal_details],
    )
    details = forms.CharField(
        label=_("Private details (optional)"),
        max_length=DETAILS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only the volunteer who takes this on and the organizers can read this."),
    )
    area = AreaChoiceField(label=_("Area"), empty_label=_("Choose your area"))
    urgency = forms.ChoiceField(
        label=_("How soon?"),
        choices=Urgency.choices,
        initial=Urgency.WEEK,
        widget=forms.RadioSelect,
    )
    needed_by = forms.DateField(
        label=_("Needed by (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see this need?"),
        choices=[
            (Visibility.MEMBERS, _("Members who can help")),
            (
                Visibility.ORGANIZERS,
                _("Organizers only (for sensitive needs; organizers match them privately)"),
            ),
        ],
        initial=Visibility.MEMBERS,
        required=False,  # left out: the default, as on the form
        widget=forms.RadioSelect,
    )
    anonymous = forms.BooleanField(
        label=_("Hide my handle: only organizers will know it was me"),
        required=False,
    )
    recurrence = forms.ChoiceField(
        label=_("Does it repeat?"),
        choices=Recurrence.choices,
        initial=Recurrence.NONE,
        required=False,  # left out: just this once
        widget=forms.RadioSelect,
        help_text=_(
            "When one is done, the next is posted for you, and the volunteer who helped is asked "
            "first. Cancel the next one to stop."
        ),
    )

    def clean_needed_by(self):
        needed_by = self.cleaned_data.get("needed_by")
        if needed_by and needed_by < timezone.localdate():
            raise forms.ValidationError(_("That date has passed. Choose today or a later day."))
        return needed_by

    def clean_visibility(self):
        return self.cleaned_data.get("visibility") or Visibility.MEMBERS


class NeedEditForm(NeedForm):
    """The requester changes an open need: what it is, where, how soon; not who sees it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["visibility"]
        del self.fields["anonymous"]
        del self.fields["recurrence"]
        del self.fields["idempotency_key"]  # a change made twice is the same change

    @staticmethod
    def initial_from(need) -> dict:
        return {
            "category": need.category.slug,
            "summary": need.summary,
            "details": need.details,
            "area": need.area.code,
            "urgency": need.urgency,
            "needed_by": need.needed_by,
        }


def _refuse_personal_details_in_offer(text):
    refuse_personal_details(text, advice=OFFER_ADVICE)


class OfferForm(SubmitOnceForm):
    summary = forms.CharField(
        label=_("What can you offer?"),
        max_length=SUMMARY_MAX,
        help_text=_("Shown to members. No phone numbers or addresses, please."),
        validators=[_refuse_personal_details_in_offer],
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("Kinds of help"),
        queryset=Category.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose among the kinds of help listed.")},
    )
    areas = CodeMultipleChoiceField(
        label=_("Areas you can reach"),
        queryset=Area.objects.order_by("name"),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose among the areas listed.")},
    )
    kind = forms.ChoiceField(
        label=_("Once, or ongoing?"),
        choices=OfferKind.choices,
        initial=OfferKind.ONE_OFF,
        widget=forms.RadioSelect,
    )
    available_days = forms.TypedMultipleChoiceField(
        label=_("Days you are available (leave empty for any day)"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class MessageForm(SubmitOnceForm):
    body = forms.CharField(
        label=_("Message"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the two of you (and organizers, if needed) can read this."),
    )
    # The conversation the sender was looking at (see services.message_send).
    claim = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if self.has_error("claim"):  # a hidden field: say it where the sender can read it
            del self.errors["claim"]
            self.add_error(None, _("This conversation could not be found. Reload the page."))
        return cleaned

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Write a message first."))
        return body


class BoardFilterForm(forms.Form):
    """The board's filters. With no query at all, a member sees their own area and its neighbors."""

    area = AreaChoiceField(label=_("Area"), required=False, empty_label=_("All areas"))
    near = forms.BooleanField(label=_("Include neighboring areas"), required=False)
    category = CategoryChoiceField(
        label=_("Kind of help"), required=False, empty_label=_("All kinds")
    )
    urgency = forms.ChoiceField(
        label=_("How soon"), required=False, choices=[("", _("Any time"))] + Urgency.choices
    )

    def describe(self) -> str:
        """The filters in force, in words, for the folded filter box."""
        if not self.is_valid():
            return _("all areas")
        data = self.cleaned_data
        if data["area"]:
            where = data["area"].name
            if data["near"]:
                where = _("%(area)s and neighbors") % {"area": where}
        else:
            where = _("all areas")
        parts = [where]
        if data.get("category"):
            parts.append(data["category"].name)
        if data.get("urgency"):
            parts.append(Urgency(data["urgency"]).label)
        return " · ".join(str(part) for part in parts)

    @classmethod
    def for_request(cls, request):
        data = request.GET
        chosen = set(data) - {"page"}
        if not chosen and request.user.home_area_id:
            data = {**data.dict(), "area": _home_area_code(request.user), "near": "on"}
        return cls(data)


def _home_area_code(member) -> str:
    """The code of the member's home area: read with the logged-in member on every request
    (accounts/backends.py), else from the area itself."""
    code = getattr(member, "home_area_code", None)
    return str(code if code is not None else member.home_area.code)


class MatchForm(forms.Form):
    need = CodeChoiceField(
        label=_("Which of your needs?"),
        queryset=None,
        to_field_name="code",
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of your open needs listed.")},
    )

    def __init__(self, *args, needs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].queryset = needs


class AssignForm(forms.Form):
    """An organizer matches an open need with a volunteer, named by their handle."""

    handle = MemberHandleField(label=_("Volunteer's handle"))


class ContactShareForm(forms.Form):
    """One way to reach the requester, for the volunteer holding the need now."""

    kind = forms.ChoiceField(
        label=_("How can your volunteer reach you?"),
        choices=ContactKind.choices,
        initial=ContactKind.PHONE,
        widget=forms.RadioSelect,
    )
    value = forms.CharField(
        label=_("Your phone, email, or where to meet"),
        max_length=CONTACT_MAX,
        help_text=_("Only your volunteer (and organizers, if needed) will see it."),
    )

    def clean(self):
        cleaned = super().clean()
        kind, value = cleaned.get("kind"), cleaned.get("value")
        if not kind or not value:
            return cleaned
        if kind == ContactKind.EMAIL:
            try:
                EmailValidator()(value)
            except forms.ValidationError:
                self.add_error("value", _("That does not look like an email address."))
        elif kind == ContactKind.PHONE:
            digits = sum(char.isdigit() for char in value)
            if digits < 6 or any(not (c.isdigit() or c in " +-().") for c in value):
                self.add_error("value", _("That does not look like a phone number."))
        return cleaned


def _refuse_personal_details_in_a_name(text):
    refuse_personal_details(text, advice=PUBLIC_NAME_ADVICE)


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


# Triage and organizers' notes (services in triage.py). The triage queue's rows show the same
# fields as plain inputs, so that its categories and areas are read once for the whole page.


def triage_choices() -> dict:
    """The choices of a triager's forms (aid/_triage_actions.html), rendered once as <option>s
    for a whole page of rows: two queries, and no template loop per row."""
    keep = format_html('<option value="">{}</option>', _("Keep as it is"))

    def options(pairs):
        return keep + format_html_join("", '<option value="{}">{}</option>', pairs)

    return {
        "category_options": options(Category.objects.values_list("slug", "name")),
        "area_options": options(Area.objects.order_by("name").values_list("code", "name")),
        "visibility_options": options(Visibility.choices),
        "priorities": Priority.choices,
    }


class PriorityForm(forms.Form):
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)


class TriageChangeForm(forms.Form):
    """A triager corrects a need: each field left empty stays as it is."""

    category = CategoryChoiceField(
        label=_("Kind of help"), required=False, empty_label=_("Keep as it is")
    )
    area = AreaChoiceField(label=_("Area"), required=False, empty_label=_("Keep as it is"))
    visibility = forms.ChoiceField(
        label=_("Who can see it"),
        required=False,
        choices=[("", _("Keep as it is")), *Visibility.choices],
    )


class AskMoreForm(forms.Form):
    question = forms.CharField(
        label=_("Ask the requester"),
        max_length=DETAILS_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only they and the organizers read it; they answer on the need's page."),
    )


class AnswerMoreForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"),
        max_length=DETAILS_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the organizers read it."),
    )


class MergeForm(forms.Form):
    """The need this one is the same as: its link or its code, pasted, or a hinted one picked."""

    into = forms.CharField(
        label=_("The same as (the other need's link or code)"),
        max_length=300,
    )

    def clean_into(self):
        found = re.search(
            r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}",
            self.cleaned_data["into"].lower(),
        )
        if not found:
            raise forms.ValidationError(_("Paste the other need's link or code."))
        return uuid.UUID(found.group())


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is out of scope"),
        max_length=DETAILS_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The requester reads this on their need's page."),
    )
    resources = forms.CharField(
        label=_("Where else they can turn (optional)"),
        max_length=DETAILS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Note for the organizers"),
        max_length=DETAILS_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only organizers who read private details see it; it is kept sealed."),
    )


# The resource directory (services in resources.py).


class ResourceFilterForm(forms.Form):
    """The public directory's filters. With no query at all, a member sees their own area's (and
    the whole network's) resources."""

    area = AreaChoiceField(label=_("Area"), required=False, empty_label=_("All areas"))
    category = CategoryChoiceField(
        label=_("Kind of help"), required=False, empty_label=_("All kinds of help")
    )
    kind = forms.ChoiceField(
        label=_("Kind of resource"),
        required=False,
        choices=[("", _("All kinds of resource")), *ResourceKind.choices],
    )

    @classmethod
    def for_request(cls, request):
        data = request.GET
        if not data and request.user.is_authenticated and request.user.home_area_id:
            data = {"area": _home_area_code(request.user)}
        return cls(data)


class ResourceForm(forms.Form):
    """A resource, as an organizer who keeps the directory writes it: the service checks the link
    and the phone, and says what is wrong with them."""

    name = forms.CharField(label=_("Name"), max_length=RESOURCE_NAME_MAX)
    kind = forms.ChoiceField(
        label=_("What is it?"), choices=ResourceKind.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("What it offers, and to whom (optional)"),
        max_length=RESOURCE_DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    hours = forms.CharField(
        label=_("Opening hours (optional)"),
        max_length=RESOURCE_HOURS_MAX,
        required=False,
        help_text=_("For example: Monday to Friday, 9 to 5; or: Day and night."),
    )
    link = forms.CharField(
        label=_("Web page (optional)"),
        max_length=RESOURCE_LINK_MAX,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "off"}),
        help_text=_("Its address, starting with https://"),
    )
    phone = forms.CharField(
        label=_("The organization's phone (optional)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        help_text=_(
            "Its public number, with the area code; a short number such as 988 works too. "
            "Shown to everyone."
        ),
    )
    areas = CodeMultipleChoiceField(
        label=_("Areas it serves"),
        queryset=Area.objects.order_by("name"),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: the whole network."),
        error_messages={"invalid_choice": _("Choose among the areas listed.")},
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("Kinds of help it serves"),
        queryset=Category.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any kind of help."),
        error_messages={"invalid_choice": _("Choose among the kinds of help listed.")},
    )

    # The service's own checks, so that every field says what is wrong with it at once.
    def clean_link(self):
        return _checked(resources.clean_link, self.cleaned_data["link"])

    def clean_phone(self):
        region = NetworkSettings.load().phone_region
        return _checked(resources.clean_phone, self.cleaned_data["phone"], region=region)

    @staticmethod
    def initial_from(resource) -> dict:
        return {
            "name": resource.name,
            "kind": resource.kind,
            "description": resource.description,
            "hours": resource.hours,
            "link": resource.link,
            "phone": resource.phone_shown(),
            "areas": [area.code for area in resource.areas.all()],
            "categories": [category.slug for category in resource.categories.all()],
        }


def _checked(check, value, **kwargs):
    try:
        return check(value, **kwargs)
    except Refusal as refusal:
        raise forms.ValidationError(refusal.message, code=refusal.code) from None
