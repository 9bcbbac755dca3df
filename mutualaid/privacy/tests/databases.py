"""Databases for the backup tests: every row of one, read through raw SQL, and scratch databases
of each vendor that a test makes, fills with ``manage.py`` in another process, and drops.

Rows are read as the database stores them (sealed text stays sealed), from every table the
database has, models or not: on SQLite the search index's FTS5 tables and their shadow tables too.
"""

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from contextlib import closing
from pathlib import Path

import psycopg
from django.apps import apps
from django.conf import settings

from conftest import TEST_FIELD_KEYS

TABLES = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table'",
    "postgresql": "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()",
}
# The schema: SQLite's tables, triggers and indexes (the search index is kept by triggers);
# PostgreSQL's indexes (the search index is one) and where each sequence stands. The data
# versions (mutualaid/lib/versions.py) are not data: a restore renews every one of them.
SCHEMA = {
    "sqlite": "SELECT type, name, sql FROM sqlite_master",
    "postgresql": "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
    "UNION ALL SELECT sequencename, last_value::text FROM pg_sequences "
    "WHERE schemaname = current_schema() AND sequencename NOT LIKE 'dv\\_%'",
}
VERSIONS = "data_version"
# Where a test finds PostgreSQL when the suite runs on SQLite; its scratch databases are made
# through the maintenance database.
POSTGRES = os.environ.get("DATABASE_URL", "")
if not POSTGRES.startswith("postgres"):
    POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"


def every_row(cursor, vendor: str) -> dict[str, list]:
    """{table: its rows, sorted} for every table, and the schema beside the tables."""
    cursor.execute(TABLES[vendor])
    found = {}
    for (table,) in cursor.fetchall():
        if table == VERSIONS:
            continue
        cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (the table's own name)
        found[table] = sorted((tuple(map(_plain, row)) for row in cursor.fetchall()), key=repr)
    cursor.execute(SCHEMA[vendor])
    found[" schema"] = sorted(map(tuple, cursor.fetchall()), key=repr)
    return found


def _plain(value):
    return bytes(value) if isinstance(value, memoryview) else value


def model_tables() -> set[str]:
    """The table of every model, the many-to-many tables Django makes included."""
    return {model._meta.db_table for model in apps.get_models(include_auto_created=True)}


def manage(database, *args: str) -> subprocess.CompletedProcess:
    """``manage.py *args`` in another process, on ``database``, with the suite's field keys."""
    return subprocess.run(  # noqa: S603 (this interpreter, our own manage.py)
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=database.env(),
        capture_output=True,
        text=True,
        timeout=300,
    )


def postgres_answers() -> bool:
    """PostgreSQL answers on its address, and its client tools are installed."""
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        return False
    try:
        with closing(psycopg.connect(POSTGRES, connect_timeout=3)):
            return True
    except psycopg.Error:
        return False


class Scratch:
    """A database of the tests' own, which ``manage.py`` in another process works on."""

    vendor = ""

    def __init__(self, folder: Path, name: str):
        self.folder, self.name = folder, name

    def env(self) -> dict:
        env = {
            **os.environ,
            "DEBUG": "1",
            "MUTUALAID_FIELD_KEYS": TEST_FIELD_KEYS,
            "EMAIL_FILE_PATH": str(self.folder / "mail"),
        }
        for name in ("MUTUALAID_FIELD_KEYS_FILE", "REDIS_URL", "DATABASE_URL", "SQLITE_PATH"):
            env.pop(name, None)
        return env

    def rows(self) -> dict[str, list]:
        with closing(self.connect()) as database:
            return every_row(database.cursor(), self.vendor)


class SqliteScratch(Scratch):
    vendor = "sqlite"

    @property
    def path(self) -> Path:
        return self.folder / f"{self.name}.sqlite3"

    def env(self) -> dict:
        return {**super().env(), "SQLITE_PATH": str(self.path)}

    def connect(self):
        return sqlite3.connect(self.path)

    def drop(self):
        for path in self.folder.glob(f"{self.name}.sqlite3*"):
            path.unlink()


class PostgresScratch(Scratch):
    vendor = "postgresql"

    def __init__(self, folder: Path, name: str):
        super().__init__(folder, f"backup_{os.getpid()}_{name}")
        self.drop()
        self._maintain(f'CREATE DATABASE "{self.name}"')

    @property
    def url(self) -> str:
        return POSTGRES.rsplit("/", 1)[0] + f"/{self.name}"

    def env(self) -> dict:
        return {**super().env(), "DATABASE_URL": self.url}

    def connect(self):
        return psycopg.connect(self.url)

    def drop(self):
        self._maintain(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    @staticmethod
    def _maintain(statement: str) -> None:
        with closing(psycopg.connect(POSTGRES, autocommit=True)) as maintenance:
            maintenance.execute(statement)


def scratch_folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="mutualaid-backup-"))
