import time
import uuid
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from config.celery import app
from metrics import tasks
from metrics.models import SchedulerHeartbeat
from metrics.schedules import ensure_schedules
from metrics.selectors import last_scheduler_tick
from metrics.services import heartbeat_record


def test_heartbeat_task_moves_the_tick_forward(db):
    heartbeat_record(at=timezone.now() - timedelta(hours=1))

    tasks.heartbeat.delay()

    assert timezone.now() - last_scheduler_tick() < timedelta(seconds=5)
    assert SchedulerHeartbeat.objects.count() == 1


def test_the_heartbeat_schedule_is_data_and_ensuring_it_twice_is_harmless(db):
    from django_celery_beat.models import PeriodicTask

    ensure_schedules()
    ensure_schedules()

    task = PeriodicTask.objects.get(task="metrics.heartbeat")
    assert task.enabled
    assert task.interval.every == 30


def test_ensuring_schedules_keeps_an_admins_changes(db):
    from django_celery_beat.models import PeriodicTask

    ensure_schedules()
    PeriodicTask.objects.filter(task="metrics.heartbeat").update(enabled=False)
    ensure_schedules()
    assert PeriodicTask.objects.get(task="metrics.heartbeat").enabled is False


@pytest.mark.slow
def test_a_real_worker_on_real_redis_runs_the_heartbeat(transactional_db):
    """The task goes through the broker to a worker thread, not eagerly."""
    queue = f"test-heartbeat-{uuid.uuid4().hex[:8]}"
    app.conf.task_always_eager = False
    try:
        with start_worker(
            app, queues=[queue], perform_ping_check=False, pool="solo", shutdown_timeout=60
        ):
            tasks.heartbeat.apply_async(queue=queue)
            deadline = timezone.now() + timedelta(seconds=20)
            while last_scheduler_tick() is None and timezone.now() < deadline:
                time.sleep(0.2)
    finally:
        app.conf.task_always_eager = True

    assert last_scheduler_tick() is not None
