"""Vouch and invitation notes are sealed (see lib/fields.py), each existing value with its row.

The trust record keeps in clear only notes that say nothing private (a role's name, "vouched for
by <handle>"): any other note, such as a suspension's reason, is emptied. A suspension in force
keeps its reason, sealed, on the member row (accounts 0006).
"""

from django.db import migrations, models

import mutualaid.lib.fields

PUBLIC_NOTES = ["role_granted", "role_removed", "branch_flagged"]


def seal(apps, schema_editor):
    for name in ("Vouch", "Invite"):
        model = apps.get_model("trust", name)
        for row in model.objects.only("pk", "code", "note_plain").iterator():
            row.note = row.note_plain
            row.save(update_fields=["note"])


def unseal(apps, schema_editor):
    for name in ("Vouch", "Invite"):
        model = apps.get_model("trust", name)
        for row in model.objects.only("pk", "code", "note").iterator():
            row.note_plain = row.note
            row.save(update_fields=["note_plain"])


def empty_private_event_notes(apps, schema_editor):
    TrustEvent = apps.get_model("trust", "TrustEvent")
    TrustEvent.objects.exclude(kind__in=PUBLIC_NOTES).exclude(note="").update(note="")


class Migration(migrations.Migration):
    dependencies = [
        ("trust", "0003_rolegrant_to_accounts"),
        ("accounts", "0006_seal_email_and_suspension_reason"),
    ]

    operations = [
        migrations.RenameField("vouch", "note", "note_plain"),
        migrations.RenameField("invite", "note", "note_plain"),
        # A default, so that going back can add the plain column again to a table with rows.
        migrations.AlterField(
            "vouch",
            "note_plain",
            models.CharField(default="", max_length=200, verbose_name="how you know them"),
        ),
        migrations.AlterField(
            "invite",
            "note_plain",
            models.CharField(default="", max_length=200, verbose_name="how you know them"),
        ),
        migrations.AddField("vouch", "note", mutualaid.lib.fields.EncryptedTextField(default="")),
        migrations.AddField("invite", "note", mutualaid.lib.fields.EncryptedTextField(default="")),
        migrations.RunPython(seal, unseal),
        migrations.RemoveField("vouch", "note_plain"),
        migrations.RemoveField("invite", "note_plain"),
        migrations.AlterField(
            "vouch",
            "note",
            mutualaid.lib.fields.EncryptedTextField(verbose_name="how you know them"),
        ),
        migrations.AlterField(
            "invite",
            "note",
            mutualaid.lib.fields.EncryptedTextField(verbose_name="how you know them"),
        ),
        migrations.RunPython(empty_private_event_notes, migrations.RunPython.noop),
    ]
