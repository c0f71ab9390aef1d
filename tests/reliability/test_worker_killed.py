"""A worker killed with SIGKILL in the middle of a task loses no message.

Real `celery worker` processes run against the real broker, each on a queue of its own
test. Tasks are acknowledged late and rejected back to the queue when their pool process
dies (CELERY_TASK_ACKS_LATE, CELERY_TASK_REJECT_ON_WORKER_LOST):

- the whole worker killed (main process and pool: a container or machine gone): nobody
  is left to reject the message. It waits in Redis's unacked set until it is older than
  the visibility timeout (2 x CELERY_TASK_TIME_LIMIT); a worker puts it back on the queue
  when it starts or at its next sweep (every 10 s). Here the time limit is 5 s, so the
  visibility timeout is 10 s and the task runs again within about 20 s of being taken.
- only the pool process killed (out of memory): the main process rejects the message
  and it runs again at once, long before the visibility timeout (2 min here).
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from redis import Redis

from config.celery import app as celery_app

BASE_DIR = Path(settings.BASE_DIR)
STARTUP = 90  # seconds a worker may take to start on a busy machine


class Worker:
    """A `celery worker` subprocess in its own process group, consuming one queue."""

    def __init__(self, queue: str, log: Path, *, time_limit: int) -> None:
        self.log = log
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "CELERY_TASK_TIME_LIMIT": str(time_limit),
            "CELERY_TASK_SOFT_TIME_LIMIT": str(time_limit - 1),
            "DEBUG": "false",
        }
        command = [
            sys.executable, "-m", "celery", "-A", "config", "worker",
            "--include", "tests.reliability.tasks",
            "--queues", queue, "--concurrency", "1", "--loglevel", "info", "--logfile", str(log),
            "--hostname", f"{queue}-{uuid.uuid4().hex[:6]}@%h",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def kill(self) -> None:
        """SIGKILL the main process and its pool, as when the machine goes away."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(30)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(30)

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""


def wait_for_runs(redis: Redis, key: str, count: int, deadline: float, *workers) -> list[int]:
    """Poll until the task has started `count` times; the pool process ids of each run."""
    while time.monotonic() < deadline:
        runs = [int(pid) for pid in redis.lrange(key, 0, -1)]
        if len(runs) >= count:
            return runs
        time.sleep(0.1)
    logs = "\n".join(worker.output() for worker in workers)
    pytest.fail(f"the task started {len(runs)} times, not {count}; worker logs:\n{logs}")


@pytest.fixture
def redis():
    client = Redis.from_url(settings.REDIS_URL)
    yield client
    client.close()


@pytest.fixture
def run(tmp_path):
    """A fresh queue and key for one test; stops every worker it started."""
    queue = f"reliability-{uuid.uuid4().hex[:10]}"
    workers: list[Worker] = []
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False  # publish to the broker for real

    def start(**options) -> Worker:
        worker = Worker(queue, tmp_path / f"worker-{len(workers)}.log", **options)
        workers.append(worker)
        return worker

    yield queue, start
    celery_app.conf.task_always_eager = eager
    for worker in workers:
        worker.stop()


def send_hold(queue: str, key: str) -> None:
    celery_app.send_task("reliability.hold", args=[key], queue=queue)


def test_a_task_whose_worker_was_killed_runs_again_within_the_visibility_timeout(run, redis):
    queue, start = run
    key = f"{queue}:runs"
    time_limit = 5
    visibility = 2 * time_limit
    first = start(time_limit=time_limit)
    send_hold(queue, key)
    [stuck] = wait_for_runs(redis, key, 1, time.monotonic() + STARTUP, first)
    taken_at = time.monotonic()

    first.kill()
    second = start(time_limit=time_limit)
    runs = wait_for_runs(redis, key, 2, taken_at + visibility + 10 + STARTUP, second)

    assert runs[0] == stuck and runs[1] != stuck
    assert len(runs) == 2  # once more, not once per sweep
    redis.delete(key, f"{key}:release")


def test_a_task_whose_pool_process_was_killed_runs_again_at_once(run, redis):
    queue, start = run
    key = f"{queue}:runs"
    time_limit = 60  # visibility timeout 2 min: a rerun before it is the worker's reject
    worker = start(time_limit=time_limit)
    send_hold(queue, key)
    [stuck] = wait_for_runs(redis, key, 1, time.monotonic() + STARTUP, worker)
    taken_at = time.monotonic()

    os.kill(stuck, signal.SIGKILL)
    runs = wait_for_runs(redis, key, 2, taken_at + time_limit, worker)

    assert runs[0] == stuck and runs[1] != stuck
    assert worker.process.poll() is None  # the main process carried on
    redis.delete(key, f"{key}:release")
