"""Helpers for the trust tests."""

from contextlib import contextmanager
from datetime import timedelta

from django.utils import timezone

from mutualaid.accounts.models import Member
from mutualaid.test import make_member
from mutualaid.trust.models import Invite, Level, TrustEvent, Vouch


def trust_snapshot() -> dict[str, list[dict]]:
    return {
        "members": list(Member.objects.order_by("pk").values()),
        "vouches": list(Vouch.objects.order_by("pk").values()),
        "events": list(TrustEvent.objects.order_by("pk").values()),
        "invites": list(Invite.objects.order_by("pk").values()),
    }


@contextmanager
def trust_unchanged(test):
    """Fail ``test`` unless the block leaves members, vouches, invites and trust events alone."""
    before = trust_snapshot()
    yield
    test.assertEqual(trust_snapshot(), before)


def make_newcomer(handle, **fields):
    return make_member(handle, level=Level.NEWCOMER, **fields)


def make_new_voucher(handle, *, days=1):
    """A member vouched ``days`` ago (so still inside the default 14-day wait)."""
    member = make_member(handle)
    since = timezone.now() - timedelta(days=days)
    Member.objects.filter(pk=member.pk).update(approved_at=since, vouched_since=since)
    member.refresh_from_db()
    return member


def queries_for(client, url) -> tuple[int, object]:
    """How many queries a GET of ``url`` makes, and the response."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return len(queries), response
