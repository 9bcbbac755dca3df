"""Notices become a kind and sealed parameters, rendered in the reader's language when shown.

A notice written before keeps its words, as the kind "message" with the old text as parameter.
"""

import json
import uuid

from django.db import migrations, models

import mutualaid.lib.fields


def to_kind(apps, schema_editor):
    Notice = apps.get_model("accounts", "Notice")
    for notice in Notice.objects.all().iterator():
        notice.code = uuid.uuid4()
        notice.kind = "message"
        notice.params_sealed = json.dumps({"text": notice.text})
        notice.save(update_fields=["code", "kind", "params_sealed"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_member_trust")]

    operations = [
        migrations.AddField("notice", "code", models.UUIDField(null=True, editable=False)),
        migrations.AddField("notice", "kind", models.CharField(max_length=40, default="message")),
        migrations.AddField(
            "notice", "params_sealed", mutualaid.lib.fields.EncryptedTextField(blank=True, default="")
        ),
        migrations.RunPython(to_kind, migrations.RunPython.noop),
        migrations.AlterField(
            "notice", "code", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
        ),
        migrations.AlterField("notice", "kind", models.CharField(max_length=40)),
        migrations.RemoveField("notice", "text"),
        migrations.AlterField(
            "notice", "params_sealed", mutualaid.lib.fields.EncryptedTextField(blank=True)
        ),
    ]
