"""Snapshots of the whole database, taken while the server runs, and loading one back.

A snapshot is a folder holding the data and ``manifest.json`` beside it:

- SQLite: ``database.sqlite3``, copied through SQLite's online backup API in one step, which reads
  one consistent moment while writers carry on (WAL), then made a single self-contained file.
- PostgreSQL: ``database.pgdump``, pg_dump's custom format, taken inside a transaction whose
  snapshot is exported to pg_dump, so that the manifest and the dump describe the same moment.

The field keys are never in it. Private text stays sealed in the data, and the manifest names only
the ids of the keys that sealed it, so a stolen backup reads nothing without the keys, which are
kept (and backed up) apart. The manifest also holds the migrations, each table's row count and a
checksum, so that a restore refuses, before changing anything, a snapshot it could not load whole:
another database vendor, other migrations than the code's, a key the server lacks, damaged data.

A snapshot is written under a temporary name and renamed into place at the end: a folder with the
final name is always complete.
"""

import hashlib
import json
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import closing
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.crypto import salted_hmac

from mutualaid.accounts.models import Member
from mutualaid.lib import versions
from mutualaid.lib.crypto import keyring
from mutualaid.lib.refusal import Refusal
from mutualaid.privacy.services import encrypted_fields

MANIFEST = "manifest.json"
FORMAT = 1
DATA_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# Every record of a network hangs on a member: a database without one holds only what `migrate`
# writes, and may be restored over without --replace.
HOLDS_A_NETWORK = Member._meta.db_table
# A SQLite restore waits this long for the server's writers to let go of the lock.
SQLITE_LOCK_WAIT = 30
# libpq reads these from the environment, so that the tools get the server's connection settings
# (and the password) without a command line that other users of the machine could read.
LIBPQ_ENV = {
    "HOST": "PGHOST",
    "PORT": "PGPORT",
    "USER": "PGUSER",
    "PASSWORD": "PGPASSWORD",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


def backup_take(dest: Path, *, overwrite: bool = False, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Write a snapshot of the database into the new folder ``dest``; returns its manifest."""
    dest = Path(dest)
    if dest.exists() and not overwrite:
        raise Refusal(f"{dest} already exists; pass --overwrite to replace it.", code="exists")
    if not dest.parent.is_dir():
        raise Refusal(f"There is no folder {dest.parent} to write the backup in.", code="no_folder")
    connection = connections[using]
    vendor = _supported(connection.vendor)
    try:
        partial = Path(tempfile.mkdtemp(dir=dest.parent, prefix=f".{dest.name}.partial-"))
        try:
            manifest = _write_snapshot(connection, vendor, partial)
            _put_in_place(partial, dest)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
    except (OSError, sqlite3.Error) as error:  # a full disk, a folder we may not write in
        raise Refusal(f"The backup failed and left nothing behind: {error}", code="io") from None
    return manifest


def _write_snapshot(connection, vendor: str, folder: Path) -> dict:
    """The data, then the manifest that describes it, into ``folder``; returns the manifest."""
    data = folder / DATA_FILES[vendor]
    facts = TAKE[vendor](connection, data)
    data.chmod(0o600)
    manifest = {
        "format": FORMAT,
        "vendor": vendor,
        "taken_at": timezone.now().isoformat(),
        "data": data.name,
        "sha256": _sha256(data),
        **facts,
        "secret_key_check": _secret_key_check(),
    }
    _write_durably(folder / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


def backup_restore(src: Path, *, replace: bool = False, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Load the snapshot in ``src`` into the database, or refuse with nothing changed.

    Returns the manifest, with ``warnings``: what will not work as before, though nothing is lost.
    """
    src = Path(src)
    manifest = manifest_read(src)
    connection = connections[using]
    vendor = _supported(connection.vendor)
    if manifest["vendor"] != vendor:
        raise Refusal(
            f"The backup is of a {manifest['vendor']} database; this server uses {vendor}.",
            code="vendor",
        )
    _refuse_other_migrations(
        manifest,
        _code_migrations(),
        "this code has",
        "Restore it with the release that took it (then upgrade and migrate).",
    )
    _refuse_missing_keys(manifest)
    _refuse_to_overwrite(connection, manifest, replace)
    data = src / manifest["data"]
    if not data.is_file() or _sha256(data) != manifest["sha256"]:
        raise Refusal(
            f"{data} is missing or damaged: its checksum is not the manifest's.", code="damaged"
        )
    tokens = versions.tokens_before_restore(connection)
    try:
        RESTORE[vendor](connection, data, manifest)
    except OSError as error:  # a full disk: the load is one transaction, so nothing changed
        raise Refusal(f"The restore failed and changed nothing: {error}", code="io") from None
    # Pages kept under the restored data's versions are not of these rows: every version anew.
    versions.renew_after_restore(connection, tokens)
    connection.close()
    warnings = []
    if manifest["secret_key_check"] != _secret_key_check():
        warnings.append(
            "This server's SECRET_KEY is not the one the backup was taken with: every member "
            "must log in again, and finding a member by email finds nobody until their email is "
            "saved again. Set the old SECRET_KEY to avoid both."
        )
    return {**manifest, "warnings": warnings}


def manifest_read(src: Path) -> dict:
    """The manifest of the snapshot in ``src``, checked for the fields a restore reads."""
    path = Path(src) / MANIFEST
    if not path.is_file():
        raise Refusal(f"{src} is not a backup: it has no {MANIFEST}.", code="not_a_backup")
    try:
        manifest = json.loads(path.read_text())
    except (ValueError, UnicodeDecodeError):
        manifest = None
    if not _well_formed(manifest):
        raise Refusal(f"{path} is damaged or of an unknown format.", code="damaged")
    return manifest


def _well_formed(manifest) -> bool:
    def strings(value):
        return isinstance(value, list) and all(isinstance(item, str) for item in value)

    return (
        isinstance(manifest, dict)
        and manifest.get("format") == FORMAT
        and isinstance(manifest.get("vendor"), str)
        and manifest["vendor"] in DATA_FILES
        and manifest.get("data") == DATA_FILES[manifest["vendor"]]
        and isinstance(manifest.get("sha256"), str)
        and isinstance(manifest.get("secret_key_check"), str)
        and strings(manifest.get("field_key_ids"))
        and strings(manifest.get("migrations"))
        and isinstance(manifest.get("tables"), dict)
        and all(isinstance(rows, int) for rows in manifest["tables"].values())
    )


# Reading a snapshot: the facts the manifest keeps, from any DB-API cursor inside the snapshot.


def snapshot_facts(cursor, vendor: str) -> dict:
    """The migrations applied, the ids of the keys that sealed values, each table's row count."""
    cursor.execute("SELECT app, name FROM django_migrations")
    return {
        "migrations": sorted(f"{app}.{name}" for app, name in cursor.fetchall()),
        "field_key_ids": _key_ids(cursor, vendor),
        "tables": _row_counts(cursor, vendor),
    }


def _key_ids(cursor, vendor: str) -> list[str]:
    """The key id before the colon of every sealed value (see lib/crypto.py), never the value."""
    prefix = {
        "sqlite": "substr({c}, 1, instr({c}, ':') - 1)",
        "postgresql": "split_part({c}, ':', 1)",
    }[vendor]
    ids = set()
    for model, names in encrypted_fields():
        for name in names:
            column = _quote(model._meta.get_field(name).column)
            cursor.execute(
                f"SELECT DISTINCT {prefix.format(c=column)} FROM {_quote(model._meta.db_table)} "  # noqa: S608
                f"WHERE {column} <> ''"
            )
            ids.update(row[0] for row in cursor.fetchall())
    return sorted(ids)


def _row_counts(cursor, vendor: str) -> dict[str, int]:
    """Every table's rows, those without a model too (the search index on SQLite)."""
    cursor.execute(
        {
            "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name",
            "postgresql": "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "ORDER BY tablename",
        }[vendor]
    )
    counts = {}
    for (table,) in cursor.fetchall():
        cursor.execute(f"SELECT count(*) FROM {_quote(table)}")  # noqa: S608 (a table's own name)
        counts[table] = cursor.fetchone()[0]
    return counts


# SQLite


def _sqlite_take(connection, data: Path) -> dict:
    live = _sqlite_file(connection)
    with (
        closing(sqlite3.connect(live, timeout=SQLITE_LOCK_WAIT)) as source,
        closing(sqlite3.connect(data)) as copy,
    ):
        source.backup(copy)  # one step: one read transaction, one moment
        copy.execute("PRAGMA journal_mode=DELETE")  # one file, readable without -wal/-shm
        _sqlite_check(copy, data)
        return snapshot_facts(copy.cursor(), "sqlite")


def _sqlite_restore(connection, data: Path, manifest: dict) -> None:
    """Check a copy of the snapshot whole, then write it over the live database in one step."""
    live = Path(connection.settings_dict["NAME"])
    connection.close()
    handle, name = tempfile.mkstemp(dir=live.parent, prefix=f".{live.name}.restore-")
    os.close(handle)
    copy = Path(name)
    try:
        shutil.copyfile(data, copy)
        with closing(sqlite3.connect(copy)) as snapshot:
            _sqlite_check(snapshot, data)
            try:
                facts = snapshot_facts(snapshot.cursor(), "sqlite")
            except sqlite3.DatabaseError as error:
                raise Refusal(f"{data} is damaged: {error}.", code="damaged") from None
            _refuse_if_not_as_described(facts, manifest)
            _sqlite_write_over(snapshot, live)
    finally:
        copy.unlink(missing_ok=True)


def _sqlite_write_over(snapshot, live: Path) -> None:
    """The backup API writes the whole database under its own write lock, as one transaction, so
    the running server's connections see the old database or the new one, never a mix (renaming a
    file over a database in WAL mode would leave them its old -wal file)."""
    try:
        with closing(sqlite3.connect(live, timeout=SQLITE_LOCK_WAIT)) as target:
            snapshot.backup(target)
    except sqlite3.OperationalError as error:
        raise Refusal(
            f"{live} could not be written ({error}); it is unchanged.", code="busy"
        ) from None


def _sqlite_file(connection) -> str:
    name = str(connection.settings_dict["NAME"])
    if not Path(name).is_file():
        raise Refusal(f"There is no SQLite database at {name}.", code="no_database")
    return name


def _sqlite_exists(connection) -> bool:
    """Whether the SQLite database is there; a refusal when even its folder is missing."""
    path = Path(connection.settings_dict["NAME"])
    if not path.parent.is_dir():
        raise Refusal(f"There is no folder {path.parent} for the database.", code="no_database")
    return path.exists()


def _sqlite_check(database, data: Path) -> None:
    """SQLite's own integrity and foreign key checks, or a refusal naming the damage."""
    try:
        problems = [row[0] for row in database.execute("PRAGMA integrity_check")]
        orphans = database.execute("PRAGMA foreign_key_check").fetchall()
    except sqlite3.DatabaseError as error:
        problems, orphans = [str(error)], []
    if problems != ["ok"] or orphans:
        found = "; ".join(problems[:3]) if problems != ["ok"] else f"{len(orphans)} broken links"
        raise Refusal(f"{data} fails SQLite's integrity check: {found}.", code="damaged")


# PostgreSQL


def _postgres_take(connection, data: Path) -> dict:
    """pg_dump, in a snapshot exported by a read-only transaction that reads the manifest's facts.

    pg_dump refuses a server newer than itself; that is said before anything runs.
    """
    pg_dump = _tool("pg_dump")
    connection.ensure_connection()
    server, client = connection.pg_version // 10000, _tool_major(pg_dump)
    if client < server:
        raise Refusal(
            f"{pg_dump} is version {client} and the server is PostgreSQL {server}: pg_dump "
            f"cannot dump a newer server. Install PostgreSQL {server}'s client "
            f"(postgresql-client-{server}).",
            code="tool",
        )
    with closing(connection.Database.connect(**connection.get_connection_params())) as raw:
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            facts = snapshot_facts(cursor, "postgresql")
            _run(
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={data}"],
                connection,
            )
        raw.rollback()
    return {**facts, "postgresql": {"server": server, "pg_dump": client}}


def _postgres_restore(connection, data: Path, manifest: dict) -> None:
    """pg_restore in one transaction: it drops what the snapshot holds and makes it anew, or, on
    any error, leaves the database as it was. (Its row counts are not compared afterwards: the
    running server may already have written more.)"""
    pg_restore = _tool("pg_restore")
    try:
        subprocess.run(  # noqa: S603 (a fixed tool and our own arguments)
            [pg_restore, "--list", str(data)], capture_output=True, check=True
        )
    except subprocess.CalledProcessError:
        raise Refusal(f"{data} is damaged: pg_restore cannot read it.", code="damaged") from None
    connection.close()
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            f"--dbname={connection.settings_dict['NAME']}",
            str(data),
        ],
        connection,
    )


