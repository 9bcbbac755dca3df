"""Channels beyond the app (email, chat tools): a registry the outbox worker reads.

A channel is a name, a test of whether a member can receive by it (an email address, a chat hook),
and a ``send(notice)`` that raises on failure. The in-app channel needs none of this: a notice is
in the app the moment its transaction commits. Each channel registered here gets an outbox row
(``accounts.Delivery``) per notice, written in the notice's own transaction and delivered by the
worker after the commit.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

MAX_ATTEMPTS = 6
# A row still "sending" this long after its claim was left by a worker that died mid-send (killed,
# or the machine went down). Whether the far end got it is unknowable, so it is never sent again:
# it is marked failed ("Interrupted") for an organizer to review (see accounts.deliveries_recover).
STUCK_AFTER = timedelta(minutes=15)


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: 1, 2, 4, 8, 16 minutes..."""
    return timedelta(minutes=2 ** max(attempts - 1, 0))


@dataclass(frozen=True)
class Channel:
    name: str
    accepts: Callable  # (member, kind) -> bool
    send: Callable  # (notice) -> None; raises on failure


CHANNELS: dict[str, Channel] = {}


def register(channel: Channel) -> Channel:
    CHANNELS[channel.name] = channel
    return channel


def unregister(name: str) -> None:
    CHANNELS.pop(name, None)


def for_member(member, kind: str) -> list[Channel]:
    return [channel for channel in CHANNELS.values() if channel.accepts(member, kind)]
