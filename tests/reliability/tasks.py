"""A task for the worker-death tests, loaded by the test's worker with
`--include tests.reliability.tasks` (never by the app itself).

`hold` notes each run (the pool process's id) in a Redis list. The first run then
blocks, as a task stuck on a slow mail server would, until its worker is killed; any
later run returns at once."""

import os

from celery import shared_task
from django.conf import settings
from redis import Redis


@shared_task(name="reliability.hold")
def hold(key: str) -> None:
    client = Redis.from_url(settings.REDIS_URL)
    runs = client.rpush(key, os.getpid())
    if runs == 1:
        client.blpop([f"{key}:release"], timeout=0)