def _run(command: list[str], connection) -> None:
    env = {**os.environ, "PGDATABASE": str(connection.settings_dict["NAME"])}
    given = {**connection.settings_dict, **connection.settings_dict.get("OPTIONS", {})}
    env.update({name: str(given[key]) for key, name in LIBPQ_ENV.items() if given.get(key)})
    done = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
    if done.returncode:
        tool = Path(command[0]).name
        raise Refusal(f"{tool} failed: {done.stderr.strip()[-2000:]}", code="tool")


def _tool(name: str) -> str:
    path = shutil.which(name) or f"/usr/bin/{name}"
    if not Path(path).is_file():
        raise Refusal(
            f"{name} is not installed: install PostgreSQL's client (postgresql-client).",
            code="tool",
        )
    return path


def _tool_major(path: str) -> int:
    """16 from "pg_dump (PostgreSQL) 16.4 (Debian 16.4-1)"."""
    version = subprocess.run(  # noqa: S603
        [path, "--version"], capture_output=True, text=True
    ).stdout
    found = re.search(r"\) (\d+)", version)
    if not found:
        raise Refusal(f"{path} --version says {version.strip()!r}, not a version.", code="tool")
    return int(found.group(1))


TAKE = {"sqlite": _sqlite_take, "postgresql": _postgres_take}
RESTORE = {"sqlite": _sqlite_restore, "postgresql": _postgres_restore}


