"""A transaction that finds SQLite's write lock taken waits in short steps (lib/sqlite/base.py):
it starts as soon as the holder lets go, fails with Django's "database is locked" once the busy
timeout has passed, and leaves the connection's own busy timeout as it found it."""

import sqlite3
import threading
import time
import unittest

from django.db import OperationalError, connection, connections, transaction
from django.test import TransactionTestCase


@unittest.skipUnless(connection.vendor == "sqlite", "SQLite's write lock")
class WriteLockWaitTestCase(TransactionTestCase):
    # Other connections see committed rows only; the flush after each test would otherwise wipe
    # the seeded rows for the tests after it.
    serialized_rollback = True

    def hold_lock(self, seconds: float, holding: threading.Event):
        """Another connection to the same file holds the write lock for ``seconds``."""
        other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            holding.set()
            time.sleep(seconds)
            other.execute("COMMIT")
        finally:
            other.close()

    def busy_timeout(self) -> int:
        return connection.connection.execute("PRAGMA busy_timeout").fetchone()[0]

    def start_while_held(self, seconds: float, *, timeout: float):
        holding = threading.Event()
        holder = threading.Thread(target=self.hold_lock, args=(seconds, holding))
        connection.ensure_connection()
        options = connection.settings_dict["OPTIONS"]
        before = options.get("timeout")
        options["timeout"] = timeout
        holder.start()
        try:
            holding.wait(5)
            started = time.monotonic()
            try:
                with transaction.atomic():
                    waited = time.monotonic() - started
                    connection.cursor().execute("SELECT 1")
            finally:
                holder.join()
                options["timeout"] = before
        finally:
            connections.close_all()
        return waited

    def test_a_transaction_starts_as_soon_as_the_lock_is_let_go(self):
        waited = self.start_while_held(0.235, timeout=5)
        self.assertGreaterEqual(waited, 0.2)
        # SQLite's own wait sleeps in growing steps and asks at 228 ms, then at 328 ms; ours asks
        # every half millisecond.
        self.assertLess(waited, 0.3)

    def test_after_the_busy_timeout_it_fails_as_django_does(self):
        with self.assertRaisesMessage(OperationalError, "database is locked"):
            self.start_while_held(1.0, timeout=0.2)

    def test_the_connections_busy_timeout_is_put_back(self):
        connection.ensure_connection()
        expected = int(float(connection.settings_dict["OPTIONS"]["timeout"]) * 1000)
        with transaction.atomic():
            self.assertEqual(self.busy_timeout(), expected)
        self.assertEqual(self.busy_timeout(), expected)
