"""A member's page for organizers: their needs, claims, offers, proposals, vouches, and (for the
roles that read them) reports and feedback about them. Reading it is recorded, like any read of
private text (dispatch.selectors.member_record)."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from mutualaid.accounts.models import Member, Role
from mutualaid.accounts.policy import Capability
from mutualaid.lib.access import capability_required

from .. import selectors

LISTS = frozenset(
    {
        "needs",
        "claims",
        "offers",
        "proposals",
        "vouches_given",
        "vouches_received",
        "reports",
        "feedback",
    }
)


@require_GET
@capability_required(Capability.VIEW_TRUST)
def member_page(request, code):
    shown = get_object_or_404(Member.objects.select_related("home_area"), code=code)
    more = request.GET.get("more", "")
    record = selectors.member_record(shown, request.user, more=more if more in LISTS else "")
    languages = dict(selectors.spoken_languages())
    context = {
        "shown": shown,
        "record": record,
        "languages": [languages.get(code, code) for code in shown.languages],
        "roles": [Role(role).label for role in sorted(shown.roles)],
        "rows": selectors.MEMBER_PAGE_ROWS,
    }
    return render(request, "dispatch/member.html", context)
