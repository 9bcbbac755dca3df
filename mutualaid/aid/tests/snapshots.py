"""Proof that a refused action wrote nothing: compare every row a service could touch."""

from contextlib import contextmanager

from mutualaid.aid.models import Claim, Message, Need, Offer, TimelineEvent


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

        with changes_nothing(self), self.assertRaises(services.ActionRefused):
            services.need_claim(need=need, member=self.requester)
    """
    before = snapshot()
    yield
    test.assertEqual(snapshot(), before)
