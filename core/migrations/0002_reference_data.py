from django.db import migrations

from core.reference import reference_data_load


def load(apps, schema_editor):
    reference_data_load(
        region_model=apps.get_model("core", "Region"),
        activity_type_model=apps.get_model("core", "ActivityType"),
        skill_model=apps.get_model("core", "Skill"),
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
