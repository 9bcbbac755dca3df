import uuid

from django.db import migrations, models


def give_codes(apps, schema_editor):
    ProxyContact = apps.get_model("accounts", "ProxyContact")
    for row in ProxyContact.objects.filter(code__isnull=True).only("pk"):
        ProxyContact.objects.filter(pk=row.pk).update(code=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_proxy_contact_languages"),
    ]

    operations = [
        migrations.AddField(
            model_name="proxycontact",
            name="code",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(give_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="proxycontact",
            name="code",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
