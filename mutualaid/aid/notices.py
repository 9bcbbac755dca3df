"""What the people of a need hear about it, in the app (and, once they choose, by other channels).

Only public facts: the need's summary and code. Never its details, messages or contact, and never
an anonymous requester's handle.
"""

from django.utils.translation import gettext_lazy as _

from mutualaid.lib.notices import register

NEED = ("aid:need", "need")

register("need_claimed", _("A volunteer has taken on your need “%(summary)s”."), link=NEED)
# Kept so that notices written before matches became proposals still read as they did.
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
# Proposals: the volunteer is asked; the requester and whoever proposed it hear the answer.
register(
    "match_proposed",
    _("An organizer matched you with “%(summary)s”: will you accept? Answer on its page."),
    link=NEED,
)
register(
    "offer_proposed",
    _("Your offer was taken up for “%(summary)s”. Accept or decline it on its page."),
    link=NEED,
)
register(
    "proposal_accepted",
    _("The volunteer you matched with “%(summary)s” accepted: they hold it now."),
    link=NEED,
)
register(
    "proposal_declined",
    _("The volunteer asked to take on “%(summary)s” declined; it is free for someone else."),
    link=NEED,
)
register(
    "proposal_expired",
    _(
        "The volunteer asked to take on “%(summary)s” did not answer in time; it is free for "
        "someone else."
    ),
    link=NEED,
)
register(
    "proposal_lapsed",
    _("You did not answer in time: “%(summary)s” was offered to others instead."),
)
register(
    "proposal_withdrawn",
    _("“%(summary)s”, which you were asked to take on, no longer needs your answer."),
)
# Check-ins: a claim with no sign of life.
register(
    "check_in",
    _("Are you still on “%(summary)s”? Say so, or release it, on its page."),
    link=NEED,
)
register(
    "check_in_lapsed",
    _("You did not say you were still on “%(summary)s”, so it was released for others."),
)
register(
    "check_in_released",
    _(
        "Your need “%(summary)s” is free again: its volunteer did not say they were still on "
        "it. Another neighbor can take it on."
    ),
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
# Follow-up: once a need closes as done, each side is asked privately how it went.
register(
    "feedback_asked",
    _(
        "“%(summary)s” is closed. Did you get what you needed, and did anything feel unsafe? "
        "Tell the organizers, privately."
    ),
    link=("safety:feedback", "need"),
)
# Recurring needs: the next one is posted when one closes as done.
register(
    "recurring_posted",
    _("“%(summary)s” repeats, so the next one is posted."),
    link=NEED,
)
register(
    "recurring_held",
    _(
        "“%(summary)s” repeats, but the next one could not be posted for you. Post it again "
        "when you need it."
    ),
    link=NEED,
)
register(
    "recurring_proposed",
    _(
        "“%(summary)s” is needed again, and you helped last time: you are asked first. Accept "
        "or decline it on its page."
    ),
    link=NEED,
)
# Triage: what a requester hears of the organizers' work on their new need, and what organizers
# hear of each other's. Never the words of a question, an answer, a note or a reason.
register(
    "need_published",
    _(
        "An organizer looked at your need “%(summary)s”: it is open now, and we will tell you "
        "when someone takes it on."
    ),
    link=NEED,
)
register(
    "need_prioritised",
    _("An organizer changed the priority of your need “%(summary)s” in the organizers' queue."),
    link=NEED,
)
register(
    "need_recategorised",
    _("An organizer moved your need “%(summary)s” to the kind of help “%(category)s”."),
    link=NEED,
)
register(
    "need_area_changed",
    _("An organizer moved your need “%(summary)s” to the area “%(area)s”."),
    link=NEED,
)
register(
    "need_for_organizers",
    _(
        "An organizer made your need “%(summary)s” organizers-only: it is off the board, and "
        "the organizers find someone for it."
    ),
    link=NEED,
)
register(
    "need_for_members",
    _(
        "An organizer opened your need “%(summary)s” to the members who can help: it can go on "
        "the board."
    ),
    link=NEED,
)
register(
    "more_asked",
    _("The organizers have a question about your need “%(summary)s”. Answer it on its page."),
    link=NEED,
)
register(
    "more_given",
    _("The requester of “%(summary)s” answered your question: read it on its page."),
    link=NEED,
)
register(
    "need_merged",
    _(
        "An organizer found another request for the same help as your need “%(summary)s” and "
        "joined them: the help goes on there."
    ),
    link=NEED,
)
register(
    "need_merged_own",
    _(
        "Your need “%(summary)s” was joined to your other request “%(other)s”, which asks for "
        "the same help: it goes on there."
    ),
    link=NEED,
)
register(
    "need_turned_down",
    _(
        "The organizers cannot take on your need “%(summary)s”. Why, and where else to turn, "
        "is on its page."
    ),
    link=NEED,
)
register(
    "note_added",
    _("An organizer added a note to “%(summary)s”, which you worked on."),
    link=NEED,
)
