"""Periodic schedules are data (django-celery-beat), editable in the admin.

`ensure_schedules` creates the ones the app needs and is safe to run again; the
data migration calls it with the historical models.
"""

from django.utils import timezone

# name -> (task, every, period)
SCHEDULES = {
    "Scheduler heartbeat": ("metrics.heartbeat", 30, "seconds"),
    "Daily digests (each marketer at their local hour)": (
        "partnerships.send_due_digests",
        15,
        "minutes",
    ),
}


def ensure_schedules(periodic_task_model=None, interval_model=None, changed_model=None) -> None:
    if periodic_task_model is None:
        from django_celery_beat.models import IntervalSchedule, PeriodicTask, PeriodicTasks

        periodic_task_model, interval_model, changed_model = (
            PeriodicTask,
            IntervalSchedule,
            PeriodicTasks,
        )
    for name, (task, every, period) in SCHEDULES.items():
        interval, _ = interval_model.objects.get_or_create(every=every, period=period)
        # Only create: an admin may have retuned or disabled an existing schedule.
        periodic_task_model.objects.get_or_create(
            name=name, defaults={"task": task, "interval": interval, "enabled": True}
        )
    # Bulk writes skip the signal that tells a running beat to reload its schedule.
    changed_model.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})
