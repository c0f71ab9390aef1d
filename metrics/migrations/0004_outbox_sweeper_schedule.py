"""Add the email outbox sweeper's schedule (ensure_schedules only creates what is missing)."""

from django.db import migrations

from metrics.schedules import install_from_migration


class Migration(migrations.Migration):
    dependencies = [("metrics", "0003_digest_schedule")]

    operations = [migrations.RunPython(install_from_migration, migrations.RunPython.noop)]
