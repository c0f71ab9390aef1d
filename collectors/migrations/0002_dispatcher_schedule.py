"""Add the collectors dispatcher's schedule (ensure_schedules only creates what is missing)."""

from django.db import migrations

from metrics.schedules import install_from_migration


class Migration(migrations.Migration):
    dependencies = [
        ("collectors", "0001_connections"),
        ("metrics", "0007_click_rollup_schedule"),
    ]

    operations = [migrations.RunPython(install_from_migration, migrations.RunPython.noop)]
