"""With Redis refused or hung, every client that talks to it gives up within about a
second instead of waiting for the operating system (minutes) or retrying forever: the
cache, the Celery publisher (`common.queue.nudge`) and /healthz, which answers 503."""

import time
from unittest import mock

import pytest
from django.core.cache import cache
from redis.connection import ConnectionPool
from redis.exceptions import RedisError

from common.queue import nudge
from metrics.services import heartbeat_record
from metrics.tasks import heartbeat
from tests.redis_outage import KINDS, redis_down

BOUND = 2.0  # seconds: what a request may spend on a broken Redis, all included


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


@pytest.mark.parametrize("kind", KINDS)
def test_the_cache_gives_up_within_the_socket_timeouts(kind, settings):
    with redis_down(kind, settings) as server:
        started = time.monotonic()
        with pytest.raises(RedisError):
            cache.set("reliability-probe", 1)
        elapsed = time.monotonic() - started

    assert elapsed < BOUND
    if server is not None:
        assert server.accepted >= 1  # it really reached the hung server


@pytest.mark.parametrize("kind", KINDS)
def test_publishing_a_task_gives_up_once_and_says_so(kind, settings, caplog):
    with redis_down(kind, settings) as server:
        published, elapsed = timed(lambda: nudge(heartbeat))

    assert published is False
    assert elapsed < BOUND
    assert "could not publish metrics.heartbeat" in caplog.text
    if server is not None:
        assert server.accepted >= 1


@pytest.mark.parametrize("kind", KINDS)
def test_healthz_answers_503_naming_redis_within_two_seconds(kind, client, db, settings):
    heartbeat_record()
    with redis_down(kind, settings) as server:
        response, elapsed = timed(lambda: client.get("/healthz"))

    assert response.status_code == 503
    assert response.json()["failing"] == ["redis"]
    assert response.json()["checks"]["redis"]["error"] in ("ConnectionError", "TimeoutError")
    assert elapsed < BOUND
    if server is not None:
        assert server.accepted >= 1


def test_healthz_reuses_its_redis_connection(client, db):
    heartbeat_record()
    client.get("/healthz")  # the first call may open the pool's connection

    with mock.patch.object(
        ConnectionPool, "make_connection", autospec=True, side_effect=ConnectionPool.make_connection
    ) as made:
        statuses = [client.get("/healthz").status_code for _ in range(5)]

    assert statuses == [200] * 5
    assert made.call_count == 0
