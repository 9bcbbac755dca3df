"""versions.written_once: a run of writes in one transaction changes each table's token once, as
the run ends, and never lets a write of it be committed without its table's token changing."""

from unittest import mock

from django.db import connection, transaction
from django.db.transaction import TransactionManagementError

from mutualaid.aid.models import Category
from mutualaid.lib import versions
from mutualaid.test import BaseTestCase


def bumps(block):
    """How many times the data versions were changed while ``block`` ran."""
    wrapper = next(w for w in connection.execute_wrappers if isinstance(w, versions.VersionWrapper))
    written = []
    original = wrapper.written
    wrapper.written = lambda table: (written.append(table), original(table))[1]
    try:
        block()
    finally:
        wrapper.written = original
    return written


class WrittenOnceTestCase(BaseTestCase):
    def test_each_table_written_changes_once_as_the_block_ends(self):
        before = versions.read("aid_category", "aid_need")

        def block():
            with transaction.atomic(), versions.written_once():
                for n in range(3):
                    Category.objects.create(slug=f"pets-{n}", name=f"Pets {n}")
                self.post_need(summary="Groceries")
                self.assertEqual(versions.read("aid_category"), before.split(".")[0])

        written = bumps(block)
        self.assertEqual(written.count("aid_category"), 1)
        self.assertEqual(written.count("aid_need"), 1)
        after = versions.read("aid_category", "aid_need").split(".")
        self.assertTrue(all(new != old for new, old in zip(after, before.split("."), strict=True)))

    def test_a_block_that_raises_rolls_its_transaction_back(self):
        count = Category.objects.count()
        with self.assertRaises(ValueError), transaction.atomic(), versions.written_once():
            Category.objects.create(slug="pets", name="Pets")
            raise ValueError("something broke")
        self.assertEqual(Category.objects.count(), count)

    def test_a_caught_failure_still_leaves_nothing_committed_unversioned(self):
        with transaction.atomic():
            try:
                with versions.written_once():
                    Category.objects.create(slug="pets", name="Pets")
                    raise ValueError("something broke")
            except ValueError:
                pass
            self.assertTrue(connection.needs_rollback)
            transaction.set_rollback(False)  # the test's own transaction goes on

    def test_writes_outside_it_change_their_token_at_once(self):
        with transaction.atomic():
            with versions.written_once():
                pass
            before = versions.read("aid_category")
            Category.objects.create(slug="pets", name="Pets")
            self.assertNotEqual(versions.read("aid_category"), before)

    def test_it_needs_a_transaction(self):
        with (
            mock.patch.object(connection, "in_atomic_block", False),
            self.assertRaises(TransactionManagementError),
            versions.written_once(),
        ):
            pass  # pragma: no cover
