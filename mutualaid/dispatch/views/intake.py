"""Proxy intake and relay: organizers who take calls record needs for neighbors without an
account, and speak for them on those needs (mutualaid/dispatch/intake.py)."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mutualaid.accounts.models import ContactKind, ProxyContact
from mutualaid.accounts.policy import Capability
from mutualaid.aid.forms import NeedForm
from mutualaid.aid.models import MESSAGE_MAX, NoteKind
from mutualaid.aid.selectors import need_notes, need_private_text
from mutualaid.lib import ratelimit
from mutualaid.lib.access import capability_required
from mutualaid.lib.refusal import TEXT_CODES, Refusal

from .. import intake, selectors

RELAY_PAGE_SIZE = 25
# The reference code of a caller just taken in, shown once on the next page (then forgotten).
SESSION_KEY = "dispatch.intake.reference"
# Which field a refusal of the intake service is about.
REFUSAL_FIELDS = {
    "consent": "consent",
    "contact": "contact",
    "handle": "handle",
    "reference": "reference",
    **{code: "summary" for code in TEXT_CODES},
}


class IntakeForm(NeedForm):
    """The need, as its requester would post it, and who called: a new caller (a pseudonym, how
    to reach them, their consent) or one the organizers already speak for."""

    field_order = [
        "caller",
        "reference",
        "handle",
        "contact_kind",
        "contact",
        "consent",
        *NeedForm.field_order,
    ]

    caller = forms.ChoiceField(
        label=gettext_lazy("A caller we already speak for (optional)"),
        required=False,
    )
    reference = forms.CharField(
        label=gettext_lazy("Their reference code, if they have one (optional)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    handle = forms.CharField(
        label=gettext_lazy("A pseudonym for a new caller (optional)"),
        max_length=30,
        required=False,
        help_text=gettext_lazy('Never their real name. Leave empty for one like "caller-k7m2q".'),
    )
    contact_kind = forms.ChoiceField(
        label=gettext_lazy("How to reach a new caller"),
        choices=ContactKind.choices,
        initial=ContactKind.PHONE,
        required=False,
        widget=forms.RadioSelect,
    )
    contact = forms.CharField(
        label=gettext_lazy("Their number, email, or how else to reach them"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Sealed: only organizers who take calls can read it."),
    )
    consent = forms.BooleanField(
        label=gettext_lazy("They agreed that we record this and contact them"),
        required=False,
    )

    def __init__(self, *args, callers=None, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["anonymous"]
        del self.fields["recurrence"]
        self.fields["area"].empty_label = _("Choose their area")
        self.callers = {str(proxy.member.code): proxy for proxy in callers or ()}
        self.fields["caller"].choices = [
            ("", _("A new caller, or one with a reference code")),
            *((code, proxy.member.handle) for code, proxy in self.callers.items()),
        ]

    def clean_caller(self):
        return self.callers.get(self.cleaned_data.get("caller") or "")


def _callers():
    """The callers organizers speak for, to pick from (one query)."""
    return list(
        ProxyContact.objects.filter(taken_over_at__isnull=True, member__is_active=True)
        .select_related("member", "member__home_area")
        .order_by("member__handle")
    )


@require_http_methods(["GET", "POST"])
@capability_required(Capability.INTAKE)
def intake_page(request):
    callers = _callers()
    initial = {}
    picked = next((p for p in callers if str(p.member.code) == request.GET.get("caller")), None)
    if picked is not None:  # "another need for them", from the caller's page
        initial["caller"] = str(picked.member.code)
        initial["area"] = picked.member.home_area.code if picked.member.home_area else None
    form = IntakeForm(
        request.POST if request.method == "POST" else None, initial=initial, callers=callers
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            caller = data["caller"]
            if caller is None and data["reference"]:
                caller = intake.relayed_caller(data["reference"])
            need, code = intake.need_take_in(
                organizer=request.user,
                category=data["category"],
                area=data["area"],
                summary=data["summary"],
                details=data["details"],
                urgency=data["urgency"],
                needed_by=data["needed_by"],
                visibility=data["visibility"],
                caller=caller,
                handle=data["handle"],
                contact_kind=data["contact_kind"],
                contact=data["contact"],
                consent=data["consent"],
            )
        except Refusal as refusal:
            too_many = ratelimit.refusal_response(request, refusal)
            if too_many:
                return too_many
            form.add_error(REFUSAL_FIELDS.get(refusal.code), refusal.message)
        else:
            request.session[SESSION_KEY] = {"need": str(need.code), "code": code}
            return redirect("dispatch:intake_done", code=need.code)
    status = 422 if request.method == "POST" else 200
    return render(request, "dispatch/intake.html", {"form": form}, status=status)


@require_GET
@capability_required(Capability.INTAKE)
def intake_done(request, code):
    """The need is recorded: the reference code to read back to a new caller, shown this once."""
    need = selectors.relayed_need_for(code)
    shown = request.session.get(SESSION_KEY) or {}
    reference = shown.get("code", "") if shown.get("need") == str(need.code) else ""
    if reference:
        del request.session[SESSION_KEY]
    context = {"need": need, "reference": reference, "caller": need.requester}
    return render(request, "dispatch/intake_done.html", context)


# Relay ------------------------------------------------------------------------------------


@require_GET
@capability_required(Capability.INTAKE)
def relay(request):
    """The callers organizers speak for, with what waits for them (their unread notices: a
    message, a match, a need marked done, a question); reading the page marks those read."""
    page = Paginator(selectors.relayed_callers(), RELAY_PAGE_SIZE).get_page(request.GET.get("page"))
    callers = list(page.object_list)
    response = render(request, "dispatch/relay.html", {"page": page, "callers": callers})
    selectors.relay_notices_mark_read(callers)
    return response


@require_GET
@capability_required(Capability.INTAKE)
def relay_caller(request, code):
    """One caller: how to reach them (the read is recorded), their intake, their needs."""
    proxy = selectors.relayed_caller_for(code)
    context = {
        "proxy": proxy,
        "caller": proxy.member,
        "contact": selectors.caller_contact(proxy, request.user),
        "needs": selectors.caller_needs(proxy),
    }
    return render(request, "dispatch/relay_caller.html", context)


class NewReferenceForm(forms.Form):
    checked = forms.BooleanField(
        label=gettext_lazy("I am speaking with them, and I made sure it is them"),
        help_text=gettext_lazy("If you are not sure, call them back at the contact on their page."),
        error_messages={
            "required": gettext_lazy(
                "Make sure it is them first: whoever holds the code can take their account over."
            )
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
@capability_required(Capability.INTAKE)
def relay_reference(request, code):
    """A new reference code for a caller we speak for: what it does, then the code itself, shown
    once on the page that answers the form (never in an address, a message or the session; no
    cache keeps the page). Their old code stops working."""
    proxy = selectors.relayed_caller_for(code)
    form = NewReferenceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            reference = intake.caller_new_reference(organizer=request.user, caller=proxy)
        except Refusal as refusal:
            too_many = ratelimit.refusal_response(request, refusal)
            if too_many:
                return too_many
            form.add_error(None, refusal.message)
        else:
            context = {"caller": proxy.member, "reference": reference}
            return render(request, "dispatch/relay_reference_new.html", context)
    context = {
        "caller": proxy.member,
        "form": form,
        "changes": selectors.reference_changes(proxy),
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "dispatch/relay_reference.html", context, status=status)


class RelayReplyForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Their message, as they said it"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The volunteer sees it comes from them, relayed by you."),
    )


class RelayAnswerForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Their answer, as they said it"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _relay_need_page(request, need, *, form=None, answer_form=None, status=200):
    text = need_private_text(need, request.user)  # records the organizer's reading
    notes = need_notes(need, request.user)  # so does this, of the questions and answers
    context = {
        "exchange": notes.exchange,
        "asked": any(note.kind == NoteKind.QUESTION for note in notes.exchange),
        "answer_form": answer_form or RelayAnswerForm(),
        "need": need,
        "caller": need.requester,
        "details": text.details,
        "conversation": text.conversation,
        "form": form or RelayReplyForm(),
        "actions": [name for name in intake.RELAY_ACTIONS if need.allows(name)],
    }
    return render(request, "dispatch/relay_need.html", context, status=status)


@require_GET
@capability_required(Capability.INTAKE)
def relay_need(request, code):
    """A caller's need: the conversation with their volunteer, a reply for them, and what they
    may ask us to do (confirm it done, reopen it, cancel it)."""
    return _relay_need_page(request, selectors.relayed_need_for(code))


@require_POST
@capability_required(Capability.INTAKE)
def relay_reply(request, code):
    need = selectors.relayed_need_for(code)
    form = RelayReplyForm(request.POST)
    if form.is_valid():
        try:
            intake.relay_reply(need=need, organizer=request.user, body=form.cleaned_data["body"])
        except Refusal as refusal:
            too_many = ratelimit.refusal_response(request, refusal)
            if too_many:
                return too_many
            form.add_error("body", refusal.message)
        else:
            messages.success(request, _("Sent to the volunteer for them."))
            return redirect("dispatch:relay_need", code=need.code)
    return _relay_need_page(request, need, form=form, status=422)


@require_POST
@capability_required(Capability.INTAKE)
def relay_answer(request, code):
    need = selectors.relayed_need_for(code)
    form = RelayAnswerForm(request.POST)
    if form.is_valid():
        try:
            intake.relay_answer(need=need, organizer=request.user, text=form.cleaned_data["text"])
        except Refusal as refusal:
            form.add_error("text", refusal.message)
        else:
            messages.success(request, _("Their answer is sent to the organizers who asked."))
            return redirect("dispatch:relay_need", code=need.code)
    return _relay_need_page(request, need, answer_form=form, status=422)


RELAY_DONE = {
    "confirm": gettext_lazy("Confirmed done for them."),
    "reopen": gettext_lazy("Reopened for them: the need is back on the board."),
    "cancel": gettext_lazy("Cancelled for them."),
}


@require_POST
@capability_required(Capability.INTAKE)
def relay_act(request, code):
    need = selectors.relayed_need_for(code)
    action = request.POST.get("action", "")
    try:
        intake.relay_act(need=need, organizer=request.user, action=action)
    except Refusal as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, RELAY_DONE[action])
    return redirect("dispatch:relay_need", code=need.code)
