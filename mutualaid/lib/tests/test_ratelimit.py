import uuid
from datetime import UTC, datetime, timedelta

import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import RequestFactory, SimpleTestCase, override_settings

from mutualaid.lib import network_name, ratelimit
from mutualaid.test import require_redis, settings_of_a_process

# A window's start: the hour 10:00 begins a 3600-second window.
TEN = datetime(2025, 3, 10, 10, 0, tzinfo=UTC)
LIMITS = {"tries": (3, 3600), "off": (0, 3600)}
REDIS_TEST_URL = "redis://127.0.0.1:6379/15"


class RateLimitTests:
    """The limiter's behaviour, on whichever cache the subclass sets up (with LIMITS)."""

    def test_it_allows_up_to_the_limit_then_refuses(self):
        with time_machine.travel(TEN, tick=False):
            for _ in range(3):
                self.assertEqual(ratelimit.hit("tries", "rosa"), (True, 0))
            self.assertEqual(ratelimit.hit("tries", "rosa"), (False, 3600))
            self.assertEqual(ratelimit.hit("tries", "rosa"), (False, 3600))

    def test_it_says_how_long_until_the_window_ends(self):
        with time_machine.travel(TEN, tick=False):
            for _ in range(3):
                ratelimit.hit("tries", "rosa")
        with time_machine.travel(TEN + timedelta(minutes=45), tick=False):
            self.assertEqual(ratelimit.hit("tries", "rosa"), (False, 15 * 60))

    def test_a_new_window_starts_a_new_count(self):
        with time_machine.travel(TEN, tick=False):
            for _ in range(4):
                ratelimit.hit("tries", "rosa")
        with time_machine.travel(TEN + timedelta(hours=1), tick=False):
            self.assertEqual(ratelimit.hit("tries", "rosa"), (True, 0))

    def test_each_identifier_and_scope_counts_apart(self):
        with (
            override_settings(RATE_LIMITS={**LIMITS, "other": (3, 3600)}),
            time_machine.travel(TEN, tick=False),
        ):
            for _ in range(3):
                ratelimit.hit("tries", "rosa")
            self.assertEqual(ratelimit.hit("tries", "vic"), (True, 0))
            self.assertEqual(ratelimit.hit("other", "rosa"), (True, 0))
            self.assertFalse(ratelimit.hit("tries", "rosa")[0])

    def test_check_reads_the_count_without_adding_to_it(self):
        with time_machine.travel(TEN, tick=False):
            for _ in range(2):
                ratelimit.hit("tries", "rosa")
            for _ in range(5):
                self.assertEqual(ratelimit.check("tries", "rosa"), (True, 0))
            ratelimit.hit("tries", "rosa")
            self.assertEqual(ratelimit.check("tries", "rosa"), (False, 3600))

    def test_a_limit_of_zero_is_off(self):
        for _ in range(10):
            self.assertEqual(ratelimit.hit("off", "rosa"), (True, 0))
        self.assertEqual(ratelimit.check("off", "rosa"), (True, 0))

    def test_an_unknown_scope_fails_loudly(self):
        with self.assertRaisesMessage(KeyError, "No rate limit named 'nope'"):
            ratelimit.hit("nope", "rosa")


@override_settings(RATE_LIMITS=LIMITS)
class LocalMemoryRateLimitTestCase(RateLimitTests, SimpleTestCase):
    """The default cache (local memory), which conftest.py empties before each test."""

    def test_the_cache_holds_no_address_or_handle_in_clear(self):
        with time_machine.travel(TEN, tick=False):
            ratelimit.hit("tries", "203.0.113.9")
        keys = list(cache._cache)
        self.assertEqual(len(keys), 1)
        self.assertNotIn("203.0.113.9", keys[0])
        self.assertIn("ratelimit:tries:", keys[0])


@override_settings(RATE_LIMITS=LIMITS)
class RedisRateLimitTestCase(RateLimitTests, SimpleTestCase):
    """The same limiter on a real Redis (database 15), under a key prefix of this run's own."""

    @classmethod
    def setUpClass(cls):
        require_redis(REDIS_TEST_URL)
        super().setUpClass()

    def setUp(self):
        import redis

        # Entered here, not on the class: conftest.py's cache.clear() runs before setUp, so it
        # empties local memory, never this Redis database.
        self.prefix = f"test-ratelimit-{uuid.uuid4().hex}"
        self.enterContext(
            override_settings(
                CACHES={
                    "default": {
                        "BACKEND": "mutualaid.lib.cache.RedisCache",
                        "LOCATION": REDIS_TEST_URL,
                        "KEY_PREFIX": self.prefix,
                    }
                }
            )
        )
        self.redis = redis.Redis.from_url(REDIS_TEST_URL)
        self.addCleanup(self.redis.close)
        self.addCleanup(self.delete_own_keys)

    def delete_own_keys(self):
        keys = list(self.redis.scan_iter(match=f"{self.prefix}:*"))
        if keys:
            self.redis.delete(*keys)

    def test_it_counts_in_redis(self):
        with time_machine.travel(TEN, tick=False):
            ratelimit.hit("tries", "rosa")
            ratelimit.hit("tries", "rosa")
        keys = list(self.redis.scan_iter(match=f"{self.prefix}:*"))
        self.assertEqual(len(keys), 1)
        self.assertIn(b":ratelimit:tries:", keys[0])
        self.assertEqual(int(self.redis.get(keys[0])), 2)
        self.assertGreater(self.redis.ttl(keys[0]), 0)  # it expires on its own


