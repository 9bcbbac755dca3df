"""Messages from neighbors to the organizers: the public contact form's one door.

Anyone may write, logged in or not; organizers who take calls (``Capability.INTAKE``: triagers and
dispatchers, who already speak with neighbors without an account) read them in their inbox and mark
each handled. The words, the name and how to answer are sealed; the notice that a message waits,
the audit rows and the rate limit's keys hold none of them.
"""

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualaid.accounts import selectors as accounts_selectors
from mutualaid.accounts import services as accounts
from mutualaid.accounts.models import Member
from mutualaid.accounts.policy import Capability
from mutualaid.aid.models import AccessKind, PrivateAccess
from mutualaid.lib import ratelimit
from mutualaid.lib.refusal import Refusal

from .models import (
    CONTACT_BODY_MAX,
    CONTACT_NAME_MAX,
    CONTACT_REPLY_TO_MAX,
    ContactChange,
    ContactMessage,
)

READERS = Capability.INTAKE


def _refuse_unless_reader(member) -> None:
    if member is None or not member.can(READERS):
        raise Refusal(
            _("Only organizers who take calls read messages from neighbors."), code="forbidden"
        )


def contact_message_send(
    *, body: str, sender=None, name: str = "", reply_to: str = "", address: str = ""
) -> ContactMessage:
    """A message to the organizers, from ``sender`` (a member) or a visitor.

    Limited per client ``address`` and per member (``RATE_LIMITS["contact"]``): once over, a
    refusal (code ``rate_limited``) and nothing written. The message, its "received" audit row and
    a notice to each organizer who reads them are one transaction; the notices say only that a
    message is waiting.
    """
    body = (body or "").strip()
    name = (name or "").strip()
    reply_to = (reply_to or "").strip()
    if not body:
        raise Refusal(_("Write a message."), code="body")
    if len(body) > CONTACT_BODY_MAX:
        raise Refusal(
            _("Keep the message under %(max)s characters.") % {"max": CONTACT_BODY_MAX},
            code="body",
        )
    if len(name) > CONTACT_NAME_MAX:
        raise Refusal(_("Keep the name short."), code="name")
    if len(reply_to) > CONTACT_REPLY_TO_MAX:
        raise Refusal(_("Keep how to reach you short."), code="reply_to")
    if sender is not None and not sender.is_authenticated:
        sender = None
    if address:
        ratelimit.enforce("contact", f"address:{address}")
    if sender is not None:
        ratelimit.enforce("contact", f"member:{sender.code}")
        name = ""  # a member is known by their handle
    with transaction.atomic():
        message = ContactMessage(sender=sender, name=name, reply_to=reply_to, body=body)
        message.save()
        ContactChange.objects.create(
            actor=sender,
            message=message,
            action=ContactChange.Action.RECEIVED,
            old=None,
            new={"handled": False, "from_member": sender is not None},
        )
        for organizer in accounts_selectors.members_who_can(READERS):
            accounts.notify(member=organizer, kind="contact_message", message=message.code)
    return message


def contact_message_handle(*, message: ContactMessage, organizer) -> ContactMessage:
    """Mark ``message`` handled by ``organizer``: a compare-and-set on ``handled_at``, so two
    organizers never both handle it (the second is refused, code ``stale``)."""
    _refuse_unless_reader(organizer)
    now = timezone.now()
    with transaction.atomic():
        changed = ContactMessage.objects.filter(pk=message.pk, handled_at__isnull=True).update(
            handled_at=now, handled_by=organizer
        )
        if changed != 1:
            raise Refusal(_("Another organizer has handled this message already."), code="stale")
        ContactChange.objects.create(
            actor=organizer,
            message=message,
            action=ContactChange.Action.HANDLED,
            old={"handled": False},
            new={"handled": True},
        )
    message.handled_at, message.handled_by = now, organizer
    return message


# Reads ------------------------------------------------------------------------------------------


def contact_messages(*, handled: bool = False) -> QuerySet[ContactMessage]:
    """Messages waiting (newest first), or those handled (the latest handled first)."""
    messages = ContactMessage.objects.select_related("sender", "handled_by").defer(
        *[f"{who}__{name}" for who in ("sender", "handled_by") for name in Member.SEALED]
    )
    if handled:
        return messages.filter(handled_at__isnull=False).order_by("-handled_at", "-pk")
    return messages.filter(handled_at__isnull=True).order_by("-created_at", "-pk")


def contact_messages_waiting() -> QuerySet[ContactMessage]:
    return ContactMessage.objects.filter(handled_at__isnull=True)


def contact_message_for(code, viewer) -> ContactMessage:
    """A message, for an organizer who reads them (the view's gate checks the capability); 404
    for an unknown code."""
    _refuse_unless_reader(viewer)
    message = ContactMessage.objects.filter(code=code).first()
    if message is None:
        raise Http404("No such message")
    return message


def contact_messages_read(messages, viewer) -> None:
    """``viewer`` is shown these messages: the ones a member sent are recorded as read (one
    INSERT), in their list of who viewed their private text. A visitor has no such list."""
    _refuse_unless_reader(viewer)
    PrivateAccess.objects.bulk_create(
        PrivateAccess(
            viewer=viewer, owner_id=message.sender_id, need=None, what=AccessKind.MESSAGES
        )
        for message in messages
        if message.sender_id is not None and message.sender_id != viewer.pk
    )
