"""What the people of a need hear about it, in the app (and, once they choose, by other channels).

Only public facts: the need's summary and code. Never its details, messages or contact, and never
an anonymous requester's handle.
"""

from django.utils.translation import gettext_lazy as _

from mutualaid.lib.notices import register

NEED = ("aid:need", "need")

register("need_claimed", _("A volunteer has taken on your need “%(summary)s”."), link=NEED)
register(
    "need_assigned",
    _("An organizer matched you with the need “%(summary)s”: it is yours now."),
    link=NEED,
)
register(
    "offer_taken_up",
    _("Your offer was taken up: you now hold the need “%(summary)s”."),
    link=NEED,
)
register("message_received", _("New message about “%(summary)s”."), link=NEED)
register(
    "need_fulfilled",
    _("Your volunteer marked “%(summary)s” done. Please confirm it, or reopen it."),
    link=NEED,
)
register(
    "need_released",
    _("Your need “%(summary)s” is back on the board: its volunteer released it."),
    link=NEED,
)
register("need_confirmed", _("“%(summary)s” is confirmed done. Thank you!"), link=NEED)
register(
    "need_auto_confirmed",
    _("“%(summary)s” is closed as done: its requester did not answer in time. Thank you!"),
    link=NEED,
)
register(
    "need_reopened",
    _("The requester of “%(summary)s” says it wasn't done; it is back on the board."),
    link=NEED,
)
register(
    "need_cancelled",
    _("“%(summary)s”, which you were helping with, was cancelled by the person who posted it."),
)
register(
    "need_expired",
    _("Your need “%(summary)s” closed: nobody could take it on in time."),
    link=NEED,
)
register(
    "volunteer_left",
    _(
        "Your need “%(summary)s” is back on the board: its volunteer can no longer help. "
        "Another neighbor can take it on."
    ),
    link=NEED,
)
register(
    "requester_left",
    _("A neighbor whose need you were helping with left the network; the need was cancelled."),
)
register(
    "need_hidden",
    _(
        "The safety officers hid “%(summary)s”, which you were helping with: you are released "
        "from it."
    ),
)
