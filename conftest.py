"""Suite-wide test settings that differ from a server's, set once before any test runs."""

import logging
import os
from pathlib import Path

import pytest
from django.conf import settings

TEST_FIELD_KEYS = (
    "t1:dGVzdC1rZXktb25lLW5ldmVyLWluLXByb2R1Y3Rpb24=,"
    "t2:dGVzdC1rZXktdHdvLW5ldmVyLWluLXByb2R1Y3Rpb24="
)


def pytest_configure(config):
    # Tests serve static files from the source tree, not from a collected, hashed manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
    # Background tasks run at once, inside the test, on the test's own database connection.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # A key ring of two keys, so that rotation is exercised; the newest ("t2") seals.
    settings.FIELD_KEYS = TEST_FIELD_KEYS
    # Argon2 at full strength makes every login in the suite slow; the hasher order is tested apart.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The rate limits count in local memory, never in a Redis that REDIS_URL may name: the suite
    # clears the cache between tests (see clear_cache), and must not empty a real one.
    settings.CACHES = {"default": {"BACKEND": "mutualaid.lib.cache.LocMemCache"}}
    # The chat tests post to a local HTTP endpoint on 127.0.0.1 (never anywhere else).
    settings.CHAT_ALLOW_PRIVATE_HOSTS = True
    compile_stale_catalogs()


def compile_stale_catalogs():
    """Compile each translation catalog whose .mo is missing or older than its .po, as `make`
    does (with Babel), so that the suite run without make reads the catalogs as they are."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in (
        po for path in settings.LOCALE_PATHS for po in Path(path).glob("*/LC_MESSAGES/*.po")
    ):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source:
                catalog = read_po(source, locale=po.parent.parent.name)
            written = mo.with_name(f"{mo.name}.{os.getpid()}")  # whole, or not at all
            with written.open("wb") as target:
                write_mo(target, catalog)
            written.replace(mo)


class LogWatch(logging.Handler):
    """Keeps the text of every log record, at every level, as a log file would have it."""

    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record):
        # Formatted at once: the message with its arguments, the traceback and the stack, if any.
        self.lines.append(self.format(record))

    def take(self) -> list[str]:
        lines, self.lines = self.lines, []
        return lines


LOG_WATCH = LogWatch()


def _loggers_to_watch() -> list[logging.Logger]:
    """The root, and every logger that keeps its records from the root (such as django.server)."""
    named = logging.Logger.manager.loggerDict.values()
    return [logging.getLogger()] + [
        logger for logger in named if isinstance(logger, logging.Logger) and not logger.propagate
    ]


def _watch_every_logger() -> None:
    for logger in _loggers_to_watch():
        if LOG_WATCH not in logger.handlers:
            logger.addHandler(LOG_WATCH)


@pytest.fixture(autouse=True, scope="session")
def log_watch():
    """Every logger logs at DEBUG during the suite, into LOG_WATCH; the console shows no more.

    The SQL log is on too (with its parameters), as a server logging at DEBUG would write it.
    """
    from django.db import connections

    root = logging.getLogger()
    handler_levels = {handler: handler.level for handler in root.handlers}
    for handler in root.handlers:
        handler.setLevel(max(handler.level, root.getEffectiveLevel()))
    named = logging.Logger.manager.loggerDict.values()
    logger_levels = {
        logger: logger.level
        for logger in [root, *named]
        if isinstance(logger, logging.Logger) and logger.level > logging.DEBUG
    }
    for logger in logger_levels:
        logger.setLevel(logging.DEBUG)
    # The SQL log goes to the watch alone, not to the console nor to pytest's report of a failure.
    sql_log = logging.getLogger("django.db.backends")
    sql_log.propagate = False
    _watch_every_logger()
    debug_cursors = {connection: connection.force_debug_cursor for connection in connections.all()}
    for connection in debug_cursors:
        connection.force_debug_cursor = True
    yield LOG_WATCH
    for connection, debug_cursor in debug_cursors.items():
        connection.force_debug_cursor = debug_cursor
    for logger in _loggers_to_watch():
        logger.removeHandler(LOG_WATCH)
    sql_log.propagate = True
    for logger, level in logger_levels.items():
        logger.setLevel(level)
    for handler, level in handler_levels.items():
        handler.setLevel(level)
    _fail_on_private_text(LOG_WATCH.take())


@pytest.fixture(autouse=True)
def no_private_text_in_logs(log_watch):
    """Fail the test if the canary of mutualaid.test reached any log record during it."""
    _watch_every_logger()  # loggers configured since the last test
    yield
    _fail_on_private_text(log_watch.take())


def _fail_on_private_text(lines: list[str]) -> None:
    from mutualaid.test import CANARY

    leaks = [line for line in lines if CANARY in line]
    if leaks:
        shown = "\n".join(f"  {_around(line, CANARY)}" for line in leaks[:10])
        pytest.fail(
            f"Private text (the canary {CANARY!r}) reached {len(leaks)} log record(s):\n{shown}\n"
            "Log a record's code or kind, never the words a member wrote.",
            pytrace=False,
        )


def _around(line: str, text: str, width: int = 150) -> str:
    """The record's first line, and where in it ``text`` is."""
    first = line.splitlines()[0][:200]
    at = line.index(text)
    return f"{first}\n    ...{line[max(0, at - width) : at + len(text) + width]!r}..."


@pytest.fixture(autouse=True)
def steady_query_log():
    """A captured query count stays what it was: a request outside a capture would otherwise
    empty the query log (reset_queries on request_started) that an earlier capture's count is
    read from, and ``len(capture)`` read later would count other queries."""
    from django.core.signals import request_started
    from django.db import reset_queries

    request_started.disconnect(reset_queries)
    yield
    request_started.connect(reset_queries)


@pytest.fixture(autouse=True)
def network_language():
    """Each test starts in the network's language: a request in another one leaves it active in
    the thread (LocaleMiddleware activates a language and nothing deactivates it)."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def clear_cache():
    """Each test starts with no rate-limit counts and no page fragments left by the one before."""
    from django.core.cache import cache

    cache.clear()
    yield
