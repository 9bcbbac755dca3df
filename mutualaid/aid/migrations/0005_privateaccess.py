"""The record of who read whose private text moves to aid, beside the text it records (the table
is renamed, its rows kept)."""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("aid", "0004_need_hidden_at_offer_hidden_at"),
        ("privacy", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PrivateAccess",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("code", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ("what", models.CharField(choices=[("details", "private details"), ("messages", "messages"), ("contact", "shared contact")], max_length=10)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("need", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="aid.need")),
                        ("owner", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="private_accesses", to=settings.AUTH_USER_MODEL)),
                        ("viewer", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "privacy_privateaccess",
                        "indexes": [models.Index(fields=["owner", "created_at"], name="access_owner_idx")],
                        "constraints": [models.CheckConstraint(condition=models.Q(("what__in", ["details", "messages", "contact"])), name="access_what_valid")],
                    },
                ),
            ],
        ),
        migrations.AlterModelTable("privateaccess", None),
    ]
