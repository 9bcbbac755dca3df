"""manage.py backup: a consistent snapshot taken while the server writes, without the field keys.

On the suite's own database (SQLite, or PostgreSQL under ``make test-postgres``), through real
connections: a TransactionTestCase, so that the backup's own connection sees what the test wrote.
"""

import base64
import json
import shutil
import sqlite3
import threading
import time
from contextlib import closing
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TransactionTestCase

from mutualaid.aid import services
from mutualaid.aid.models import Category, Need, TimelineEvent, Urgency
from mutualaid.lib.crypto import KeyRing
from mutualaid.test import make_areas, make_member

from .databases import scratch_folder

# How long a test waits for the writer thread before it fails.
PATIENCE = 60


class BackupTestCase(TransactionTestCase):
    # The flush after each test would otherwise wipe the seeded categories for the tests after it.
    serialized_rollback = True

    def setUp(self):
        self.folder = scratch_folder()
        self.addCleanup(shutil.rmtree, self.folder, ignore_errors=True)
        self.north, *_ = make_areas()
        self.groceries = Category.objects.get(slug="groceries")
        self.requester = make_member("rosa", area=self.north)

    def post_need(self, number=0):
        return services.need_post(
            requester=self.requester,
            category=self.groceries,
            area=self.north,
            summary=f"Groceries for a family, week {number}",
            details="Flat 3B, ring twice",
            urgency=Urgency.SOON,
        )

    def backup(self, dest: Path, **options) -> dict:
        call_command("backup", str(dest), stdout=StringIO(), **options)
        return json.loads((dest / "manifest.json").read_text())

    def moment(self) -> tuple[int, int]:
        """What the writer has written: needs, and timeline events (one per need posted)."""
        return Need.objects.count(), TimelineEvent.objects.count()

    def write_until(self, stop: threading.Event, moments: list, errors: list):
        """Post needs one by one until stopped, noting the counts after each commit."""
        try:
            while not stop.is_set():
                self.post_need(len(moments))
                moments.append(self.moment())
        except BaseException as error:  # any error at all fails the test
            errors.append(repr(error))
        finally:
            connection.close()

    def wait_for(self, condition):
        deadline = time.monotonic() + PATIENCE
        while not condition():
            self.assertLess(time.monotonic(), deadline, "the writer stopped writing")
            time.sleep(0.005)

    def test_a_backup_taken_while_needs_are_posted_holds_one_moment_of_the_writer(self):
        moments, errors, stop = [self.moment()], [], threading.Event()
        writer = threading.Thread(target=self.write_until, args=(stop, moments, errors))
        writer.start()
        try:
            self.wait_for(lambda: len(moments) > 3)
            manifests = [self.backup(self.folder / f"backup-{n}") for n in range(2)]
            written = len(moments)
            self.wait_for(lambda: len(moments) > written + 3)
        finally:
            stop.set()
            writer.join(PATIENCE)
        self.assertEqual(errors, [])
        tables = Need._meta.db_table, TimelineEvent._meta.db_table
        taken = [tuple(manifest["tables"][table] for table in tables) for manifest in manifests]
        for counts in taken:
            self.assertIn(counts, moments)
            self.assertLess(counts, moments[-1], "the writer went on after the backup")

        # The data is that moment, whole: restored, the database holds exactly those rows.
        if connection.vendor == "sqlite":
            data = self.folder / "backup-1" / "database.sqlite3"
            with closing(sqlite3.connect(data)) as copy:
                self.assertEqual(copy.execute("PRAGMA integrity_check").fetchall(), [("ok",)])
        call_command("restore", str(self.folder / "backup-1"), replace=True, stdout=StringIO())
        self.assertEqual(self.moment(), taken[1])

    def test_it_refuses_to_overwrite_a_backup_unless_asked(self):
        dest = self.folder / "backup"
        first = self.backup(dest)
        self.post_need()
        with self.assertRaisesMessage(CommandError, "already exists; pass --overwrite"):
            self.backup(dest)
        self.assertEqual(json.loads((dest / "manifest.json").read_text()), first)

        second = self.backup(dest, overwrite=True)
        need_table = Need._meta.db_table
        self.assertEqual((first["tables"][need_table], second["tables"][need_table]), (0, 1))
        self.assertEqual([path.name for path in self.folder.iterdir()], ["backup"])

    def test_it_names_the_field_keys_by_id_and_holds_none_of_them(self):
        self.post_need()
        dest = self.folder / "backup"
        manifest = self.backup(dest)

        ring = KeyRing.parse(settings.FIELD_KEYS)
        self.assertEqual(manifest["field_key_ids"], [ring.newest])
        self.assertEqual(manifest["vendor"], connection.vendor)
        for path in dest.iterdir():
            content = path.read_bytes()
            for key in ring.keys.values():
                for form in (key, base64.urlsafe_b64encode(key), base64.b64encode(key)):
                    self.assertNotIn(form, content, path.name)
            self.assertEqual(path.stat().st_mode & 0o777, 0o600)
        self.assertEqual(dest.stat().st_mode & 0o777, 0o700)

    def test_it_refuses_a_folder_that_does_not_exist(self):
        with self.assertRaisesMessage(CommandError, "There is no folder"):
            self.backup(self.folder / "missing" / "backup")
        self.assertEqual(list(self.folder.iterdir()), [])
