"""What organizers hear from the organizers' room. Never the words of a neighbor's message: only
that one is waiting, and where."""

from django.utils.translation import gettext_lazy as _

from mutualaid.lib.notices import register

register(
    "contact_message",
    _("A message from a neighbor is waiting."),
    link=("dispatch:contact_inbox", "?message"),
)
