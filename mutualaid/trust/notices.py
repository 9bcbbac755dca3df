"""What members hear about their trust: vouches, approval, suspension."""

from django.utils.translation import gettext_lazy as _

from mutualaid.lib.notices import register

register("vouch_received", _("%(voucher)s vouched for you."))
register("vouch_revoked", _("A vouch for you was revoked."))
register("approved", _("An organizer approved you: you can now take on needs."))
register("approval_withdrawn", _("An organizer withdrew your approval."))
register("vouched_now", _("You are now a vouched member: you can take on needs."))
register("suspended", _("Your account is suspended: %(reason)s"))
register("unsuspended", _("Your suspension is lifted."))
register(
    "held_for_review",
    _("The member who vouched for you was suspended: you need a new vouch."),
)
register(
    "vouch_requested",
    _("%(handle)s, new in %(area)s, asks to be vouched for. Vouch only if you know them."),
    link=("trust:vouch", "?handle"),
)
