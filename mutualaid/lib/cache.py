"""Django's Redis cache, with one Redis client per connection pool instead of one per call.

Django's RedisCacheClient makes a new ``redis.Redis`` for every cache call, and each one builds
its table of about 170 response callbacks: two or three calls a page (the session, a kept
fragment, a rate limit) spent more building clients than talking to Redis. A client is safe to
share between threads (it takes a connection from its pool for each command) and across a fork
(the pool notices the new process and opens its own connections).
"""

from django.core.cache.backends import redis


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


class RedisCache(redis.RedisCache):
    """settings.CACHES names this backend when REDIS_URL is set."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = KeptClients
