"""Add the shop deliveries sweeper's schedule (ensure_schedules only creates what is missing)."""

from django.db import migrations

from metrics.schedules import install_from_migration


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0001_orders_and_attribution"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install_from_migration, migrations.RunPython.noop)]
