"""An import's batch changes the data versions of the tables it wrote once, with its commit, so
that pages kept under the old versions (lib/fragments.py) are rendered afresh."""

from unittest import mock

from django.db import connection

from mutualaid.lib import versions

from .. import importing
from .base import LOOKUP, ImportTestCase

TABLES = ("aid_need", "aid_timelineevent", "accounts_member", "accounts_proxycontact")


class ImportVersionsTestCase(ImportTestCase):
    def written(self, **options):
        """The tables whose versions changed during an import of 5 rows, each time one did."""
        wrapper = next(
            w for w in connection.execute_wrappers if isinstance(w, versions.VersionWrapper)
        )
        changed = []
        original = wrapper.written

        def written(table):
            changed.append(table)
            original(table)

        with mock.patch.object(wrapper, "written", written):
            self.run_import("needs", self.needs_file(5), lookup=LOOKUP, **options)
        return changed

    def test_each_table_an_import_writes_changes_once_a_batch(self):
        before = versions.read(*TABLES)
        with mock.patch.object(importing, "BATCH", 2):  # three batches
            changed = self.written()

        for table in TABLES:
            self.assertEqual(changed.count(table), 3, table)
        after = versions.read(*TABLES).split(".")
        self.assertTrue(all(new != old for new, old in zip(after, before.split("."), strict=True)))

    def test_a_dry_run_changes_none(self):
        before = versions.read(*TABLES)
        changed = self.written(dry_run=True)

        self.assertEqual([table for table in changed if table in TABLES], [])
        self.assertEqual(versions.read(*TABLES), before)
