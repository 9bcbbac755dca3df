"""The cache backends settings.CACHES names: Django's, with two changes.

Values kept in a process's own memory in front of the cache (a page's kept fragments, the network's
name) register here with ``also_forget``, and go when the cache is cleared, so that a cleared cache
means nothing kept anywhere in the process that cleared it.

Django's Redis cache, with one Redis client per connection pool instead of one per call.

Django's RedisCacheClient makes a new ``redis.Redis`` for every cache call, and each one builds
its table of about 170 response callbacks: two or three calls a page (the session, a kept
fragment, a rate limit) spent more building clients than talking to Redis. A client is safe to
share between threads (it takes a connection from its pool for each command) and across a fork
(the pool notices the new process and opens its own connections).
"""

from collections.abc import Callable

from django.core.cache.backends import locmem, redis

_forgetters: list[Callable[[], None]] = []


def also_forget(forget: Callable[[], None]) -> None:
    """Call ``forget`` whenever the cache is cleared (in this process)."""
    _forgetters.append(forget)


class _ForgetsKeptHere:
    def clear(self):
        super().clear()
        for forget in _forgetters:
            forget()


class KeptClients(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class LocMemCache(_ForgetsKeptHere, locmem.LocMemCache):
    """settings.CACHES names this backend without REDIS_URL (one process's memory)."""


class RedisCache(_ForgetsKeptHere, redis.RedisCache):
    """settings.CACHES names this backend when REDIS_URL is set."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = KeptClients
