"""Django's SQLite backend, waiting for the write lock in short, even steps.

Every transaction here starts with BEGIN IMMEDIATE (settings: ``transaction_mode``), which takes
the database's one write lock up front. When another process holds it, SQLite's own wait (the
connection's busy timeout) sleeps in growing steps, 1, 2, 5, 10, 15, 20, 25 ms and on up to 100 ms,
and a process that wakes late finds the lock taken again by a writer that came after it: under a
steady load of claims, a few waited 150 ms for a lock held 5 ms at a time. Here a transaction
that finds the lock taken asks again every half millisecond, for as long as the busy timeout
(``OPTIONS["timeout"]``, seconds) allows, then fails as before ("database is locked").

Only the start of a transaction waits so: inside one, the lock is held already, and a single
statement outside any transaction keeps SQLite's own wait (its busy timeout is put back at once).
"""

import sqlite3
import time

from django.db import OperationalError
from django.db.backends.sqlite3 import base

STEP = 0.0005  # seconds between two asks for the write lock


class DatabaseWrapper(base.DatabaseWrapper):
    def _start_transaction_under_autocommit(self):
        begin = "BEGIN" if self.transaction_mode is None else f"BEGIN {self.transaction_mode}"
        timeout = float(self.settings_dict["OPTIONS"].get("timeout", 5))
        raw = self.connection
        raw.execute("PRAGMA busy_timeout = 0")
        try:
            try:
                # Through Django's cursor, as Django's own does: seen by the execute wrappers
                # (lib/versions.py) and the debug log.
                self.cursor().execute(begin)
                return
            except OperationalError as error:  # Django's, wrapping sqlite3's
                if not _locked(error):
                    raise
            # Asked again on the connection itself: a few microseconds a time, the interpreter's
            # lock let go meanwhile, so that many threads waiting leave the holder its time.
            deadline = time.monotonic() + timeout
            while True:
                time.sleep(STEP)
                try:
                    raw.execute(begin)
                    return
                except sqlite3.OperationalError as error:
                    if not _locked(error) or time.monotonic() >= deadline:
                        with self.wrap_database_errors:
                            raise
        finally:
            raw.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")


def _locked(error) -> bool:
    """SQLite's "database is locked", raised as it is or wrapped by Django."""
    cause = error if isinstance(error, sqlite3.Error) else error.__cause__
    # The primary result code: an extended one (SQLITE_BUSY_RECOVERY...) carries it in its low byte.
    code = getattr(cause, "sqlite_errorcode", 0) & 0xFF
    return isinstance(cause, sqlite3.OperationalError) and code in (
        sqlite3.SQLITE_BUSY,
        sqlite3.SQLITE_LOCKED,
    )
