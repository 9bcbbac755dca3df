"""Data versions: a token per table that changes whenever the table's rows change, so that a page
can keep a rendered fragment under the versions of the tables it shows and serve it again until one
of them changes.

Every write goes through Django's connection, so a wrapper on every connection sees each INSERT,
UPDATE and DELETE (the ORM's saves, its queryset updates, bulk writes and raw SQL alike, in the web
processes, the worker and the management commands) and changes the written table's token in the
same database, where every process reads it:

- SQLite: a row per table in ``data_version``, given a fresh random token in the writing
  transaction. It becomes visible with the write itself, at commit: a reader sees the old token with
  the old rows or the new token with the new rows (or, between its two reads, the old token with the
  new rows, which only costs a render later). Writers are serialized, so the rows are no contention.
- PostgreSQL: a sequence per table, advanced by ``nextval``, which takes no lock (a row updated in
  each writing transaction would serialize writers and could deadlock two of them). A sequence moves
  at once, before the writer commits, so a reader could keep the old rows under the new token: the
  sequence moves again once the transaction has committed, and that token is only ever read after
  the rows are visible.

A long run of writes in one transaction that nothing reads before its commit (an import's batch of
rows) changes each token once, as the run ends (``written_once``): still inside the transaction,
so it becomes visible with the rows, as every other change of token does.

Tokens never repeat (random on SQLite, a sequence on PostgreSQL), so a restored backup or a rolled
back transaction cannot bring back a token an old fragment was kept under. A fragment also expires
after ``FRAGMENT_SECONDS`` (lib/fragments.py), which bounds what a write made outside Django
(psql, a crash between a PostgreSQL commit and its second bump) can leave stale.
"""

import re
import secrets
import sqlite3
from contextlib import contextmanager

from django.db import connections, transaction
from django.db.backends.signals import connection_created
from django.db.transaction import TransactionManagementError

WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
SQLITE_TABLE = (
    "CREATE TABLE IF NOT EXISTS data_version (name varchar(100) PRIMARY KEY, token bigint NOT NULL)"
)
SQLITE_BUMP = (
    "INSERT INTO data_version (name, token) VALUES (?, ?) "
    "ON CONFLICT (name) DO UPDATE SET token = excluded.token"
)
# Tables written as a side effect of reading or of bookkeeping no fragment shows: their writes
# change no version (a session renewal must not throw away every page's fragments).
UNTRACKED = (
    "django_",
    "accounts_session",
    "data_version",
    "dispatch_search_",
    "privacy_accessrecord",
)


def sequence_name(table: str) -> str:
    return f"dv_{table}"[:63]


def tracked(table: str) -> bool:
    return not table.startswith(UNTRACKED)


def install(connection) -> None:
    """Make the versions' table (SQLite) or one sequence per table (PostgreSQL) where missing; run
    after every migrate, so that a new table has its sequence."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(SQLITE_TABLE)
        elif connection.vendor == "postgresql":
            for table in connection.introspection.table_names(cursor):
                if tracked(table):
                    cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {sequence_name(table)}")


def read(*tables: str, using: str = "default") -> str:
    """One string that changes whenever a row of any of ``tables`` changes: one query."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # pg_sequence_last_value: NULL until the first nextval, or when no sequence is there
            # (a table made since the last migrate): no error, and a token all the same.
            cursor.execute(
                " UNION ALL ".join(
                    ["SELECT %s, pg_sequence_last_value(to_regclass(%s))"] * len(tables)
                ),
                [part for i, table in enumerate(tables) for part in (i, sequence_name(table))],
            )
        else:
            marks = ", ".join(["%s"] * len(tables))
            cursor.execute(
                f"SELECT name, token FROM data_version WHERE name IN ({marks})",  # noqa: S608
                list(tables),
            )
        tokens = dict(cursor.fetchall())
    keys = range(len(tables)) if connection.vendor == "postgresql" else tables
    return ".".join(str(tokens.get(key, 0)) for key in keys)


