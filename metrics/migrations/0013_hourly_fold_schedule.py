"""Add the schedule that folds old hourly metric records into days (ensure_schedules only
creates what is missing)."""

from django.db import migrations

from metrics.schedules import install_from_migration


class Migration(migrations.Migration):
    dependencies = [("metrics", "0012_metric_record_partial_indexes")]

    operations = [migrations.RunPython(install_from_migration, migrations.RunPython.noop)]
