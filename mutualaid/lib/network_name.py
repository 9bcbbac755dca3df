"""The network's name as people see it (the header, every page's title, emails, chat), kept in the
cache so that a page pays no query for it.

The name is the network app's (``NetworkSettings.name``): it registers here how to read it from the
database, so the apps below it (accounts' password email) read the name without importing it. On a
miss the name is read once and kept under one key for TIMEOUT seconds; a change of the name deletes
the key once it commits (``forget``), so the next page of every process (the cache is shared, Redis
in production) shows the new name. The timeout bounds how long a change made outside Django, or a
read that raced a change, goes unseen. settings.SITE_NAME is the name until one is set.

Each process also keeps the name in its own memory for HERE_SECONDS, so that a page does not ask
the shared cache for it every time: a change shows at once in the process that made it, and in the
others within HERE_SECONDS.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache

from .cache import also_forget

KEY = "network:name"
TIMEOUT = 300  # seconds
HERE_SECONDS = 10
_here: dict[str, tuple[float, str]] = {}  # "name": (until, name), this process's copy

# How to read the stored name (None: none is stored yet); set by the network app when it is ready.
SOURCE: dict[str, Callable[[], str | None]] = {}


def register(source: Callable[[], str | None]) -> None:
    SOURCE["name"] = source


def get() -> str:
    """The network's name: from this process's copy, the cache, or read from the database (one
    query) and kept."""
    here = _here.get("name")
    now = time.time()
    if here is not None and here[0] > now:
        return here[1]
    name = cache.get(KEY)
    if name is None:
        source = SOURCE.get("name")
        if source is None:
            return settings.SITE_NAME
        name = source() or settings.SITE_NAME
        cache.set(KEY, name, TIMEOUT)
    _here["name"] = (now + HERE_SECONDS, name)
    return name


def forget() -> None:
    """Drop the kept name: the next read takes it from the database again."""
    forget_here()
    cache.delete(KEY)


def forget_here() -> None:
    """Drop this process's copy only (when the cache is cleared: lib/cache.py)."""
    _here.clear()


also_forget(forget_here)
