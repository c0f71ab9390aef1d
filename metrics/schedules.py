"""Periodic schedules are data (django-celery-beat), editable in the admin.

`ensure_schedules` creates the ones settings.PERIODIC_TASKS names and is safe to run again; the
data migration calls it with the historical models.
"""

from django.conf import settings
from django.utils import timezone


def ensure_schedules(periodic_task_model=None, interval_model=None, changed_model=None) -> None:
    if periodic_task_model is None:
        from django_celery_beat.models import IntervalSchedule, PeriodicTask, PeriodicTasks

        periodic_task_model, interval_model, changed_model = (
            PeriodicTask,
            IntervalSchedule,
            PeriodicTasks,
        )
    for name, (task, every, period) in settings.PERIODIC_TASKS.items():
        interval, _ = interval_model.objects.get_or_create(every=every, period=period)
        # Only create: an admin may have retuned or disabled an existing schedule.
        periodic_task_model.objects.get_or_create(
            name=name, defaults={"task": task, "interval": interval, "enabled": True}
        )
    # Bulk writes skip the signal that tells a running beat to reload its schedule.
    changed_model.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def install_from_migration(apps, schema_editor) -> None:
    """RunPython step for a migration that adds periodic tasks: ensure_schedules on
    the historical models."""
    ensure_schedules(
        apps.get_model("django_celery_beat", "PeriodicTask"),
        apps.get_model("django_celery_beat", "IntervalSchedule"),
        apps.get_model("django_celery_beat", "PeriodicTasks"),
    )
