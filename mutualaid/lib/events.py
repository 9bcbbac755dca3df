"""Events on commit: how a lower app tells the apps above it that something changed.

An app may not import the apps above it. When a change in it matters to them (the network's
required vouches changed: trust must work out levels again), its service calls ``emit`` inside
its transaction; each handler that a higher app ``subscribe``d (in its ``ready()``) runs once the
transaction commits, and never if it rolls back. Handlers receive ids and field names, never
private text, and should hand anything slow to a background task.
"""

from collections import defaultdict
from collections.abc import Callable

from django.db import transaction

HANDLERS: dict[str, list[Callable]] = defaultdict(list)


def subscribe(name: str, handler: Callable) -> None:
    if handler not in HANDLERS[name]:
        HANDLERS[name].append(handler)


def emit(name: str, **data) -> None:
    """Run every handler of ``name`` with ``data`` after the current transaction commits."""
    for handler in list(HANDLERS.get(name, ())):
        transaction.on_commit(lambda handler=handler: handler(**data))
