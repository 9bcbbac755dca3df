"""Needs through the API: the board, a need, posting one, the actions on it, its messages.

Each view does what the need's page does, through the same selectors and services (aid), and the
same forms read the values sent (aid.forms): a refusal is the pages' refusal, with its code.
"""

from functools import wraps

from django.http import Http404
from django.utils.translation import gettext as _

from mutualaid.aid import selectors, services
from mutualaid.aid.forms import (
    AssignForm,
    BoardFilterForm,
    ContactShareForm,
    MessageForm,
    NeedEditForm,
    NeedForm,
)
from mutualaid.aid.models import (
    DETAILS_MAX,
    MESSAGE_MAX,
    SUMMARY_MAX,
    ContactKind,
    Recurrence,
    Urgency,
    Visibility,
)
from mutualaid.aid.views.needs import GONE, NEED_ACTIONS
from mutualaid.lib.refusal import Refusal

from .. import present
from ..http import answer, error
from ..spec import operation
from .common import FILTERS, IDEMPOTENCY, form_data, page_of, refuse_form

TAG = "Needs"
NEED_FIELDS = {
    "category": {"type": "string", "maxLength": 40, "description": "A kind of help's slug."},
    "summary": {
        "type": "string",
        "minLength": 1,
        "maxLength": SUMMARY_MAX,
        "description": "Public: no names, phone numbers or addresses (the doxxing guard).",
    },
    "area": {"type": "string", "format": "uuid", "description": "An area's code."},
    "urgency": {"enum": Urgency.values},
    "needed_by": {"type": ["string", "null"], "format": "date"},
    "details": {
        "type": "string",
        "maxLength": DETAILS_MAX,
        "description": "Private: only its volunteer and organizers read them.",
    },
}
NEW_NEED = {
    "type": "object",
    "properties": {
        **NEED_FIELDS,
        "visibility": {"enum": Visibility.values},
        "anonymous": {"type": "boolean"},
        "recurrence": {"enum": Recurrence.values},
    },
    "required": ["category", "summary", "area", "urgency"],
    "additionalProperties": False,
}
EDIT_NEED = {
    "type": "object",
    "properties": NEED_FIELDS,
    "additionalProperties": False,
    "description": "Only the fields to change; the others stay as they are.",
}
MESSAGE = {
    "type": "object",
    "properties": {
        "body": {"type": "string", "minLength": 1, "maxLength": MESSAGE_MAX},
        "claim": {
            "type": "string",
            "format": "uuid",
            "description": "The conversation the sender saw (the need's ``claim``): if its "
            "volunteer changed since, the message is refused, never sent to the next one.",
        },
    },
    "required": ["body"],
    "additionalProperties": False,
}
CONTACT = {
    "type": "object",
    "properties": {
        "kind": {"enum": ContactKind.values},
        "value": {"type": "string", "minLength": 1, "maxLength": 300},
    },
    "required": ["kind", "value"],
    "additionalProperties": False,
}
ASSIGN = {
    "type": "object",
    "properties": {"handle": {"type": "string", "minLength": 1, "maxLength": 30}},
    "required": ["handle"],
    "additionalProperties": False,
}


def _need(request, code, *, acting=False):
    """The need, if the member may see it (selectors.need_for_member); else 404, or, for someone
    who had a part in it, 410 (409 when acting) saying why it is gone (as its page says)."""
    try:
        return selectors.need_for_member(request.user, code)
    except Http404:
        reason = selectors.need_gone_reason(request.user, code, acting=acting)
        if reason is None:
            raise
        raise Gone(reason, status=409 if acting else 410) from None


class Gone(Exception):
    def __init__(self, reason, *, status):
        self.reason, self.status = reason, status

    def response(self):
        return error("gone", GONE[self.reason], status=self.status, reason=self.reason)


def _gone_as_json(view):
    @wraps(view)
    def wrapped(request, **kwargs):
        try:
            return view(request, **kwargs)
        except Gone as gone:
            return gone.response()

    return wrapped


