from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_proxycontact_code"),
    ]

    operations = [
        migrations.AddField(
            model_name="member",
            name="language",
            field=models.CharField(
                blank=True,
                choices=[("en", "English"), ("es", "Español")],
                default="",
                max_length=10,
                verbose_name="language",
            ),
        ),
    ]
