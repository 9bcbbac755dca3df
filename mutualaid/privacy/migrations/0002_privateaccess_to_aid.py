from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial"), ("aid", "0005_privateaccess")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel("PrivateAccess")]
        ),
    ]