# The checks a restore makes before changing anything.


def _supported(vendor: str) -> str:
    if vendor not in DATA_FILES:
        raise Refusal(f"Backups cover SQLite and PostgreSQL, not {vendor}.", code="vendor")
    return vendor


def _code_migrations() -> set[str]:
    disk = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    return {f"{app}.{name}" for app, name in disk}


def _refuse_other_migrations(manifest: dict, migrations: set, whose: str, advice: str) -> None:
    theirs = set(manifest["migrations"])
    if theirs == migrations:
        return
    lacks = ", ".join(sorted(migrations - theirs)[:5])
    extra = ", ".join(sorted(theirs - migrations)[:5])
    raise Refusal(
        f"The backup was taken at other migrations than {whose}"
        + (f"; it lacks {lacks}" if lacks else "")
        + (f"; it has {extra}, which {whose} not" if extra else "")
        + f". {advice}",
        code="migrations",
    )


def _refuse_missing_keys(manifest: dict) -> None:
    try:
        ours = set(keyring().keys)
    except ImproperlyConfigured as error:
        raise Refusal(str(error), code="keys") from None
    missing = sorted(set(manifest["field_key_ids"]) - ours)
    if missing:
        raise Refusal(
            f"The backup's private text is sealed with the field key(s) {', '.join(missing)}, "
            "which MUTUALAID_FIELD_KEYS (or its file) lacks: add them (kept apart from the "
            "backup) before restoring.",
            code="keys",
        )


