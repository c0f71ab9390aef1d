"""Create the app's periodic schedules as data, editable in the admin."""

from django.db import migrations

from django.conf import settings

from metrics.schedules import install_from_migration


def remove_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=list(settings.PERIODIC_TASKS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("metrics", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install_from_migration, remove_schedules)]
