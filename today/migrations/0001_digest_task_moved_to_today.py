"""The digest tasks moved from partnerships to the `today` app: point the stored
schedule at the new task name (the schedule's interval and switch stay as they were)."""

from django.db import migrations

RENAMES = {"partnerships.send_due_digests": "today.send_due_digests"}


def rename(apps, schema_editor, renames=RENAMES):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    changed = 0
    for old, new in renames.items():
        changed += PeriodicTask.objects.filter(task=old).update(task=new)
    if changed:
        from django.utils import timezone

        PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def unrename(apps, schema_editor):
    rename(apps, schema_editor, {new: old for old, new in RENAMES.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("metrics", "0003_digest_schedule"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(rename, unrename)]
