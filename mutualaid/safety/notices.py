"""What members hear from the safety officers."""

from django.utils.translation import gettext_lazy as _

from mutualaid.lib.notices import register

register("report_handled", _("Thank you: your report about %(subject)s has been handled."))
register(
    "report_handled_message",
    _("Thank you: your report about a message about “%(summary)s” has been handled."),
)
register("warned", _("A warning from the network's safety officers: %(note)s"))
register(
    "report_filed",
    _("A new safety report is waiting in the queue."),
    link=("safety:report_detail", "report"),
)
