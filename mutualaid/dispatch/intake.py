"""Proxy intake and relay: an organizer records a need for a neighbor who phoned, and speaks for
them on it until they take their account over (accounts.services.proxy_take_over).

The caller is a member with no password and no email (accounts.ProxyContact): their notices reach
no email or chat (they have no address), and surface instead on the organizers' relay list. Every
write here goes through the services that guard the same write for everyone (aid.services), with
the caller as the actor and the organizer named beside them.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from mutualaid.accounts import services as accounts
from mutualaid.accounts.models import ProxyContact
from mutualaid.accounts.policy import Capability
from mutualaid.aid import services as aid
from mutualaid.aid import triage
from mutualaid.aid.models import Need, Visibility
from mutualaid.lib.refusal import Refusal
from mutualaid.network.models import NetworkSettings


def _refuse_unless_intake(organizer) -> None:
    if not organizer.can(Capability.INTAKE):
        raise Refusal(
            _("Only organizers who take calls record needs for others."), code="forbidden"
        )


def relayed_caller(reference: str) -> ProxyContact:
    """The caller a reference code names (organizers still speaking for them), or a refusal."""
    proxy = accounts.proxy_by_reference(reference)
    if proxy is None:
        raise Refusal(
            _("No caller has that reference code (or they have taken their account over)."),
            code="reference",
        )
    return proxy


def caller_new_reference(*, organizer, caller: ProxyContact) -> str:
    """A new reference code for ``caller``, one the organizers still speak for, to read back to
    them (they lost theirs, or an import recorded them): their old code stops working at once.
    Through accounts.services.proxy_new_reference, which writes the audit row."""
    _refuse_unless_intake(organizer)
    return accounts.proxy_new_reference(by=organizer, proxy=caller)


def need_take_in(
    *,
    organizer,
    category,
    area,
    summary,
    urgency,
    details="",
    needed_by=None,
    visibility=Visibility.MEMBERS,
    caller: ProxyContact | None = None,
    handle="",
    contact_kind="",
    contact="",
    consent=False,
) -> tuple[Need, str]:
    """Record a need for a neighbor who phoned: a new caller (pseudonym, contact, consent) or
    ``caller``, one the organizers already speak for. Returns (need, reference code): the code
    is "" for a known caller (theirs was read back to them the first time).

    One transaction: a refused need (the doxxing guard on the summary, a bad choice) leaves no
    caller behind. The need goes through aid.services.need_post like any other (triage first
    applies), with the organizer as ``taken_in_by``: the newcomers' daily limit counts against
    the organizer, who is free of it, so a busy hotline is never throttled as a newcomer's
    posting would be; the timeline gets NEED_TAKEN_IN by the organizer beside NEED_POSTED.
    """
    _refuse_unless_intake(organizer)
    if caller is not None and not caller.is_relayed():
        raise Refusal(_("This caller has taken their account over."), code="stale")
    code = ""
    with transaction.atomic():
        if caller is None:
            member, code = accounts.proxy_create(
                taken_by=organizer,
                handle=handle,
                contact_kind=contact_kind,
                contact=contact,
                consent=consent,
                region=NetworkSettings.load().phone_region,
                home_area=area,
            )
        else:
            member = caller.member
        need = aid.need_post(
            requester=member,
            category=category,
            area=area,
            summary=summary,
            details=details,
            urgency=urgency,
            needed_by=needed_by,
            visibility=visibility,
            taken_in_by=organizer,
        )
    return need, code


def relayed_need(need: Need) -> ProxyContact:
    """The caller of ``need`` while organizers speak for them; else a refusal."""
    proxy = ProxyContact.objects.filter(
        member_id=need.requester_id, taken_over_at__isnull=True
    ).first()
    if proxy is None:
        raise Refusal(
            _("Its requester speaks for themselves: nobody relays for them."), code="forbidden"
        )
    return proxy


def relay_reply(*, need: Need, organizer, body: str):
    """A message to the volunteer, written by ``organizer`` for the caller (from what they said
    on the phone): sent as the caller, through aid.services.message_send, naming the organizer
    (Message.relayed_by, and a MESSAGE_RELAYED row on the timeline)."""
    _refuse_unless_intake(organizer)
    proxy = relayed_need(need)
    return aid.message_send(need=need, sender=proxy.member, body=body, relayed_by=organizer)


def relay_answer(*, need: Need, organizer, text: str):
    """The caller's answer to a triager's question, as they gave it on the phone: through
    aid.triage.answer_more, as the caller (the triagers who asked hear of it)."""
    _refuse_unless_intake(organizer)
    proxy = relayed_need(need)
    return triage.answer_more(need=need, member=proxy.member, text=text)


# What an organizer may do for a caller, by the same services the caller would use themself.
RELAY_ACTIONS = {
    "confirm": aid.need_confirm,
    "reopen": aid.need_reopen,
    "cancel": aid.need_cancel,
}


def relay_act(*, need: Need, organizer, action: str) -> None:
    """Confirm, reopen or cancel ``need`` for its caller (they said so on the phone)."""
    _refuse_unless_intake(organizer)
    if action not in RELAY_ACTIONS:
        raise Refusal(_("Choose one of the options listed."), code="invalid")
    proxy = relayed_need(need)
    with transaction.atomic():
        RELAY_ACTIONS[action](need=need, member=proxy.member)
        aid.need_acted_for(need=need, organizer=organizer)
