"""The word indexes of organizers' search (see mutualaid/dispatch/search.py): FTS5 tables kept by
triggers on SQLite, GIN expression indexes on PostgreSQL. Public columns only."""

from django.db import migrations


def forwards(apps, schema_editor):
    from mutualaid.dispatch.search import install

    install(schema_editor.connection)


def backwards(apps, schema_editor):
    from mutualaid.dispatch.search import uninstall

    uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_proxy_contact_languages"),
        ("aid", "0011_triage_notes_queue"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
