"""The triage actions on one need, its organizers' notes, and the requester's answer.

Used from the need's page and from each row of the triage queue (dispatch's page): a plain POST
that redirects back where it came from (``next``, a path on this site) with a true message.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mutualaid.accounts.policy import Capability
from mutualaid.lib.refusal import Refusal

from .. import selectors, triage
from ..forms import (
    AnswerMoreForm,
    AskMoreForm,
    DeclineForm,
    MergeForm,
    NoteForm,
    PriorityForm,
    TriageChangeForm,
    triage_choices,
)
from ..models import Priority
from ..services import STALE

NO_CHANGE = gettext_lazy("Nothing was changed: it was already so.")


def _back(request, need, anchor=""):
    """Where the form was sent from (a path on this site), else the need's page."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(reverse("aid:need", kwargs={"code": need.code}) + anchor)


def _first_error(form) -> str:
    for errors in form.errors.values():
        return errors[0]
    return str(STALE)


def _publish(request, need):
    triage.publish(need=need, by=request.user)
    return _("Published: “%(summary)s” is open now, and its volunteers hear of it.") % {
        "summary": need.summary
    }


def _priority(request, need, form):
    priority = form.cleaned_data["priority"]
    if not triage.set_priority(need=need, by=request.user, priority=priority):
        return NO_CHANGE
    return _("“%(summary)s” now has %(priority)s priority; its requester is told.") % {
        "summary": need.summary,
        "priority": Priority(priority).label.lower(),
    }


def _change(request, need, form):
    changed = triage.triage_change(
        need=need,
        by=request.user,
        category=form.cleaned_data["category"],
        area=form.cleaned_data["area"],
        visibility=form.cleaned_data["visibility"] or None,
    )
    if not changed:
        return NO_CHANGE
    return _("“%(summary)s” is changed; its requester is told.") % {"summary": need.summary}


def _ask(request, need, form):
    triage.ask_more(need=need, by=request.user, question=form.cleaned_data["question"])
    return _("Asked: the requester is told there is a question on their need's page.")


def _merge(request, need, form):
    into = (
        selectors.needs_visible_to(member=request.user)
        .filter(code=form.cleaned_data["into"])
        .first()
    )
    if into is None:
        raise Refusal(_("No need has that link or code."), code="unknown")
    triage.merge(need=need, by=request.user, into=into)
    return _("Joined to “%(other)s”; its requester is told.") % {"other": into.summary}


def _turn_down(request, need, form):
    triage.decline(
        need=need,
        by=request.user,
        reason=form.cleaned_data["reason"],
        resources=form.cleaned_data["resources"],
    )
    return _("Declined: its requester is told, and reads why on their need's page.")


# URL word -> (form, what it does), for the triage actions (triage.py's services).
TRIAGE_ACTIONS = {
    "publish": (None, _publish),
    "priority": (PriorityForm, _priority),
    "change": (TriageChangeForm, _change),
    "ask": (AskMoreForm, _ask),
    "merge": (MergeForm, _merge),
    "turn_down": (DeclineForm, _turn_down),
}


_PLACEHOLDER = "00000000-0000-0000-0000-000000000000"


def triage_forms(request, needs, *, next: str = "", compact: bool = False) -> None:
    """Give each need its ``triage_urls`` (action -> URL) and ``triage_forms`` (the forms that
    differ between needs only by its code) for aid/_triage_actions.html: each URL reversed once,
    and the forms rendered once for each state among ``needs`` and copied per need, so that a
    page of 50 rows costs little more than one."""
    urls = {
        action: reverse(f"aid:need_triage_{action}", args=[_PLACEHOLDER])
        for action in TRIAGE_ACTIONS
    }
    context = {
        "code": _PLACEHOLDER,
        "urls": urls,
        "compact": compact,
        "need_url": reverse("aid:need", args=[_PLACEHOLDER]),
        "next_field": format_html('<input type="hidden" name="next" value="{}">', next)
        if next
        else "",
        **({} if compact else triage_choices()),  # the areas and kinds: not in a compact row
    }
    rendered = {}
    for need in needs:
        state = (need.status in triage.CHANGE_IN, need.is_active())
        if state not in rendered:
            changeable, active = state
            rendered[state] = render_to_string(
                "aid/_triage_forms.html",
                {**context, "changeable": changeable, "active": active},
                request=request,
            )
        code = str(need.code)
        need.triage_urls = {action: url.replace(_PLACEHOLDER, code) for action, url in urls.items()}
        need.triage_forms = mark_safe(rendered[state].replace(_PLACEHOLDER, code))  # noqa: S308


def _submit(request, need, form, act, *, anchor=""):
    """Run ``act`` (it returns the message to show) once ``form`` is valid; bad input or a
    refusal is shown as the message, and nothing is changed. Back where the form came from."""
    if form is not None and not form.is_valid():
        messages.error(request, _first_error(form))
        return _back(request, need, anchor)
    try:
        done = act()
    except Refusal as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, done)
    return _back(request, need, anchor)


@require_POST
@login_required
def need_triage(request, code, action):
    need = selectors.need_for_member(request.user, code)
    if not request.user.can(Capability.TRIAGE):
        raise PermissionDenied
    form_class, act = TRIAGE_ACTIONS[action]
    if form_class is None:
        return _submit(request, need, None, lambda: act(request, need))
    form = form_class(request.POST)
    return _submit(request, need, form, lambda: act(request, need, form))


def _note(request, need, form):
    triage.note_add(need=need, by=request.user, body=form.cleaned_data["body"])
    return _("Note added: only organizers who read private details see it.")


@require_POST
@login_required
def need_note(request, code):
    """An organizers' note on the need (organizers who read private details)."""
    need = selectors.need_for_member(request.user, code)
    if not selectors.may_read_notes(request.user):
        raise PermissionDenied
    form = NoteForm(request.POST)
    return _submit(request, need, form, lambda: _note(request, need, form), anchor="#notes")


def _answer(request, need, form):
    triage.answer_more(need=need, member=request.user, text=form.cleaned_data["text"])
    return _("Thank you: the organizers who asked are told.")


@require_POST
@login_required
def need_answer(request, code):
    """The requester answers the organizers' question."""
    need = selectors.need_for_member(request.user, code)
    if not need.is_requester(request.user):
        raise PermissionDenied
    form = AnswerMoreForm(request.POST)
    return _submit(request, need, form, lambda: _answer(request, need, form), anchor="#questions")
