from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from mutualaid.accounts.policy import Capability
from mutualaid.lib import ratelimit
from mutualaid.lib.fragments import form_state, fragment_key
from mutualaid.lib.refusal import TEXT_CODES as SUMMARY_CODES
from mutualaid.lib.refusal import Refusal
from mutualaid.lib.sessions import leaves_session_alone

from .. import selectors, services
from ..forms import (
    AnswerMoreForm,
    AssignForm,
    BoardFilterForm,
    ContactShareForm,
    MessageForm,
    NeedEditForm,
    NeedForm,
    NoteForm,
)
from ..models import WAITING, NeedStatus, Priority
from .resources import RESOURCE_TABLES
from .triage import triage_forms

BOARD_PAGE_SIZE = 50
# What the board's list and filters show: a write to any of them renders them again. The
# directory's tables are read with them, so that the aside of resources costs no query of its own.
BOARD_TABLES = ("aid_need", "aid_category", "areas_area", *RESOURCE_TABLES)
# The resources the board's aside shows, at most.
BOARD_RESOURCES = 4
# The names a need's page shows of other tables' rows.
NAMED_TABLES = ("aid_category", "areas_area")

# The buttons on a need's page: URL word -> (service, what the member is told when it works).
NEED_ACTIONS = {
    "claim": (services.need_claim, gettext_lazy("It's yours. Say hello to them below.")),
    "release": (services.need_release, gettext_lazy("Released: the need is back on the board.")),
    "fulfil": (
        services.need_mark_fulfilled,
        gettext_lazy("Marked done. Thank you! They will confirm."),
    ),
    "confirm": (services.need_confirm, gettext_lazy("Confirmed. We are glad it worked out.")),
    "reopen": (services.need_reopen, gettext_lazy("Reopened: the need is back on the board.")),
    "cancel": (services.need_cancel, gettext_lazy("Cancelled.")),
    "accept": (
        services.need_proposal_accept,
        gettext_lazy("It's yours. Thank you! Say hello to them below."),
    ),
    "decline": (
        services.need_proposal_decline,
        gettext_lazy("Declined: it is free for someone else. Thank you for saying so."),
    ),
    "keep": (services.need_check_in_keep, gettext_lazy("Thank you: it stays yours.")),
}

# The volunteer's buttons that are asked twice: URL word -> the question, and the button again.
# Without JavaScript, a first POST without ``confirm=yes`` shows the question on a page of its own;
# with it, the button's hx-confirm asks in a dialog and sends ``confirm=yes`` (hx-vals).
CONFIRM_FIRST = {
    "fulfil": (
        gettext_lazy("Is it done? They will be asked to confirm it."),
        gettext_lazy("Yes, mark it done"),
    ),
    "release": (
        gettext_lazy("Give it back? It goes back on the board for someone else."),
        gettext_lazy("Yes, I can't do it after all"),
    ),
}


@require_GET
@login_required
def board(request):
    form = BoardFilterForm.for_request(request)
    filters = form.cleaned_data if form.is_valid() else {}
    number = request.GET.get("page")

    def page():  # read only when the kept results are not kept already
        needs = selectors.board_needs(
            viewer=request.user,
            area=filters.get("area"),
            include_neighbors=filters.get("near", False),
            category=filters.get("category"),
            urgency=filters.get("urgency"),
        )
        return Paginator(needs, BOARD_PAGE_SIZE).get_page(number)

    # Organizers-only needs are on the board of who matches needs: kept apart for them.
    key = fragment_key(
        *BOARD_TABLES,
        vary=[request.path, form_state(form), number, request.user.can(Capability.MATCH)],
    )
    home = request.user.home_area_id
    context = {
        "form": form,
        "page": SimpleLazyObject(page),
        "fragment_key": key,
        # A few places to turn to in the member's own area (read only when not kept already),
        # kept under the board's versions, the directory's among them: no query of its own.
        "resources": SimpleLazyObject(
            lambda: list(selectors.board_resources(area_id=home)[:BOARD_RESOURCES])
        ),
        "resources_key": fragment_key(vary=[key, home]),
    }
    template = "aid/board.html#results" if request.htmx else "aid/board.html"
    return render(request, template, context, status=200 if form.is_valid() else 400)


