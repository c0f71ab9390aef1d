"""Add the used-form-token purge's schedule (ensure_schedules only creates what is missing)."""

from django.db import migrations

from metrics.schedules import install_from_migration


class Migration(migrations.Migration):
    dependencies = [("metrics", "0004_outbox_sweeper_schedule")]

    operations = [migrations.RunPython(install_from_migration, migrations.RunPython.noop)]
