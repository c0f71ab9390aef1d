"""Redis out of reach, for real: a port nobody listens on, or a server that accepts
connections and never answers (a hung Redis, a half-open NAT entry).

`redis_down(kind, settings)` points everything that talks to Redis at such an address
for the duration of a test: the cache (Django rebuilds its handlers when the settings
fixture changes CACHES), Celery's broker (the app's config and its connection and
producer pools) and REDIS_URL (read by /healthz). Celery stops running tasks eagerly
meanwhile, so a publish goes to the dead broker as it would in production.
"""

import socket
import threading
from contextlib import contextmanager

from kombu import pools as kombu_pools

from config.celery import app as celery_app

KINDS = ("refused", "hung")


def refused_url(db: int = 0) -> str:
    """A Redis URL on a local port that nobody listens on (connections are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/{db}"


class HungServer:
    """Accepts TCP connections and never replies; counts the connections it accepted."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self.accepted = 0
        self._held: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _address = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted += 1
            self._held.append(conn)  # kept open, never read, never answered

    def __enter__(self) -> "HungServer":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join(5)
        self._listener.close()
        for conn in self._held:
            conn.close()


def _point_celery_at(url: str, *, eager: bool) -> None:
    celery_app.conf.broker_url = url
    celery_app.conf.task_always_eager = eager
    # Close and forget the pooled connections and producers (kombu keeps them in
    # process-wide registries keyed by address), so the next publish connects afresh.
    kombu_pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextmanager
def redis_down(kind: str, settings):
    """Everything that uses Redis points at a refused or a hung address; yields the
    HungServer (None when refused)."""
    server = HungServer() if kind == "hung" else None
    if server is not None:
        server.__enter__()
    url = server.url() if server is not None else refused_url()
    before = (celery_app.conf.broker_url, celery_app.conf.task_always_eager)
    settings.CACHES = {
        name: {**config, "LOCATION": url} for name, config in settings.CACHES.items()
    }
    settings.REDIS_URL = url
    _point_celery_at(url, eager=False)
    try:
        yield server
    finally:
        _point_celery_at(before[0], eager=before[1])
        if server is not None:
            server.__exit__(None, None, None)
