"""Helpers for the outbox reliability tests: a fake SMTP server that can stall, TCP
servers that refuse or hang like a dead Redis, a real Celery worker as a subprocess,
and a way to point this process's Celery app at a broken broker."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import kombu.pools
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def wait_for(condition: Callable[[], object], *, timeout: float, message: str) -> object:
    """Poll `condition` until it is truthy; fail after `timeout` seconds (a shared machine:
    be generous)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}")
        time.sleep(0.1)


class FakeSMTPServer:
    """A minimal SMTP server in a thread. With `stall_first=True` the first session is
    held at DATA (no 354 reply) until the client goes away."""

    def __init__(self, *, stall_first: bool = False):
        self.stall_first = stall_first
        self.messages: list[bytes] = []
        self.sessions = 0
        self.stalled = threading.Event()
        self._lock = threading.Lock()
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> "FakeSMTPServer":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._sock.close()

    def _serve(self) -> None:
        self._sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except (TimeoutError, OSError):
                continue
            with self._lock:
                self.sessions += 1
                stall = self.stall_first and self.sessions == 1
            threading.Thread(target=self._session, args=(conn, stall), daemon=True).start()

    def _session(self, conn: socket.socket, stall: bool) -> None:
        with conn, conn.makefile("rb") as reader:
            conn.sendall(b"220 fake.test ESMTP\r\n")
            for raw in reader:
                command = raw.strip().upper()
                if command.startswith((b"EHLO", b"HELO")):
                    conn.sendall(b"250 fake.test\r\n")
                elif command.startswith((b"MAIL", b"RCPT", b"RSET", b"NOOP")):
                    conn.sendall(b"250 OK\r\n")
                elif command == b"DATA":
                    if stall:
                        self.stalled.set()
                        reader.read()  # hold the reply until the client's socket dies
                        return
                    conn.sendall(b"354 go ahead\r\n")
                    lines = []
                    for line in reader:
                        if line in (b".\r\n", b".\n"):
                            break
                        lines.append(line)
                    with self._lock:
                        self.messages.append(b"".join(lines))
                    conn.sendall(b"250 queued\r\n")
                elif command == b"QUIT":
                    conn.sendall(b"221 bye\r\n")
                    return
                else:
                    conn.sendall(b"502 no\r\n")

    def count(self) -> int:
        with self._lock:
            return len(self.messages)


def refused_address() -> str:
    """A local port nothing listens on."""
    with socket.create_server(("127.0.0.1", 0)) as sock:
        port = sock.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


@contextlib.contextmanager
def hung_server() -> Iterator[str]:
    """A TCP server that accepts connections and never answers (a hung Redis)."""
    sock = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept():
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(sock.accept()[0])
            except (TimeoutError, OSError):
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"redis://127.0.0.1:{sock.getsockname()[1]}/0"
    finally:
        stop.set()
        thread.join(timeout=5)
        for conn in held:
            conn.close()
        sock.close()


@contextlib.contextmanager
def broker_at(url: str) -> Iterator[None]:
    """Point this process's Celery app at `url` and publish for real (not eagerly), with
    bounded connect and socket timeouts; restore everything afterwards."""
    from config.celery import app

    saved = {
        name: app.conf[name]
        for name in (
            "broker_url",
            "task_always_eager",
            "broker_connection_timeout",
            "broker_transport_options",
        )
    }
    _reset_pools(app)
    app.conf.broker_url = url
    app.conf.task_always_eager = False
    app.conf.broker_connection_timeout = 0.5
    app.conf.broker_transport_options = {
        **saved["broker_transport_options"],
        "max_retries": 0,
        "interval_start": 0,
        "socket_timeout": 0.5,
        "socket_connect_timeout": 0.5,
    }
    try:
        yield
    finally:
        _reset_pools(app)
        for name, value in saved.items():
            app.conf[name] = value


def _reset_pools(app) -> None:
    """Forget every cached broker connection, so the next publish connects to the
    current broker_url."""
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


class Worker:
    """A real `celery worker -P solo` subprocess on its own queue, reading the test
    database, sending to a given SMTP port."""

    def __init__(self, *, queue: str, smtp_port: int, env: dict[str, str] | None = None):
        db = connection.settings_dict
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": (
                f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
                f"/{db['NAME']}"
            ),
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "DEBUG": "false",
            **(env or {}),
        }
        if db.get("PASSWORD"):
            self.env["DATABASE_URL"] = self.env["DATABASE_URL"].replace(
                f"{db['USER']}@", f"{db['USER']}:{db['PASSWORD']}@"
            )
        self.queue = queue
        self.process: subprocess.Popen | None = None
        self.log = tempfile.NamedTemporaryFile(prefix="outbox-worker-", suffix=".log")  # noqa: SIM115

    def start(self) -> "Worker":
        celery = Path(sys.executable).with_name("celery")
        self.process = subprocess.Popen(
            [
                str(celery),
                "-A",
                "config",
                "worker",
                "-P",
                "solo",
                "-Q",
                self.queue,
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
                "-l",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        return self

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, no acknowledgement, no cleanup."""
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> str:
        if self.process is None:
            return ""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        return Path(self.log.name).read_text(errors="replace")
