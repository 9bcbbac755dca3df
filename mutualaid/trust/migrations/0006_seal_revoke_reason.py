"""A vouch's revocation reason is sealed like its note, each existing value with its row."""

from django.db import migrations, models

import mutualaid.lib.fields


def seal(apps, schema_editor):
    Vouch = apps.get_model("trust", "Vouch")
    for row in Vouch.objects.exclude(reason_plain="").only("pk", "code", "reason_plain").iterator():
        row.revoke_reason = row.reason_plain
        row.save(update_fields=["revoke_reason"])


def unseal(apps, schema_editor):
    Vouch = apps.get_model("trust", "Vouch")
    for row in Vouch.objects.only("pk", "code", "revoke_reason").iterator():
        row.reason_plain = row.revoke_reason
        row.save(update_fields=["reason_plain"])


class Migration(migrations.Migration):
    dependencies = [("trust", "0005_trustevent_invite_created")]

    operations = [
        migrations.RenameField("vouch", "revoke_reason", "reason_plain"),
        migrations.AlterField(
            "vouch", "reason_plain", models.CharField(blank=True, default="", max_length=200)
        ),
        migrations.AddField(
            "vouch", "revoke_reason", mutualaid.lib.fields.EncryptedTextField(blank=True, default="")
        ),
        migrations.RunPython(seal, unseal),
        migrations.RemoveField("vouch", "reason_plain"),
        migrations.AlterField(
            "vouch", "revoke_reason", mutualaid.lib.fields.EncryptedTextField(blank=True)
        ),
    ]
