from django.db import migrations

CATEGORIES = [
    ("groceries", "Groceries"),
    ("rides", "Rides"),
    ("childcare", "Childcare"),
    ("prescriptions", "Prescriptions"),
    ("funds", "Funds"),
    ("housing", "Housing"),
    ("skills", "Skills"),
    ("other", "Other"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("aid", "Category")
    for position, (slug, name) in enumerate(CATEGORIES):
        Category.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("aid", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
