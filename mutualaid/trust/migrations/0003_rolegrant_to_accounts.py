from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("trust", "0002_trustevent"), ("accounts", "0005_roles_and_blocks")]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel("RoleGrant")]),
    ]
