"""Data versions: a table's token changes with every way its rows can change (a save, a queryset
update, a bulk write, a delete, raw SQL), and not when an untracked table is written; on
PostgreSQL it moves again once the transaction commits, so that a reader who kept the old rows
under the token of a write in flight cannot serve them past the commit."""

import pytest
from django.conf import settings
from django.db import connection, transaction

from mutualaid.accounts.sessions import SessionStore
from mutualaid.aid.models import Category, Need
from mutualaid.lib import versions
from mutualaid.test import BaseTestCase


class VersionsTestCase(BaseTestCase):
    def assertChanges(self, write, *tables):
        before = versions.read(*tables)
        write()
        self.assertNotEqual(versions.read(*tables), before)

    def test_every_kind_of_write_changes_the_tables_token(self):
        need = self.post_need(summary="Groceries")
        self.assertChanges(lambda: self.post_need(summary="Another"), "aid_need")
        self.assertChanges(need.save, "aid_need")
        self.assertChanges(
            lambda: Need.objects.filter(pk=need.pk).update(summary="Changed"), "aid_need"
        )
        self.assertChanges(
            lambda: Category.objects.bulk_create([Category(slug="pets", name="Pets")]),
            "aid_category",
        )
        self.assertChanges(lambda: Category.objects.filter(slug="pets").delete(), "aid_category")

        def raw():
            with connection.cursor() as cursor:
                cursor.execute("UPDATE aid_need SET summary = %s WHERE id = %s", ["Raw", need.pk])

        self.assertChanges(raw, "aid_need")

    def test_one_tables_write_leaves_another_tables_token(self):
        before = versions.read("aid_offer", "areas_area")
        self.post_need(summary="Groceries")
        self.assertEqual(versions.read("aid_offer", "areas_area"), before)

    def test_a_session_written_changes_no_token(self):
        tables = ("aid_need", "accounts_member", "accounts_session")
        before = versions.read(*tables)
        session = SessionStore()
        session["x"] = 1
        session.save()
        self.assertEqual(versions.read(*tables), before)

    def test_tokens_keep_their_order_and_a_table_never_written_has_one(self):
        self.assertEqual(len(versions.read("aid_need", "safety_report").split(".")), 2)


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="SQLite's tokens change with the write itself, at its commit",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_postgresql_the_token_moves_again_after_the_commit():
    with transaction.atomic():
        Category.objects.create(slug="pets", name="Pets")
        during = versions.read("aid_category")
    assert versions.read("aid_category") != during


class RestoreTestCase(BaseTestCase):
    def test_after_a_restore_every_token_is_new(self):
        self.post_need(summary="Groceries")
        Category.objects.create(slug="pets", name="Pets")
        before = versions.read("aid_need", "aid_category")
        versions.renew_after_restore(connection, versions.tokens_before_restore(connection))
        after = versions.read("aid_need", "aid_category")
        pairs = zip(after.split("."), before.split("."), strict=True)
        self.assertTrue(all(new != old for new, old in pairs))
