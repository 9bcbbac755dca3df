"""What an email or chat message says about a notice: public words only.

Never the notice's own parameters (a summary, a reason, a note, a handle): only the kind's public
title here, the need's category, area and urgency looked up by its code, and an absolute link.
A kind with no title here reads as "You have a new notice", so a kind added later cannot leak.
"""

from dataclasses import dataclass, field

from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mutualaid.aid.models import Need
from mutualaid.lib.links import absolute

TITLES = {
    "need_claimed": gettext_lazy("A volunteer has taken on your need"),
    "need_assigned": gettext_lazy("An organizer matched you with a need"),
    "match_proposed": gettext_lazy("An organizer matched you with a need: will you accept?"),
    "offer_taken_up": gettext_lazy("Your offer was taken up"),
    "message_received": gettext_lazy("New message about a need"),
    "need_fulfilled": gettext_lazy("Your need was marked done: please confirm it"),
    "need_released": gettext_lazy("Your need is back on the board"),
    "need_confirmed": gettext_lazy("A need is confirmed done"),
    "need_auto_confirmed": gettext_lazy("A need was closed as done"),
    "need_reopened": gettext_lazy("A need you helped with was reopened"),
    "need_cancelled": gettext_lazy("A need you were helping with was cancelled"),
    "need_expired": gettext_lazy("Your need closed: nobody could take it on in time"),
    "volunteer_left": gettext_lazy("Your need is back on the board: its volunteer left"),
    "requester_left": gettext_lazy("A need you were helping with was cancelled"),
    "need_hidden": gettext_lazy("A need you were helping with was hidden"),
    "vouch_received": gettext_lazy("A member vouched for you"),
    "vouch_revoked": gettext_lazy("A vouch for you was revoked"),
    "approved": gettext_lazy("An organizer approved you"),
    "approval_withdrawn": gettext_lazy("An organizer withdrew your approval"),
    "vouched_now": gettext_lazy("You are now a vouched member"),
    "suspended": gettext_lazy("Your account is suspended"),
    "unsuspended": gettext_lazy("Your suspension is lifted"),
    "held_for_review": gettext_lazy("You need a new vouch"),
    "report_handled": gettext_lazy("Your report has been handled"),
    "report_handled_message": gettext_lazy("Your report has been handled"),
    "warned": gettext_lazy("A warning from the safety officers"),
    "vouch_requested": gettext_lazy("A newcomer near you asks to be vouched for"),
    "feedback_asked": gettext_lazy("How did it go? Tell the organizers privately"),
    "recurring_posted": gettext_lazy("Your repeating need is posted again"),
    "recurring_held": gettext_lazy("Your repeating need could not be posted again"),
    "recurring_proposed": gettext_lazy("A need you helped with is needed again: accept?"),
    "need_opened": gettext_lazy("A need near you that you could help with"),
    "need_waiting": gettext_lazy("A new need is waiting"),
    "need_unclaimed": gettext_lazy("An urgent need nobody has taken on yet"),
    "report_filed": gettext_lazy("A new safety report is waiting"),
    "newcomers_waiting": gettext_lazy("Newcomers are waiting for a vouch"),
    # Triage and organizers' notes.
    "need_published": gettext_lazy("Your need is open now"),
    "need_prioritised": gettext_lazy("An organizer changed your need's priority"),
    "need_recategorised": gettext_lazy("An organizer changed your need's kind of help"),
    "need_area_changed": gettext_lazy("An organizer changed your need's area"),
    "need_for_organizers": gettext_lazy("Your need is now for organizers only"),
    "need_for_members": gettext_lazy("Your need is now open to members who can help"),
    "more_asked": gettext_lazy("The organizers have a question about your need"),
    "more_given": gettext_lazy("A requester answered your question"),
    "need_merged": gettext_lazy("Your need was joined to another request"),
    "need_merged_own": gettext_lazy("Your need was joined to your other request"),
    "need_turned_down": gettext_lazy("The organizers cannot take on your need"),
    "note_added": gettext_lazy("A new organizers' note on a need"),
    "need_awaits_triage": gettext_lazy("A new need waits for triage"),
}

UNSUBSCRIBE_SALT = "mutualaid.notifications.unsubscribe"


def title(kind: str) -> str:
    return str(TITLES.get(kind) or _("You have a new notice"))


def unsubscribe_token(member, kind: str) -> str:
    return signing.dumps({"m": str(member.code), "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[str, str]:
    """(member code, kind); raises signing.BadSignature for a token we did not make."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(data, dict) or not {"m", "k"} <= data.keys():
        raise signing.BadSignature("incomplete")
    return str(data["m"]), str(data["k"])


@dataclass
class PublicMessage:
    kind: str
    title: str
    facts: list[str] = field(default_factory=list)
    link: str = ""

    @property
    def text(self) -> str:
        return "\n".join([*self.facts, self.link])


def public_message(notice) -> PublicMessage:
    """The notice as it may leave the app: its title, the need's public facts, a link."""
    facts = []
    code = notice.params.get("need")
    need = (
        Need.objects.select_related("category", "area").filter(code=code).first()
        if code
        else None
    )
    if need is not None:
        facts = [
            _("Kind of help: %(category)s") % {"category": need.category.name},
            _("Area: %(area)s") % {"area": need.area.name},
            _("Urgency: %(urgency)s") % {"urgency": need.get_urgency_display()},
        ]
    return PublicMessage(
        kind=notice.kind,
        title=title(notice.kind),
        facts=facts,
        link=absolute(notice.url or reverse("accounts:notices")),
    )
