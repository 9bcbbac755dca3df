"""Who hears what beyond a need's own people: volunteers about needs they could help with, and
organizers about what is waiting. Public facts only: a need's summary and code, a count."""

from django.utils.translation import gettext_lazy as _

from mutualaid.lib.notices import register

NEED = ("aid:need", "need")

register(
    "need_opened",
    _("A need near you that you could help with: “%(summary)s”."),
    link=NEED,
)
register("need_waiting", _("A new need is waiting: “%(summary)s”."), link=NEED)
register(
    "need_unclaimed",
    _("Nobody has taken on the urgent need “%(summary)s” yet."),
    link=NEED,
)
register(
    "newcomers_waiting",
    _("%(count)s newcomers are waiting for a vouch or an approval."),
)
register("need_awaits_triage", _("A new need waits for triage: “%(summary)s”."), link=NEED)