@operation(
    "GET",
    "/needs",
    name="needs",
    summary="The board: open needs, most urgent first",
    answers=(200, "NeedPage"),
    tag=TAG,
    query=FILTERS,
)
def board(request, *, query, body):
    """The open needs the member's board shows, with its filters: an area (``near``: with its
    neighbors), a kind of help, an urgency. Organizers who match needs see organizers-only needs
    too, as on their board."""
    form = BoardFilterForm(form_data({k: v for k, v in query.items() if k != "page"}))
    if not form.is_valid():
        refuse_form(form, code="bad_request")
    filters = form.cleaned_data
    needs = selectors.board_needs(
        viewer=request.user,
        area=filters.get("area"),
        include_neighbors=filters.get("near", False),
        category=filters.get("category"),
        urgency=filters.get("urgency"),
    )
    return answer(page_of(needs, query.get("page"), present.need_summary))


@operation(
    "POST",
    "/needs",
    name="needs",
    summary="Post a need",
    answers=(201, "Posted"),
    tag=TAG,
    write=True,
    headers=IDEMPOTENCY,
    body=NEW_NEED,
)
def need_post(request, *, query, body):
    """Post a need as the member, as the page's form does: the doxxing guard, the newcomers'
    limit and triage apply. With the same Idempotency-Key, a second request posts nothing and
    answers 200 with the need the first one posted."""
    form = NeedForm(form_data(body, idempotency_key=query.get("Idempotency-Key")))
    if not form.is_valid():
        refuse_form(form)
    data = form.cleaned_data
    need = services.need_post(
        requester=request.user,
        category=data["category"],
        area=data["area"],
        summary=data["summary"],
        details=data["details"],
        urgency=data["urgency"],
        needed_by=data["needed_by"],
        visibility=data["visibility"],
        anonymous=data["anonymous"],
        recurrence=data["recurrence"],
        idempotency_key=data["idempotency_key"],
    )
    return answer(
        {"need": present.need_summary(need), "replayed": need.replayed},
        status=200 if need.replayed else 201,
    )


@operation(
    "GET",
    "/needs/{code}",
    name="need",
    summary="A need, as its page shows it to the member",
    answers=(200, "Need"),
    tag=TAG,
    errors=(410,),
)
@_gone_as_json
def need_detail(request, *, query, body, code):
    """Its private details, messages and shared contact only for those its page shows them to;
    an organizer's reading is recorded (who viewed my private details), as on the page."""
    return answer(present.need_detail(_need(request, code), request.user))


@operation(
    "PATCH",
    "/needs/{code}",
    name="need",
    summary="Change a need (its requester, while it is open)",
    answers=(200, "NeedSummary"),
    tag=TAG,
    write=True,
    body=EDIT_NEED,
)
def need_edit(request, *, query, body, code):
    """The fields sent change; the summary meets the doxxing guard again. Only the requester,
    while the need is open or waits for triage."""
    need = selectors.need_for_member(request.user, code)
    if not need.is_requester(request.user):
        raise Refusal(_("Only the person who posted this need can change it."), code="forbidden")
    current = NeedEditForm.initial_from(need)
    form = NeedEditForm(form_data({**current, **body}))
    if not form.is_valid():
        refuse_form(form)
    values = {name: form.cleaned_data[name] for name in services.EDITABLE if name in body}
    services.need_edit(need=need, member=request.user, **values)
    return answer(present.need_summary(need))


def _act(action):
    service, _done = NEED_ACTIONS[action]

    @_gone_as_json
    def act(request, *, query, body, code):
        need = _need(request, code, acting=action == "claim")
        service(need=need, member=request.user)
        need.refresh_from_db(fields=["status", "status_changed_at", "claimant"])
        return answer({"need": str(need.code), "status": need.status})

    act.__doc__ = (
        f"{action.capitalize()}: the need page's button, through the same service and its "
        "checks (who may, and the compare-and-set on the need's state)."
    )
    act.__name__ = f"need_{action}"
    return act


