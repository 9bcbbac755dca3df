"""Django's makemessages (`make messages`), without msgmerge's guesses.

By default msgmerge gives a new string the translation of an old one that looks like it, marked
fuzzy: "Needs per week" would come in as "Necesidades abiertas". A new string comes in empty here,
so that nothing reads as translated until someone translated it.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