def _bump(connection, table: str) -> None:
    """Change the table's token, on the raw connection: no execute wrapper sees it (nor the test
    environment's query log, so a page's counted queries stay its own)."""
    cursor = connection.connection.cursor()
    try:
        if connection.vendor == "postgresql":
            # nextval(NULL) is NULL: a table without its sequence yet (during a migrate) is passed
            # over without an error, which would abort the transaction.
            cursor.execute("SELECT nextval(to_regclass(%s))", [sequence_name(table)])
        else:
            cursor.execute(SQLITE_BUMP, [table, secrets.randbits(62)])
    except sqlite3.OperationalError as error:
        if "no such table" not in str(error):  # else: no versions' table yet, the first migrate
            raise
    finally:
        cursor.close()


class AfterCommit:
    """PostgreSQL's second bump, once the transaction has committed (a class of its own, so
    that what else a write hands to on_commit can be told apart from it)."""

    def __init__(self, connection, table: str):
        self.connection, self.table = connection, table

    def __call__(self) -> None:
        _bump(self.connection, self.table)


class VersionWrapper:
    """A connection's execute wrapper: after a write to a tracked table, that table's token
    changes (and on PostgreSQL changes again once the transaction commits)."""

    def __init__(self, connection):
        self.connection = connection
        # Inside ``written_once``: the tables written so far, whose tokens change as it ends.
        self.held: set[str] | None = None

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        match = WRITE.match(sql)
        if match and tracked(match[1]):
            if self.held is None:
                self.written(match[1])
            else:
                self.held.add(match[1])
        return result

    def written(self, table: str) -> None:
        connection = self.connection
        _bump(connection, table)
        if connection.vendor == "postgresql" and connection.in_atomic_block:
            transaction.on_commit(
                AfterCommit(connection, table), using=connection.alias, robust=True
            )


@contextmanager
def written_once(using: str = "default"):
    """Within a transaction, for a run of writes nobody reads before the commit: each table the
    block writes has its token changed once, as the block ends, rather than at every write. A
    block that raises marks its transaction to be rolled back, so that no write it made can be
    committed without its table's token changing."""
    connection = connections[using]
    if not connection.in_atomic_block:
        raise TransactionManagementError("written_once() runs inside a transaction")
    wrapper = next((w for w in connection.execute_wrappers if isinstance(w, VersionWrapper)), None)
    if wrapper is None:  # a connection no write of which changes a token
        yield
        return
    outer, wrapper.held = wrapper.held, set()
    try:
        yield
    except BaseException:
        transaction.set_rollback(True, using=using)
        raise
    finally:
        written, wrapper.held = wrapper.held, outer
    if outer is not None:  # within another such block: its end changes them
        outer.update(written)
    elif not connection.needs_rollback:  # else nothing written stays
        for table in sorted(written):
            wrapper.written(table)


def tokens_before_restore(connection) -> dict[str, int]:
    """PostgreSQL's tokens as they are (a restore puts back the sequences as they were)."""
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sequencename, coalesce(last_value, 0) FROM pg_sequences "
            "WHERE sequencename LIKE 'dv\\_%%'"
        )
        return dict(cursor.fetchall())


def renew_after_restore(connection, before: dict[str, int]) -> None:
    """After a restore, every token new: a restored database has its tokens of the day of the
    backup, under which fragments of other data may still be kept (PostgreSQL would even hand out
    again the values it had reached). A fresh random token on SQLite; on PostgreSQL each sequence
    moved past both what it was before the restore and what the backup holds."""
    install(connection)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("UPDATE data_version SET token = abs(random())")
        elif connection.vendor == "postgresql":
            for name, value in before.items():
                cursor.execute(
                    "SELECT setval(to_regclass(%s), "
                    "greatest(%s, coalesce(pg_sequence_last_value(to_regclass(%s)), 0)) + 1)",
                    [name, value, name],
                )


def watch(sender, connection, **_kwargs) -> None:
    """On every new database connection: wrap its executions (once per connection object)."""
    if not any(isinstance(w, VersionWrapper) for w in connection.execute_wrappers):
        connection.execute_wrappers.append(VersionWrapper(connection))


def install_after_migrate(using, **_kwargs) -> None:
    install(connections[using])


connection_created.connect(watch, dispatch_uid="mutualaid.lib.versions.watch")