ACTION_SUMMARIES = {
    "claim": "Claim an open need: take it on",
    "release": "Release a need you hold: it goes back on the board",
    "fulfil": "Mark a need you hold done",
    "confirm": "Confirm your need was done",
    "reopen": "Say your need was not done: it goes back on the board",
    "cancel": "Cancel your need",
    "accept": "Accept a need proposed to you",
    "decline": "Decline a need proposed to you",
    "keep": "Answer “still on it?” with yes",
}
for _action in NEED_ACTIONS:
    operation(
        "POST",
        f"/needs/{{code}}/{_action}",
        name=f"need_{_action}",
        summary=ACTION_SUMMARIES[_action],
        answers=(200, "Done"),
        tag=TAG,
        write=True,
    )(_act(_action))


@operation(
    "POST",
    "/needs/{code}/messages",
    name="need_messages",
    summary="Send a message in the need's conversation",
    answers=(201, "Sent"),
    tag=TAG,
    write=True,
    headers=IDEMPOTENCY,
    body=MESSAGE,
)
def need_message(request, *, query, body, code):
    """Between the requester and the volunteer holding the need, only: the message limit, blocks
    and the check that the volunteer is still the one the sender saw all apply."""
    need = selectors.need_for_member(request.user, code)
    form = MessageForm(form_data(body, idempotency_key=query.get("Idempotency-Key")))
    if not form.is_valid():
        refuse_form(form)
    sent = services.message_send(
        need=need,
        sender=request.user,
        body=form.cleaned_data["body"],
        claim_code=form.cleaned_data["claim"],
        idempotency_key=form.cleaned_data["idempotency_key"],
    )
    return answer(
        {"message": present.message(sent, need, request.user), "replayed": sent.replayed},
        status=200 if sent.replayed else 201,
    )


@operation(
    "POST",
    "/needs/{code}/repost",
    name="need_repost",
    summary="Post an expired or cancelled need again",
    answers=(201, "Posted"),
    tag=TAG,
    write=True,
)
def need_repost(request, *, query, body, code):
    """Its requester posts it again as it was (without its needed-by date)."""
    need = selectors.need_for_member(request.user, code)
    again = services.need_repost(need=need, member=request.user)
    return answer({"need": present.need_summary(again), "replayed": False}, status=201)


@operation(
    "PUT",
    "/needs/{code}/contact",
    name="need_contact",
    summary="Share one way to reach you with your volunteer",
    answers=(200, "Done"),
    tag=TAG,
    write=True,
    body=CONTACT,
)
def need_contact_share(request, *, query, body, code):
    """The requester shares a phone, an email or a meeting place with the volunteer holding the
    need now, and only them; it ends when their part ends."""
    need = selectors.need_for_member(request.user, code)
    form = ContactShareForm(form_data(body))
    if not form.is_valid():
        refuse_form(form)
    services.contact_share(
        need=need,
        member=request.user,
        kind=form.cleaned_data["kind"],
        value=form.cleaned_data["value"],
    )
    return answer({"need": str(need.code), "status": need.status})


@operation(
    "DELETE",
    "/needs/{code}/contact",
    name="need_contact",
    summary="Stop sharing your contact",
    answers=(200, "Done"),
    tag=TAG,
    write=True,
)
def need_contact_unshare(request, *, query, body, code):
    need = selectors.need_for_member(request.user, code)
    services.contact_unshare(need=need, member=request.user)
    return answer({"need": str(need.code), "status": need.status})


@operation(
    "POST",
    "/needs/{code}/assign",
    name="need_assign",
    summary="Match an open need with a volunteer (organizers who match needs)",
    answers=(200, "Done"),
    tag=TAG,
    write=True,
    body=ASSIGN,
)
def need_assign(request, *, query, body, code):
    """The volunteer named by handle is asked, and holds the need once they accept."""
    need = selectors.need_for_member(request.user, code)
    form = AssignForm(form_data(body))
    if not form.is_valid():
        refuse_form(form)
    services.need_assign(need=need, volunteer=form.cleaned_data["handle"], organizer=request.user)
    need.refresh_from_db(fields=["status", "status_changed_at", "claimant"])
    return answer({"need": str(need.code), "status": need.status})
