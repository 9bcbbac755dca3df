"""Role grants (from trust) and blocks (from safety) move down to accounts, where aid and trust can
read them without importing a higher app. The tables are renamed, their rows kept. A block's label
is sealed from now on, and a member may hold one block by handle beside blocks from messages.
"""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import mutualaid.lib.fields


def seal_labels(apps, schema_editor):
    Block = apps.get_model("accounts", "Block")
    for block in Block.objects.select_related("blocked").iterator():
        block.label = block.label_plain
        # A block made by handle was labelled with the handle; one from a message, otherwise.
        block.via_handle = block.label_plain == block.blocked.handle
        block.save(update_fields=["label", "via_handle"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_notice_kind"),
        ("trust", "0002_trustevent"),
        ("safety", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RoleGrant",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("role", models.CharField(choices=[("triager", "Triager"), ("dispatcher", "Dispatcher"), ("safety", "Safety officer"), ("admin", "Admin")], max_length=12)),
                        ("granted_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("removed_at", models.DateTimeField(blank=True, null=True)),
                        ("granted_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("member", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="role_grants", to=settings.AUTH_USER_MODEL)),
                        ("removed_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "trust_rolegrant",
                        "indexes": [models.Index(fields=["member", "removed_at"], name="role_grant_member_idx")],
                        "constraints": [models.UniqueConstraint(condition=models.Q(("removed_at__isnull", True)), fields=("member", "role"), name="role_grant_one_live"), models.CheckConstraint(condition=models.Q(("role__in", ["triager", "dispatcher", "safety", "admin"])), name="role_grant_valid")],
                    },
                ),
                migrations.CreateModel(
                    name="Block",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("code", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ("label", models.CharField(max_length=200)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("blocked", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("blocker", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="blocks_made", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "safety_block",
                        "constraints": [models.UniqueConstraint(fields=("blocker", "blocked"), name="block_one_per_pair"), models.CheckConstraint(condition=models.Q(("blocker", models.F("blocked")), _negated=True), name="block_not_oneself")],
                    },
                ),
            ],
        ),
        migrations.AlterModelTable("rolegrant", None),
        migrations.AlterModelTable("block", None),
        # Blocks: one by handle per pair, any number from messages; the label sealed.
        migrations.RemoveConstraint("block", "block_one_per_pair"),
        migrations.AddField("block", "via_handle", models.BooleanField(default=True)),
        migrations.RenameField("block", "label", "label_plain"),
        migrations.AddField(
            "block", "label", mutualaid.lib.fields.EncryptedTextField(default="")
        ),
        migrations.RunPython(seal_labels, migrations.RunPython.noop),
        migrations.RemoveField("block", "label_plain"),
        migrations.AlterField("block", "label", mutualaid.lib.fields.EncryptedTextField()),
        migrations.AddIndex("block", models.Index(fields=["blocker", "blocked"], name="block_pair_idx")),
        migrations.AddConstraint(
            "block",
            models.UniqueConstraint(
                condition=models.Q(("via_handle", True)),
                fields=("blocker", "blocked"),
                name="block_one_by_handle_per_pair",
            ),
        ),
        migrations.CreateModel(
            name="Delivery",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("channel", models.CharField(max_length=20)),
                ("status", models.CharField(choices=[("pending", "Waiting"), ("sending", "Being sent"), ("sent", "Sent"), ("failed", "Failed")], default="pending", max_length=10)),
                ("attempts", models.PositiveSmallIntegerField(default=0)),
                ("next_attempt_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
                ("error", models.CharField(blank=True, max_length=200)),
                ("notice", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="deliveries", to="accounts.notice")),
            ],
            options={
                "verbose_name_plural": "deliveries",
                "indexes": [models.Index(fields=["status", "next_attempt_at"], name="delivery_queue_idx")],
                "constraints": [models.UniqueConstraint(fields=("notice", "channel"), name="delivery_one_per_channel"), models.CheckConstraint(condition=models.Q(("status__in", ["pending", "sending", "sent", "failed"])), name="delivery_status_valid")],
            },
        ),
    ]
