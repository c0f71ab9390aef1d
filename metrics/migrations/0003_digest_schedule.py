"""Add the daily digest's schedule (ensure_schedules only creates what is missing)."""

from django.db import migrations

from metrics.schedules import install_from_migration


class Migration(migrations.Migration):
    dependencies = [("metrics", "0002_heartbeat_schedule")]

    operations = [migrations.RunPython(install_from_migration, migrations.RunPython.noop)]
