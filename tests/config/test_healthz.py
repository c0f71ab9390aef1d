from datetime import timedelta

import pytest
from django.utils import timezone

from metrics.services import heartbeat_record


@pytest.fixture
def fresh_tick(db):
    return heartbeat_record()


def test_healthz_is_200_when_database_redis_and_scheduler_are_fine(client, fresh_tick):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["failing"] == []
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["redis"] == {"ok": True}
    assert body["checks"]["scheduler"]["ok"] is True
    assert body["checks"]["scheduler"]["age_seconds"] < 5


def test_healthz_is_503_and_names_redis_when_redis_is_unreachable(client, fresh_tick, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["redis"]
    assert "ConnectionError" in body["checks"]["redis"]["error"]


def test_healthz_is_503_when_the_scheduler_has_never_ticked(client, db):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["failing"] == ["scheduler"]
    assert response.json()["checks"]["scheduler"]["error"] == "no scheduler tick recorded yet"


def test_healthz_is_503_when_the_last_tick_is_stale(client, db, settings):
    heartbeat_record(at=timezone.now() - timedelta(seconds=settings.HEARTBEAT_MAX_AGE_SECONDS + 5))

    response = client.get("/healthz")

    assert response.status_code == 503
    assert "older than" in response.json()["checks"]["scheduler"]["error"]


def test_healthz_needs_no_login_and_is_not_cached(client, fresh_tick):
    response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"]


def test_healthz_names_the_failure_without_hosts_or_ports(client, fresh_tick, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    error = client.get("/healthz").json()["checks"]["redis"]["error"]
    assert error == "ConnectionError"
