"""What the real-server tests write into their scratch database before the servers start, and
read from it afterwards: run inside a Django process of the servers' own environment (see
servers.in_django), never inside the test process, whose database is another.

Each function returns plain values (JSON) for the test to use: codes, handles, what is stored.
"""

from django.core.management import call_command

from mutualaid.aid import services
from mutualaid.aid.models import Category, Claim, Message, Need, NeedStatus, Urgency
from mutualaid.areas.models import Area
from mutualaid.network.models import NetworkSettings
from mutualaid.test import make_member

# Enough for the volunteers of a write load never to meet their limit of needs held at once.
LOAD_CLAIM_CAP = 10_000


def prepare() -> None:
    """A fresh database as a server's is: migrated, static files collected (DEBUG off serves them
    from the collected manifest)."""
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def _form_values(area: Area) -> dict:
    """What the posting form needs besides the words: an area and a kind of help."""
    return {"area": str(area.code), "category": Category.objects.order_by("position")[0].slug}


def write_load(requesters: list[str], volunteers: list[str]) -> dict:
    """Members who post needs and volunteers who claim them, as many as they like."""
    prepare()
    area = Area.objects.create(name="Riverside")
    for handle in requesters + volunteers:
        make_member(handle, area=area)
    NetworkSettings.objects.filter(pk=NetworkSettings.load().pk).update(
        max_active_claims=LOAD_CLAIM_CAP
    )
    return _form_values(area)


def two_servers(requester: str, volunteers: list[str], others: list[str], needs: int) -> dict:
    """A requester with ``needs`` open needs on the board, volunteers to race for them, and
    other members (to log in and out, and to fail logging in)."""
    prepare()
    area = Area.objects.create(name="Hillside")
    poster = make_member(requester, area=area)
    for handle in volunteers + others:
        make_member(handle, area=area)
    # Room for every need: the loser of each race loses to the other volunteer, never to a
    # limit reached after winning five races before.
    settings = NetworkSettings.load()
    NetworkSettings.objects.filter(pk=settings.pk).update(
        max_active_claims=max(needs, settings.max_active_claims)
    )
    category = Category.objects.order_by("position")[0]
    codes = [
        services.need_post(
            requester=poster,
            category=category,
            area=area,
            summary=f"Groceries for a neighbor, list {chr(ord('a') + n)}",
            urgency=Urgency.SOON,
        ).code
        for n in range(needs)
    ]
    return {"needs": [str(code) for code in codes]}


def stored() -> dict:
    """Every need (code, summary), live claim (need, volunteer) and message (need, sender, body),
    and each claimed need's claimant, to compare with what the servers acknowledged."""
    return {
        "needs": [
            [str(code), summary] for code, summary in Need.objects.values_list("code", "summary")
        ],
        "live_claims": [
            [str(code), handle]
            for code, handle in Claim.objects.filter(ended_at__isnull=True).values_list(
                "need__code", "volunteer__handle"
            )
        ],
        "claimed": [
            [str(code), handle]
            for code, handle in Need.objects.filter(status=NeedStatus.CLAIMED).values_list(
                "code", "claimant__handle"
            )
        ],
        "messages": [
            [str(message.claim.need.code), message.sender.handle, str(message.body)]
            for message in Message.objects.select_related("claim__need", "sender")
        ],
    }
