from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("safety", "0001_initial"), ("accounts", "0005_roles_and_blocks")]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel("Block")]),
    ]