class ClientAddressTestCase(SimpleTestCase):
    def setUp(self):
        self.factory = RequestFactory()

    def test_it_reads_remote_addr(self):
        request = self.factory.get("/", REMOTE_ADDR="203.0.113.9")
        self.assertEqual(ratelimit.client_address(request), "203.0.113.9")

    def test_it_ignores_x_forwarded_for_by_default(self):
        request = self.factory.get(
            "/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1"
        )
        self.assertEqual(ratelimit.client_address(request), "203.0.113.9")

    @override_settings(RATE_LIMIT_TRUST_X_FORWARDED_FOR=True)
    def test_behind_a_trusted_proxy_it_reads_the_address_the_proxy_appended(self):
        request = self.factory.get(
            "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.1"
        )
        self.assertEqual(ratelimit.client_address(request), "198.51.100.1")

    @override_settings(RATE_LIMIT_TRUST_X_FORWARDED_FOR=True)
    def test_behind_a_trusted_proxy_without_the_header_it_reads_remote_addr(self):
        request = self.factory.get("/", REMOTE_ADDR="10.0.0.2")
        self.assertEqual(ratelimit.client_address(request), "10.0.0.2")


class TooManyRequestsTestCase(SimpleTestCase):
    def test_it_says_in_words_when_to_try_again(self):
        request = RequestFactory().post("/")
        request.user = AnonymousUser()
        cache.set(network_name.KEY, "Eastside Aid")  # the network's name, kept as on a server
        with time_machine.travel(TEN, tick=False):
            response = ratelimit.too_many_requests(request, 12 * 60)
        self.assertEqual(response.status_code, 429)
        self.assertEqual(response["Retry-After"], "720")
        self.assertContains(response, "Too many tries for now", status_code=429)
        self.assertContains(response, "try again in 12\xa0minutes", status_code=429)
        self.assertContains(response, "after 10:12", status_code=429)
        self.assertContains(response, 'name="viewport"', status_code=429)  # our base page
        self.assertContains(response, "<title>Too many tries · Eastside Aid<", status_code=429)


class CacheSettingsTestCase(SimpleTestCase):
    """settings.py: local memory by default, Django's Redis cache when REDIS_URL is set (each as
    lib/cache.py has it)."""

    def caches_with(self, **env):
        return settings_of_a_process(
            "[s.CACHES, s.RATE_LIMITS]", without=("REDIS_URL", "REDIS_URL_FILE"), **env
        )

    def test_the_default_is_local_memory_with_the_default_limits(self):
        caches, limits = self.caches_with()
        self.assertEqual(caches["default"]["BACKEND"], "mutualaid.lib.cache.LocMemCache")
        self.assertEqual(
            limits,
            {
                "signup": [5, 3600],
                "signup-attempts": [20, 3600],
                "login-handle": [10, 900],
                "login-address": [30, 900],
                "password-reset-address": [20, 3600],
                "password-reset-handle": [5, 3600],
                "newcomer-posts": [5, 86400],
                "messages": [30, 3600],
                "vouches": [10, 86400],
                "vouch-requests": [1, 86400],
                "reports": [10, 86400],
                "contact": [5, 3600],
                "new-references": [10, 3600],
                "api": [120, 60],
                "api-bad-tokens": [30, 3600],
            },
        )

    def test_redis_url_chooses_the_redis_cache_and_limits_come_from_the_environment(self):
        caches, limits = self.caches_with(
            REDIS_URL="redis://127.0.0.1:6379/3", RATE_LIMIT_MESSAGES_PER_HOUR="12"
        )
        self.assertEqual(
            caches["default"],
            {
                "BACKEND": "mutualaid.lib.cache.RedisCache",
                "LOCATION": "redis://127.0.0.1:6379/3",
                "KEY_PREFIX": "mutualaid",
            },
        )
        self.assertEqual(limits["messages"], [12, 3600])
