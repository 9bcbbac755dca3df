"""The Redis cache backend (mutualaid/lib/cache.py) on a real Redis: Django's, with one client
per connection pool kept instead of one made for every call."""

import threading
import uuid

from django.core.cache import caches
from django.test import SimpleTestCase, override_settings

from mutualaid.lib.tests.test_ratelimit import REDIS_TEST_URL
from mutualaid.test import require_redis


class KeptRedisClientTestCase(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        require_redis(REDIS_TEST_URL)
        super().setUpClass()

    def setUp(self):
        prefix = f"test-cache-{uuid.uuid4().hex}"
        backend = {"BACKEND": "mutualaid.lib.cache.RedisCache", "LOCATION": REDIS_TEST_URL}
        self.enterContext(override_settings(CACHES={"default": {**backend, "KEY_PREFIX": prefix}}))
        self.cache = caches["default"]
        # Only this test's keys: another suite may be using the same Redis database.
        self.addCleanup(self.cache.delete_many, ["a", "n", "count"])

    def test_it_reads_and_writes_as_django_redis_cache_does(self):
        self.cache.set("a", {"b": [1, 2]}, 60)
        self.assertEqual(self.cache.get("a"), {"b": [1, 2]})
        self.assertEqual(self.cache.get_many(["a", "missing"]), {"a": {"b": [1, 2]}})
        self.assertTrue(self.cache.add("n", 1, 60))
        self.assertFalse(self.cache.add("n", 5, 60))
        self.assertEqual(self.cache.incr("n"), 2)
        self.cache.delete("a")
        self.assertIsNone(self.cache.get("a"))

    def test_one_client_serves_every_call(self):
        first = self.cache._cache.get_client(write=True)
        self.cache.set("a", 1, 60)
        self.assertIs(self.cache._cache.get_client(), first)
        self.assertIs(self.cache._cache.get_client(write=True), first)

    def test_threads_share_the_client_and_every_count(self):
        self.cache.set("count", 0, 60)

        def count():
            for _ in range(50):
                self.cache.incr("count")

        threads = [threading.Thread(target=count) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(self.cache.get("count"), 200)
