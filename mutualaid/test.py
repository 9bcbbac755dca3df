"""The personas every test starts from.

- requester: posts needs
- volunteer: claims them
- organizer: keeps the network running and may read private details
- outsider: a member with no part in the records under test (an outsider must always be refused)
"""

from contextlib import contextmanager
from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from mutualaid.accounts.models import Member
from mutualaid.aid import services
from mutualaid.aid.models import (
    Category,
    Claim,
    Message,
    Need,
    Offer,
    OfferKind,
    TimelineEvent,
    Urgency,
)
from mutualaid.areas.models import Area
from mutualaid.lib import network_name
from mutualaid.trust.models import Level, Role, RoleGrant

PASSWORD = "correct horse battery"  # noqa: S105 (the personas' test password)


def make_areas():
    north = Area.objects.create(name="Northside")
    central = Area.objects.create(name="Central")
    south = Area.objects.create(name="Southside")
    far = Area.objects.create(name="Far Hills")
    north.neighbors.add(central)
    central.neighbors.add(south)
    return north, central, south, far


def make_member(handle, *, area=None, organizer=False, level=Level.VOUCHED, roles=()):
    """A member; by default vouched (approved two months ago). ``organizer`` means an admin who
    also dispatches (so reads private text and matches needs, by the role policy)."""
    fields = {"home_area": area, "level": level}
    if level == Level.VOUCHED:
        fields["approved_at"] = fields["vouched_since"] = timezone.now() - timedelta(days=60)
    member = Member.objects.create_user(handle, PASSWORD, **fields)
    for role in {*roles, *([Role.ADMIN, Role.DISPATCHER] if organizer else [])}:
        RoleGrant.objects.create(member=member, role=role)
    return member


def record_counts() -> dict[str, int]:
    """How many rows of each kind a refused request could have written."""
    return {
        model.__name__: model.objects.count()
        for model in (Need, Offer, Claim, Message, TimelineEvent)
    }


def snapshot() -> dict[str, list[dict]]:
    """Every need, claim, message, offer and timeline event, as plain values."""
    return {
        "needs": list(Need.objects.order_by("pk").values()),
        "claims": list(Claim.objects.order_by("pk").values()),
        "messages": list(Message.objects.order_by("pk").values()),
        "offers": list(Offer.objects.order_by("pk").values()),
        "offer_categories": list(Offer.categories.through.objects.order_by("pk").values()),
        "offer_areas": list(Offer.areas.through.objects.order_by("pk").values()),
        "events": list(TimelineEvent.objects.order_by("pk").values()),
    }


@contextmanager
def changes_nothing(test):
    """Fail ``test`` unless the block leaves every row as it found it.

    Use it outside the assertRaises, so that the comparison runs after the refusal was caught::

        with changes_nothing(self), self.assertRaises(Refusal):
            services.need_claim(need=need, member=self.requester)
    """
    before = snapshot()
    yield
    test.assertEqual(snapshot(), before)


class BaseTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.north, cls.central, cls.south, cls.far = make_areas()
        cls.groceries = Category.objects.get(slug="groceries")
        cls.rides = Category.objects.get(slug="rides")
        cls.requester = make_member("rosa", area=cls.north)
        cls.volunteer = make_member("vic", area=cls.central)
        cls.organizer = make_member("olga", area=cls.central, organizer=True)
        cls.outsider = make_member("otto", area=cls.south)

    @classmethod
    def _pre_setup(cls):
        super()._pre_setup()
        # A server keeps the network's name in the cache and reads it afresh only when it changes
        # or every few minutes (lib/network_name.py); each test starts that way, so a page's counted
        # queries are the ones it makes on a server. (conftest.py empties the cache before.)
        network_name.get()

    def post_need(self, requester=None, **fields):
        values = {
            "requester": requester or self.requester,
            "category": self.groceries,
            "area": self.north,
            "summary": "Groceries for a family of four",
            "details": f"Flat 3B, ring twice. Allergic to peanuts. {CANARY}",
            "urgency": Urgency.SOON,
        }
        values.update(fields)
        return services.need_post(**values)

    def claimed_need(self, **fields):
        need = self.post_need(**fields)
        services.need_claim(need=need, member=self.volunteer)
        need.refresh_from_db()
        return need

    def fulfilled_need(self, **fields):
        """A need the volunteer holds and has marked done, waiting for the requester."""
        need = self.claimed_need(**fields)
        services.need_mark_fulfilled(need=need, member=self.volunteer)
        return need

    def post_offer(self, offerer=None, **fields):
        """A one-off offer of groceries in the north, by the volunteer unless ``offerer``."""
        values = {
            "offerer": offerer or self.volunteer,
            "categories": [self.groceries],
            "areas": [self.north],
            "summary": "I can shop on Saturdays",
            "kind": OfferKind.ONE_OFF,
        }
        values.update(fields)
        return services.offer_post(**values)


# A string no page, log line or error page may show to anyone without the right to it. The default
# private details of post_need hold it, and so do the messages and contacts of the fixtures below;
# conftest.py fails any test during which it reaches a log record.
CANARY = "canary-6b1d-private"


def make_released_claimant(need, *, volunteer=None, then=None):
    """A volunteer who claimed ``need``, wrote to the requester, then released it.

    ``volunteer``: who does it (a new member, "rey", unless given). ``then``: the member who claims
    the need after them, if any. Returns the released volunteer.
    """
    released = volunteer or make_member("rey")
    services.need_claim(need=need, member=released)
    services.message_send(need=need, sender=released, body=f"I can come at six. {CANARY}")
    services.need_release(need=need, member=released)
    if then is not None:
        services.need_claim(need=need, member=then)
    need.refresh_from_db()
    return released


def share_private_text(need):
    """Messages both ways and a shared contact on the need's live claim, each holding CANARY."""
    need.refresh_from_db()
    services.message_send(need=need, sender=need.requester, body=f"Door code 4471. {CANARY}")
    services.message_send(need=need, sender=need.claimant, body=f"See you at six. {CANARY}")
    services.contact_share(
        need=need, member=need.requester, kind="text", value=f"Ask at the shop. {CANARY}"
    )


def settings_of_a_process(expression: str, *, without=(), **env):
    """The JSON of ``expression`` (over ``s``, mutualaid.settings) as a fresh process started with
    ``env`` (and none of the variables named in ``without``) has it: settings.py reads the
    environment once, at import."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    base = {k: v for k, v in os.environ.items() if k not in set(without)}
    code = f"import json, mutualaid.settings as s; print(json.dumps({expression}, default=str))"
    result = subprocess.run(  # noqa: S603 (our own interpreter, a fixed program)
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[1],
        env={**base, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def require_redis(url: str) -> None:
    """Skip the test class (SkipTest) unless a Redis answers at ``url``."""
    from unittest import SkipTest

    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        raise SkipTest(f"Redis does not answer at {url}") from None
    finally:
        client.close()
