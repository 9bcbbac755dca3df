"""A member's email and suspension reason are sealed (see lib/fields.py), and a keyed hash of the
email (``email_hash``) stands beside it for lookups. Each existing value is sealed with its row."""

import django.core.validators
from django.db import migrations, models
from django.db.models import Q
from django.utils.crypto import salted_hmac

import mutualaid.lib.fields


def _digest(email):
    # As accounts.models.email_digest, frozen here.
    email = (email or "").strip().lower()
    if not email:
        return ""
    return salted_hmac("mutualaid.accounts.Member.email", email, algorithm="sha256").hexdigest()


def seal(apps, schema_editor):
    Member = apps.get_model("accounts", "Member")
    rows = Member.objects.filter(~Q(email_plain="") | ~Q(suspension_reason_plain=""))
    for member in rows.only("pk", "code", "email_plain", "suspension_reason_plain").iterator():
        member.email = member.email_plain
        member.email_hash = _digest(member.email_plain)
        member.suspension_reason = member.suspension_reason_plain
        member.save(update_fields=["email", "email_hash", "suspension_reason"])


def unseal(apps, schema_editor):
    Member = apps.get_model("accounts", "Member")
    rows = Member.objects.filter(~Q(email="") | ~Q(suspension_reason=""))
    for member in rows.only("pk", "code", "email", "suspension_reason").iterator():
        member.email_plain = member.email
        member.suspension_reason_plain = member.suspension_reason
        member.save(update_fields=["email_plain", "suspension_reason_plain"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_roles_and_blocks")]

    operations = [
        migrations.RenameField("member", "email", "email_plain"),
        migrations.RenameField("member", "suspension_reason", "suspension_reason_plain"),
        migrations.AddField(
            "member",
            "email",
            mutualaid.lib.fields.EncryptedTextField(blank=True, default=""),
        ),
        migrations.AddField(
            "member",
            "email_hash",
            models.CharField(blank=True, default="", editable=False, max_length=64),
        ),
        migrations.AddField(
            "member",
            "suspension_reason",
            mutualaid.lib.fields.EncryptedTextField(blank=True, default=""),
        ),
        migrations.RunPython(seal, unseal),
        migrations.RemoveField("member", "email_plain"),
        migrations.RemoveField("member", "suspension_reason_plain"),
        migrations.AlterField(
            "member",
            "email",
            mutualaid.lib.fields.EncryptedTextField(
                blank=True,
                validators=[django.core.validators.validate_email],
                verbose_name="email (optional)",
            ),
        ),
        migrations.AlterField(
            "member",
            "email_hash",
            models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AlterField(
            "member", "suspension_reason", mutualaid.lib.fields.EncryptedTextField(blank=True)
        ),
        migrations.AddIndex(
            "member", models.Index(fields=["email_hash"], name="member_email_hash_idx")
        ),
    ]
