"""The open needs as plain text, for organizers to paste into a group chat or print on a flyer.

Each need is a short block: its summary, its area and how soon, and the full address of its page
(members open it there, logged in). The rows come from aid.selectors.shareable_needs, so no
organizers-only or hidden need, no handle and no private word can reach the text.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from mutualaid.aid import selectors
from mutualaid.aid.models import Urgency

# The text lists the first so many needs and says how many more the board holds: a city's 10,000
# open needs make no message anyone reads, and a page that stays small.
SHARE_LIMIT = 200


@dataclass(frozen=True)
class NeedsText:
    text: str
    shown: int
    total: int

    @property
    def more(self) -> int:
        return self.total - self.shown


def one_line(text: str) -> str:
    """A member's words on one line, their spacing kept plain."""
    return " ".join(text.split())


def need_block(need, link: Callable[[str], str]) -> str:
    """One need of shareable_needs: summary, then area and how soon, then its address."""
    return "\n".join(
        [
            one_line(need.summary),
            f"{need.area__name} · {Urgency(need.urgency).label}",
            link(reverse("aid:need", args=[need.code])),
        ]
    )


def open_needs_text(
    *, filters: dict, heading: str, link: Callable[[str], str], board_path: str
) -> NeedsText:
    """The open needs ``filters`` keep (shareable_needs' arguments), most urgent first, then
    oldest: ``heading``, then a block per need, up to SHARE_LIMIT, then how many more there are
    and where (``board_path``, made absolute by ``link``). Two queries: the count, the rows."""
    needs = selectors.shareable_needs(**filters)
    total = needs.count()
    rows = list(needs[:SHARE_LIMIT]) if total else []
    blocks = [f"{heading} ({total})"] + [need_block(need, link) for need in rows]
    if not rows:
        blocks.append(_("No open needs right now."))
    if total > len(rows):
        blocks.append(
            _("…and %(count)d more on the board: %(link)s")
            % {"count": total - len(rows), "link": link(board_path)}
        )
    return NeedsText(text="\n\n".join(blocks) + "\n", shown=len(rows), total=total)
