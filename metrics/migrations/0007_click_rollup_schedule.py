"""Add the tracked-link clicks rollup's schedule (ensure_schedules only creates what is missing)."""

from django.db import migrations

from metrics.schedules import install_from_migration


class Migration(migrations.Migration):
    dependencies = [("metrics", "0006_records_tracked_links_clicks")]

    operations = [migrations.RunPython(install_from_migration, migrations.RunPython.noop)]