def _refuse_to_overwrite(connection, manifest: dict, replace: bool) -> None:
    """A database that holds a network is replaced only when asked. On PostgreSQL, whose restore
    remakes only the tables the snapshot holds, a migrated database must also be at the snapshot's
    migrations, so that no table of other migrations is left behind."""
    if connection.vendor == "sqlite" and not _sqlite_exists(connection):
        return
    try:
        cursor = connection.cursor()
    except DatabaseError as error:
        raise Refusal(f"The database cannot be opened: {error}", code="no_database") from None
    with cursor:
        tables = connection.introspection.table_names(cursor)
        if HOLDS_A_NETWORK in tables and not replace:
            cursor.execute(f"SELECT 1 FROM {_quote(HOLDS_A_NETWORK)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                raise Refusal(
                    "The database already holds a network; pass --replace to replace it "
                    "with the backup.",
                    code="not_empty",
                )
        if connection.vendor == "postgresql" and "django_migrations" in tables:
            cursor.execute("SELECT app, name FROM django_migrations")
            applied = {f"{app}.{name}" for app, name in cursor.fetchall()}
            _refuse_other_migrations(
                manifest, applied, "the database has", "Restore it into a new, empty database."
            )


def _refuse_if_not_as_described(facts: dict, manifest: dict) -> None:
    if any(facts[name] != manifest[name] for name in facts):
        raise Refusal(
            "The backup's data is not what its manifest describes (other migrations, keys or "
            "row counts): it is damaged or was mixed with another backup.",
            code="damaged",
        )


# Files


def _put_in_place(partial: Path, dest: Path) -> None:
    """Rename the finished folder to its name; an older backup there is set aside first and
    removed once the new one has its place."""
    _fsync(partial)
    old = None
    if dest.exists():
        old = dest.with_name(f".{dest.name}.old-{secrets.token_hex(4)}")
        dest.rename(old)
    partial.rename(dest)
    _fsync_one(dest.parent)
    if old is not None:
        shutil.rmtree(old) if old.is_dir() else old.unlink()


def _write_durably(path: Path, text: str) -> None:
    with open(path, "x", encoding="utf-8") as file:
        file.write(text)
        file.flush()
        os.fsync(file.fileno())
    path.chmod(0o600)


def _fsync(path: Path) -> None:
    """Flush a folder's files, then its list of names, to the disk."""
    for child in path.iterdir():
        if child.is_file():
            _fsync_one(child)
    _fsync_one(path)


def _fsync_one(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _secret_key_check() -> str:
    """A value derived from SECRET_KEY that reveals nothing of it, to tell whether a restore runs
    under the same one."""
    return salted_hmac("mutualaid.privacy.backups", "secret-key-check").hexdigest()[:16]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
