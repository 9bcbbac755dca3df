"""manage.py restore: a backup loaded back is the database it was taken from, row for row, and what
cannot be loaded whole is refused before anything changes.

The refusals run on the suite's own database (either vendor). The round trips run the commands in
other processes on scratch databases: the demo network, backed up, restored into a new database
and over a changed one, compared table by table, on SQLite always and on PostgreSQL when it
answers.
"""

import hashlib
import json
import shutil
from contextlib import closing
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import SimpleTestCase, TransactionTestCase, override_settings

from conftest import TEST_FIELD_KEYS
from mutualaid.aid import services
from mutualaid.aid.models import Category, Need, Urgency
from mutualaid.privacy.backups import DATA_FILES
from mutualaid.test import make_areas, make_member

from .databases import (
    PostgresScratch,
    SqliteScratch,
    every_row,
    manage,
    model_tables,
    postgres_answers,
    scratch_folder,
)

DETAILS = "Flat 3B, ring twice"


def database_rows() -> dict[str, list]:
    with connection.cursor() as cursor:
        return every_row(cursor, connection.vendor)


class RestoreTestCase(TransactionTestCase):
    # The flush after each test would otherwise wipe the seeded categories for the tests after it.
    serialized_rollback = True

    def setUp(self):
        self.folder = scratch_folder()
        self.addCleanup(shutil.rmtree, self.folder, ignore_errors=True)
        self.north, *_ = make_areas()
        self.requester = make_member("rosa", area=self.north)
        self.post_need()
        self.backup = self.folder / "backup"
        call_command("backup", str(self.backup), stdout=StringIO())
        self.manifest = json.loads((self.backup / "manifest.json").read_text())
        self.rows = database_rows()

    def post_need(self):
        return services.need_post(
            requester=self.requester,
            category=Category.objects.get(slug="groceries"),
            area=self.north,
            summary="Groceries for a family of four",
            details=DETAILS,
            urgency=Urgency.SOON,
        )

    def restore(self, src: Path | None = None, **options) -> str:
        """Restore (the backup, unless ``src``); returns what it wrote to stderr."""
        errors = StringIO()
        call_command(
            "restore", str(src or self.backup), stdout=StringIO(), stderr=errors, **options
        )
        return errors.getvalue()

    def assertRefused(self, message: str, src: Path | None = None, replace=True):
        """Restoring is refused with ``message`` and changes no row. ``replace`` by default, so
        that the refusal has no other reason than the one under test."""
        with self.assertRaisesMessage(CommandError, message):
            self.restore(src, replace=replace)
        self.assertEqual(database_rows(), self.rows)

    def forged(self, **manifest) -> Path:
        """A copy of the backup, its manifest changed."""
        copy = self.folder / "forged"
        shutil.copytree(self.backup, copy)
        (copy / "manifest.json").write_text(json.dumps({**self.manifest, **manifest}))
        return copy

    def test_it_replaces_the_network_with_the_backup_when_asked(self):
        self.post_need()
        self.restore(replace=True)
        self.assertEqual(database_rows(), self.rows)
        self.assertEqual([need.details for need in Need.objects.all()], [DETAILS])

    def test_it_refuses_a_database_that_holds_a_network(self):
        self.post_need()
        self.rows = database_rows()
        self.assertRefused("already holds a network; pass --replace", replace=False)

    def test_it_refuses_a_backup_of_another_database_vendor(self):
        other = next(vendor for vendor in DATA_FILES if vendor != connection.vendor)
        forged = self.forged(vendor=other, data=DATA_FILES[other])
        (forged / DATA_FILES[connection.vendor]).rename(forged / DATA_FILES[other])
        self.assertRefused(f"The backup is of a {other} database; this server uses", forged)

    def test_it_refuses_a_backup_sealed_with_a_key_the_server_lacks(self):
        oldest_only = TEST_FIELD_KEYS.split(",")[0]
        with override_settings(FIELD_KEYS=oldest_only):
            self.assertRefused("sealed with the field key(s) t2, which MUTUALAID_FIELD_KEYS")

    def test_it_refuses_a_backup_of_other_migrations(self):
        forged = self.forged(migrations=[*self.manifest["migrations"], "aid.9999_future"])
        self.assertRefused("it has aid.9999_future, which this code has not", forged)

    def test_it_refuses_damaged_data(self):
        data = self.backup / self.manifest["data"]
        content = bytearray(data.read_bytes())
        content[len(content) // 2] ^= 0xFF
        data.write_bytes(content)
        self.assertRefused("is missing or damaged: its checksum is not the manifest's")

    def test_it_refuses_a_damaged_manifest_and_a_folder_that_is_no_backup(self):
        (self.backup / "manifest.json").write_text('{"format": 1, "vendor": "sqlite"')
        self.assertRefused("manifest.json is damaged or of an unknown format")
        self.assertRefused("is not a backup: it has no manifest.json", self.folder)

    @pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own integrity check")
    def test_it_refuses_a_sqlite_backup_that_fails_the_integrity_check(self):
        data = self.backup / self.manifest["data"]
        content = bytearray(data.read_bytes())
        page = 4096
        content[page * 3 : page * 40] = b"\x5a" * (page * 37)  # pages past the header's
        data.write_bytes(content)
        forged = self.forged(sha256=hashlib.sha256(content).hexdigest())
        self.assertRefused("fails SQLite's integrity check", forged)

    @pytest.mark.skipif(connection.vendor != "sqlite", reason="checked on SQLite's copy")
    def test_it_refuses_sqlite_data_that_is_not_what_its_manifest_describes(self):
        tables = {**self.manifest["tables"], Need._meta.db_table: 99}
        self.assertRefused("not what its manifest describes", self.forged(tables=tables))

    def test_it_warns_when_the_secret_key_is_not_the_backups(self):
        with override_settings(SECRET_KEY="another-secret-key-" * 3):
            warned = self.restore(replace=True)
        self.assertIn("SECRET_KEY is not the one the backup was taken with", warned)
        self.assertEqual(database_rows(), self.rows)


class RoundTrip:
    """The demo network, loaded, backed up and restored by ``manage.py`` in other processes."""

    Scratch = SqliteScratch

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.folder = scratch_folder()
        cls.source = cls.Scratch(cls.folder, "source")
        cls.backup = cls.folder / "backup"
        for command in (["migrate", "--noinput"], ["load_demo"], ["backup", str(cls.backup)]):
            done = manage(cls.source, *command)
            assert done.returncode == 0, done.stderr  # noqa: S101 (no test runs without it)

    @classmethod
    def tearDownClass(cls):
        cls.source.drop()
        shutil.rmtree(cls.folder, ignore_errors=True)
        super().tearDownClass()

    def restore(self, database, *options):
        return manage(database, "restore", str(self.backup), *options)

    def test_it_restores_the_demo_network_into_a_new_database_row_for_row(self):
        target = self.Scratch(self.folder, "target")
        self.addCleanup(target.drop)
        done = self.restore(target)
        self.assertEqual(done.returncode, 0, done.stderr)

        rows = target.rows()
        self.assertEqual(rows, self.source.rows())
        self.assertLessEqual(model_tables(), rows.keys())
        self.assertTrue(all(rows[table] for table in ("aid_need", "aid_message", "trust_vouch")))

    def test_it_replaces_a_network_only_when_asked(self):
        original = self.source.rows()
        with closing(self.source.connect()) as database:
            database.execute("UPDATE aid_need SET summary = 'Changed since the backup'")
            database.commit()
        changed = self.source.rows()
        self.assertNotEqual(changed, original)

        refused = self.restore(self.source)
        self.assertEqual(refused.returncode, 1)
        self.assertIn("already holds a network; pass --replace", refused.stderr)
        self.assertEqual(self.source.rows(), changed)

        done = self.restore(self.source, "--replace")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(self.source.rows(), original)


class SqliteRoundTripTestCase(RoundTrip, SimpleTestCase):
    Scratch = SqliteScratch


@pytest.mark.skipif(not postgres_answers(), reason="PostgreSQL does not answer (or no pg_dump)")
class PostgresRoundTripTestCase(RoundTrip, SimpleTestCase):
    Scratch = PostgresScratch
