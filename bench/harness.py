"""What the page benchmarks share: settings as a server has them, a scratch database migrated
with the project's migrations, and a page's median time and query count through the test client.

Imported after ``django.setup()`` (each benchmark sets Django up itself, from the project root).
"""

import os
import statistics
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mutualaid.lib.crypto import new_key_entry


def server_settings() -> None:
    """As a server runs: DEBUG off, static files from the source, a throwaway field key if none is
    set. Not setup_test_environment(): its template instrumentation (every template rendered
    copies its context for the test client) is a test's cost, which a server does not pay. Only
    the password hasher is a test's, so that building thousands of members is quick."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if not settings.FIELD_KEYS:
        settings.FIELD_KEYS = new_key_entry("bench1")


@contextmanager
def scratch_database():
    """A fresh database, migrated, dropped afterwards: a temporary SQLite file (as a laptop's
    server has it, not memory), or a database of its own on the PostgreSQL server that
    DATABASE_URL names."""
    old_name = connection.settings_dict["NAME"]
    scratch = None
    if connection.vendor == "sqlite":
        handle, scratch = tempfile.mkstemp(suffix=".sqlite3")
        os.close(handle)
        connection.settings_dict["TEST"]["NAME"] = scratch
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if scratch is not None:
            Path(scratch).unlink(missing_ok=True)


def timed(client, url: str, samples: int, *, cold: bool = False) -> tuple[float, int]:
    """The page's median time in ms over ``samples`` requests (after one that must be a 200),
    and its number of queries. ``cold``: the cache is emptied before each request, so that a page
    keeping rendered fragments renders them every time (as after a write to what they show)."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(samples):
        if cold:
            cache.clear()
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), len(queries)


def warm_and_cold(client, pages, samples: int, *, after=None) -> None:
    """Print each page's median served again (warm) and with the cache emptied before each
    request (cold, as after a write), with its queries and the ratio to the first page (the
    trivial one); ``after(url)``, if given, prints more about each page below its line."""
    print(
        "warm: as served again with nothing changed; cold: the cache emptied before each "
        "request, as after a write to what the page shows"
    )
    print(
        f"{'page':<30}{'warm ms':>9}{'x trivial':>11}{'queries':>9}"
        f"{'cold ms':>9}{'x trivial':>11}{'queries':>9}"
    )
    trivial = None
    for name, url in pages:
        median, queries = timed(client, url, samples)
        cold, cold_queries = timed(client, url, samples, cold=True)
        trivial = trivial or median
        print(
            f"{name:<30}{median:>9.1f}{median / trivial:>11.1f}{queries:>9}"
            f"{cold:>9.1f}{cold / trivial:>11.1f}{cold_queries:>9}"
        )
        if after is not None:
            after(url)


def timed_from_cold(client, url: str, samples: int) -> tuple[float, float, int, float]:
    """(the first request's ms with nothing kept in the cache, the median ms of ``samples`` more,
    the number of queries, the page's kB); the first must be a 200. A streamed answer (a CSV) is
    read to its end inside each timing: its rows are made as it is read."""
    cache.clear()
    started = time.perf_counter()
    response = client.get(url)
    body = _body(response)
    first = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        body = _body(client.get(url))
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        _body(client.get(url))
    return first, statistics.median(times), len(queries), len(body) / 1024


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content