@require_http_methods(["GET", "POST"])
@login_required
def need_new(request):
    home = request.user.home_area
    form = NeedForm(
        request.POST if request.method == "POST" else None,
        initial={"area": home.code if home else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            need = _post_need(request, form)
        except Refusal as refusal:
            too_many = ratelimit.refusal_response(request, refusal)
            if too_many:
                return too_many
            form.add_error("summary" if refusal.code in SUMMARY_CODES else None, refusal.message)
        else:
            if need.replayed:  # the same form, sent again: where the first one went
                messages.info(request, _("This was already posted: here it is."))
            else:
                messages.success(
                    request, _("Your need is posted. We will tell you when someone offers.")
                )
            return redirect("aid:need", code=need.code)
    status = 422 if request.method == "POST" else 200
    return render(request, "aid/need_new.html", {"form": form}, status=status)


def _post_need(request, form):
    return services.need_post(
        requester=request.user,
        category=form.cleaned_data["category"],
        area=form.cleaned_data["area"],
        summary=form.cleaned_data["summary"],
        details=form.cleaned_data["details"],
        urgency=form.cleaned_data["urgency"],
        needed_by=form.cleaned_data["needed_by"],
        visibility=form.cleaned_data["visibility"],
        anonymous=form.cleaned_data["anonymous"],
        recurrence=form.cleaned_data["recurrence"],
        idempotency_key=form.cleaned_data["idempotency_key"],
    )


def _render_need(request, need, *, status=200, polled=False, **forms):
    """The need's page, or its panel alone for htmx; ``polled``: the panel for the page's own
    update, which keeps what is being typed (hx-preserve) and leaves the focus where it is."""
    member = request.user
    version = selectors.need_version(need, member)  # first: a change made while rendering shows
    private = need.can_see_private(member)
    text = selectors.need_private_text(need, member)  # records an organizer's reading
    can = need.actions_for(member)
    # The empty forms are made only if the panel is rendered (not served kept to an onlooker).
    context = {
        "need": need,
        "can_see_private": private,
        "show_names": private,
        "requester_hidden": need.hides_requester_from(member),
        "helper": selectors.need_helper(need) if private else None,
        "timeline": selectors.need_timeline(need, member),
        **_triage_context(request, need, forms),
        "private": text,
        "conversation": text.conversation,
        "contact": text.contact,
        "message_form": forms.get("message_form") or SimpleLazyObject(MessageForm),
        "assign_form": forms.get("assign_form") or (AssignForm() if can["assign"] else None),
        "contact_form": forms.get("contact_form") or SimpleLazyObject(ContactShareForm),
        "live_claim": selectors.live_claim(need) if can["message"] else None,
        "can": can,
        "proposal": need.live_proposal(),
        "version": version,
        "polled": polled,
    }
    context["panel_key"] = _onlooker_key(request, need, context, forms)
    panel = request.htmx or polled
    template = "aid/need_detail.html#need-panel" if panel else "aid/need_detail.html"
    return render(request, template, context, status=status)


def _onlooker_key(request, need, context, forms) -> str:
    """The key the panel is kept under for a member who only looks at the need (no part in it, no
    private text, no organizer's tools, no form of theirs to show again), or "" when the panel is
    the viewer's own. Onlookers who see the same need the same way and may do the same to it get
    the same panel: its version (status and latest event), what they may do, and how names show.
    The need's category and area are shown by name: their tables' versions are part of the key."""
    member = request.user
    if (
        forms
        or context["can_see_private"]
        or member.is_organizer
        or need.requester_id == member.pk
        or need.claimant_id == member.pk
        or need.is_proposed_to(member)
    ):
        return ""
    return fragment_key(
        *NAMED_TABLES,
        vary=[
            context["version"],
            sorted(context["can"].items()),
            context["requester_hidden"],
            context["show_names"],
            member.is_vouched(),
            member.is_suspended(),
            member.can(Capability.SEE_HANDLES),
            context["polled"],
            bool(request.htmx),
        ],
    )


def _triage_context(request, need, forms) -> dict:
    """The need page's triage panel, notes, question and answer, and the needs it is joined to
    (the notes through their one door, which records an organizer's reading)."""
    member = request.user
    triager = member.can(Capability.TRIAGE)
    organizer = triager or member.can(Capability.MATCH)
    waiting = need.status in (NeedStatus.TRIAGE, *WAITING)
    # Declined as out of scope: its requester (and the organizers) find where else to turn. Never
    # in an onlooker's kept panel (_onlooker_key keeps none for them).
    declined = need.status == NeedStatus.DECLINED and (
        need.is_requester(member) or member.is_organizer
    )
    context = {
        "declined": declined,
        "where_to_turn": selectors.resources_for_need(need) if declined else [],
        "notes": selectors.need_notes(need, member),
        "may_note": selectors.may_read_notes(member),
        "note_form": forms.get("note_form") or SimpleLazyObject(NoteForm),
        "answer_form": forms.get("answer_form") or SimpleLazyObject(AnswerMoreForm),
        "triage": triager and waiting,
        "hints": selectors.likely_duplicates(need) if organizer and need.is_active() else [],
        "duplicates": selectors.need_duplicates(need) if organizer else [],
        "joined_to_own": (
            need.duplicate_of_id is not None
            and (organizer or need.duplicate_of.requester_id == need.requester_id)
        ),
    }
    if context["triage"]:
        context["priorities"] = Priority.choices
        triage_forms(request, [need])
    return context


GONE = {
    "taken": gettext_lazy(
        "Another volunteer has just taken this need. Thank you for offering: there are others on "
        "the board."
    ),
    "released": gettext_lazy(
        "This need is no longer yours: you released it, or it went back to the organizers."
    ),
    "hidden": gettext_lazy(
        "The network's safety officers hid this need after a report. You no longer hold it; "
        "nothing more is needed from you."
    ),
    "closed": gettext_lazy("This need has ended: it was done, cancelled or closed."),
    "turned_down": gettext_lazy(
        "The organizers closed this need: it was out of the network's scope, or the same as "
        "another request. Nothing more is needed from you."
    ),
}


def _need_or_gone(request, code, *, acting=False):
    """The need, or (raised) the page that says why it is gone for this member, or 404."""
    try:
        return selectors.need_for_member(request.user, code)
    except Http404:
        reason = selectors.need_gone_reason(request.user, code, acting=acting)
        if reason is None:
            raise
        raise NeedGone(reason) from None


class NeedGone(Exception):
    def __init__(self, reason):
        self.reason = reason


def _gone(request, reason, *, status=409):
    """What happened, instead of a bare 404, for someone who had a part or saw it on the board."""
    context = {"gone": GONE[reason]}
    if request.htmx:
        response = render(request, "aid/need_gone.html#gone", context, status=status)
        response["HX-Retarget"] = "#need-panel"
        response["HX-Reswap"] = "outerHTML"
        return response
    return render(request, "aid/need_gone.html", context, status=status)


@require_GET
@login_required
def need_detail(request, code):
    try:
        need = _need_or_gone(request, code)
    except NeedGone as gone:
        return _gone(request, gone.reason, status=200)
    return _render_need(request, need)


@leaves_session_alone  # asked every 4 s by an open page: not the member's activity
@require_GET
def need_changed(request, code):
    """Asked every few seconds by the need's open page: 204 while nothing changed (no private
    text read, nothing recorded), else the fresh panel, under the page's own access rule."""
    if not request.user.is_authenticated:
        if request.htmx:  # logged out while the page stood open: the page itself goes to log in
            return HttpResponseClientRefresh()
        return redirect_to_login(reverse("aid:need", kwargs={"code": code}))
    try:
        need = _need_or_gone(request, code)
    except NeedGone as gone:
        return _gone(request, gone.reason, status=200)
    if request.GET.get("since") == selectors.need_version(need, request.user):
        return HttpResponse(status=204)
    return _render_need(request, need, polled=True)


@require_POST
@login_required
def need_action(request, code, action):
    try:
        # Claiming a members' need that was on the board: the loser of a race is told.
        need = _need_or_gone(request, code, acting=action == "claim")
    except NeedGone as gone:
        return _gone(request, gone.reason)
    # Asked twice; anyone who may not do it meets the service's refusal at once.
    unconfirmed = action in CONFIRM_FIRST and request.POST.get("confirm") != "yes"
    if unconfirmed and need.actions_for(request.user)[action]:
        return _confirm_first(request, need, action)
    service, done = NEED_ACTIONS[action]
    refused = None
    try:
        service(need=need, member=request.user)
    except Refusal as refusal:
        refused = refusal
    else:
        messages.success(request, done)
        if action == "claim" and not request.htmx:
            # A need just claimed is the claimant's to see: nothing to read again before the page.
            return redirect("aid:need", code=need.code)
    try:
        # A claim refused because another volunteer took the need a moment before: it is out of
        # their sight now, and they are told what happened, as when they came after it.
        fresh = _need_or_gone(request, code, acting=action == "claim")
    except NeedGone as gone:  # or done, and now out of their sight (an organizers-only need)
        return _gone(request, gone.reason, status=409 if refused else 200)
    if refused:
        messages.error(request, refused.message)
    if request.htmx:
        return _render_need(request, fresh)
    return redirect("aid:need", code=need.code)


def _confirm_first(request, need, action):
    """The second step, without JavaScript: the question and the button again; nothing changed."""
    question, button = CONFIRM_FIRST[action]
    context = {"need": need, "action": action, "question": question, "button": button}
    if request.htmx:
        return render(request, "aid/need_confirm_step.html#confirm-step", context)
    return render(request, "aid/need_confirm_step.html", context)


@require_POST
@login_required
def need_message(request, code):
    need = selectors.need_for_member(request.user, code)
    form = MessageForm(request.POST)
    if not form.is_valid():
        return _render_need(request, need, message_form=form, status=422)
    try:
        message = services.message_send(
            need=need,
            sender=request.user,
            body=form.cleaned_data["body"],
            claim_code=form.cleaned_data["claim"],
            idempotency_key=form.cleaned_data["idempotency_key"],
        )
    except Refusal as refusal:
        too_many = ratelimit.refusal_response(request, refusal)
        if too_many:
            return too_many
        messages.error(request, refusal.message)
        # The page catches up with who the volunteer is now; the words are kept, not sent.
        refill = MessageForm(initial={"body": form.cleaned_data["body"]})
        need = selectors.need_for_member(request.user, code)
        return _render_need(request, need, message_form=refill, status=409)
    if message.replayed:  # the same form, sent again
        messages.info(request, _("This message was already sent."))
    if request.htmx:
        return _render_need(request, need)
    return redirect(reverse("aid:need", kwargs={"code": need.code}) + "#conversation")


@require_POST
@login_required
def need_assign(request, code):
    """An organizer matches an open need with a volunteer, by handle."""
    need = selectors.need_for_member(request.user, code)
    if not request.user.can(Capability.MATCH):
        raise PermissionDenied
    form = AssignForm(request.POST)
    if not form.is_valid():
        return _render_need(request, need, assign_form=form, status=422)
    volunteer = form.cleaned_data["handle"]
    try:
        services.need_assign(need=need, volunteer=volunteer, organizer=request.user)
    except Refusal as refusal:
        need = selectors.need_for_member(request.user, code)
        if not need.is_open():  # taken or ended since the page was loaded: the form is gone
            messages.error(request, refusal.message)
            return _render_need(request, need, status=409)
        form.add_error("handle", refusal.message)
        return _render_need(request, need, assign_form=form, status=422)
    messages.success(
        request,
        _("Asked %(handle)s: the need is theirs once they accept.") % {"handle": volunteer.handle},
    )
    if request.htmx:
        return _render_need(request, selectors.need_for_member(request.user, code))
    return redirect("aid:need", code=need.code)


@require_http_methods(["GET", "POST"])
@login_required
def need_edit(request, code):
    """The requester changes their open need; its page says so on the timeline."""
    need = selectors.need_for_member(request.user, code)
    if not need.is_requester(request.user):
        raise PermissionDenied
    if request.method == "GET":
        if not need.can_edit(request.user):
            messages.error(request, _("Only an open need can be changed."))
            return redirect("aid:need", code=need.code)
        form = NeedEditForm(initial=NeedEditForm.initial_from(need))
        return render(request, "aid/need_edit.html", {"need": need, "form": form})
    form = NeedEditForm(request.POST)
    if form.is_valid():
        values = {name: form.cleaned_data[name] for name in services.EDITABLE}
        try:
            changed = services.need_edit(need=need, member=request.user, **values)
        except Refusal as refusal:
            form.add_error("summary" if refusal.code in SUMMARY_CODES else None, refusal.message)
        else:
            messages.success(
                request, _("Your need is changed.") if changed else _("Nothing was changed.")
            )
            return redirect("aid:need", code=need.code)
    return render(request, "aid/need_edit.html", {"need": need, "form": form}, status=422)


@require_POST
@login_required
def need_repost(request, code):
    """An expired or cancelled need, posted again in one click by its requester."""
    need = selectors.need_for_member(request.user, code)
    if not need.is_requester(request.user):
        raise PermissionDenied
    try:
        again = services.need_repost(need=need, member=request.user)
    except Refusal as refusal:
        too_many = ratelimit.refusal_response(request, refusal)
        if too_many:
            return too_many
        messages.error(request, refusal.message)
        return redirect("aid:need", code=need.code)
    messages.success(request, _("Posted again. We will tell you when someone offers."))
    return redirect("aid:need", code=again.code)


@require_POST
@login_required
def need_contact_share(request, code):
    """The requester shares one way to reach them with the volunteer holding the need now."""
    need = selectors.need_for_member(request.user, code)
    if not need.is_requester(request.user):
        raise PermissionDenied
    form = ContactShareForm(request.POST)
    if not form.is_valid():
        return _render_need(request, need, contact_form=form, status=422)
    try:
        services.contact_share(
            need=need,
            member=request.user,
            kind=form.cleaned_data["kind"],
            value=form.cleaned_data["value"],
        )
    except Refusal as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Shared with your volunteer only, until their part ends."))
    return _after_contact(request, code)


@require_POST
@login_required
def need_contact_unshare(request, code):
    need = selectors.need_for_member(request.user, code)
    if not need.is_requester(request.user):
        raise PermissionDenied
    services.contact_unshare(need=need, member=request.user)
    messages.success(request, _("You stopped sharing it. Your volunteer no longer sees it."))
    return _after_contact(request, code)


def _after_contact(request, code):
    if request.htmx:
        return _render_need(request, selectors.need_for_member(request.user, code))
    return redirect(reverse("aid:need", kwargs={"code": code}) + "#contact")
