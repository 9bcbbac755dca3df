"""A report's details and the officer's note are sealed (see lib/fields.py), each existing value
with its row."""

from django.db import migrations
from django.db.models import Q

import mutualaid.lib.fields


def seal(apps, schema_editor):
    Report = apps.get_model("safety", "Report")
    rows = Report.objects.filter(~Q(details_plain="") | ~Q(action_note_plain=""))
    for report in rows.only("pk", "code", "details_plain", "action_note_plain").iterator():
        report.details = report.details_plain
        report.action_note = report.action_note_plain
        report.save(update_fields=["details", "action_note"])


def unseal(apps, schema_editor):
    Report = apps.get_model("safety", "Report")
    rows = Report.objects.filter(~Q(details="") | ~Q(action_note=""))
    for report in rows.only("pk", "code", "details", "action_note").iterator():
        report.details_plain = report.details
        report.action_note_plain = report.action_note
        report.save(update_fields=["details_plain", "action_note_plain"])


class Migration(migrations.Migration):
    dependencies = [("safety", "0002_block_to_accounts")]

    operations = [
        migrations.RenameField("report", "details", "details_plain"),
        migrations.RenameField("report", "action_note", "action_note_plain"),
        migrations.AddField(
            "report", "details", mutualaid.lib.fields.EncryptedTextField(blank=True, default="")
        ),
        migrations.AddField(
            "report",
            "action_note",
            mutualaid.lib.fields.EncryptedTextField(blank=True, default=""),
        ),
        migrations.RunPython(seal, unseal),
        migrations.RemoveField("report", "details_plain"),
        migrations.RemoveField("report", "action_note_plain"),
        migrations.AlterField(
            "report",
            "details",
            mutualaid.lib.fields.EncryptedTextField(
                blank=True, verbose_name="what happened (optional)"
            ),
        ),
        migrations.AlterField(
            "report", "action_note", mutualaid.lib.fields.EncryptedTextField(blank=True)
        ),
    ]
