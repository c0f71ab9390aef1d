"""Add the tracked-link clicks rollup's schedule (ensure_schedules only creates what is missing)."""

from django.db import migrations

from metrics.schedules import ensure_schedules


def create_schedules(apps, schema_editor):
    ensure_schedules(
        apps.get_model("django_celery_beat", "PeriodicTask"),
        apps.get_model("django_celery_beat", "IntervalSchedule"),
        apps.get_model("django_celery_beat", "PeriodicTasks"),
    )


class Migration(migrations.Migration):
    dependencies = [("metrics", "0006_records_tracked_links_clicks")]

    operations = [migrations.RunPython(create_schedules, migrations.RunPython.noop)]
