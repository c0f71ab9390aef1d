"""Project-level views: the health check."""

import logging
from functools import lru_cache

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from redis import ConnectionPool, Redis
from redis.exceptions import RedisError

from collectors.selectors import health as collectors_health
from metrics.selectors import last_scheduler_tick

log = logging.getLogger(__name__)


def _check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True}
    except Exception as exc:  # any failure means "not healthy", reported by type
        log.warning("healthz: database check failed", exc_info=True)
        return {"ok": False, "error": type(exc).__name__}


@lru_cache(maxsize=4)
def _redis_pool(url: str) -> ConnectionPool:
    """One pool per process (per URL: tests move it) so that probes every few seconds
    reuse a connection. Short timeouts and no retries: a refused or hung Redis is
    reported within about a second."""
    return ConnectionPool.from_url(
        url,
        socket_connect_timeout=settings.REDIS_CONNECT_TIMEOUT,
        socket_timeout=settings.REDIS_SOCKET_TIMEOUT,
        max_connections=8,
    )


def _check_redis() -> dict:
    try:
        Redis(connection_pool=_redis_pool(settings.REDIS_URL)).ping()
        return {"ok": True}
    except RedisError as exc:
        # The endpoint is public: name the failure, keep hosts and ports for the log.
        log.warning("healthz: redis check failed", exc_info=True)
        return {"ok": False, "error": type(exc).__name__}


def _check_scheduler(database_ok: bool) -> dict:
    if not database_ok:
        return {"ok": False, "error": "unknown: the database is unreachable"}
    ticked_at = last_scheduler_tick()
    if ticked_at is None:
        return {"ok": False, "last_tick": None, "error": "no scheduler tick recorded yet"}
    age = (timezone.now() - ticked_at).total_seconds()
    check = {
        "ok": age <= settings.HEARTBEAT_MAX_AGE_SECONDS,
        "last_tick": ticked_at.isoformat(),
        "age_seconds": round(age, 1),
    }
    if not check["ok"]:
        check["error"] = f"last tick is older than {settings.HEARTBEAT_MAX_AGE_SECONDS} s"
    return check


def _check_collectors(database_ok: bool) -> dict:
    if not database_ok:
        return {"ok": False, "error": "unknown: the database is unreachable"}
    try:
        return collectors_health(overdue_after=settings.COLLECTORS_OVERDUE_SECONDS)
    except Exception as exc:  # reported by type, like the other checks
        log.warning("healthz: collectors check failed", exc_info=True)
        return {"ok": False, "error": type(exc).__name__}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    database = _check_database()
    checks = {
        "database": database,
        "redis": _check_redis(),
        "scheduler": _check_scheduler(database["ok"]),
        "collectors": _check_collectors(database["ok"]),
    }
    failing = [name for name, check in checks.items() if not check["ok"]]
    body = {"status": "fail" if failing else "ok", "failing": failing, "checks": checks}
    return JsonResponse(body, status=503 if failing else 200)
