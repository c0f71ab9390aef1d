"""The run command boots from nothing: embedded Postgres and Redis, migrations,
demo data, web server, worker and beat, and /healthz turns green."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get_json(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


@pytest.mark.slow
def test_run_command_boots_embedded_postgres_and_redis_from_nothing(tmp_path):
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY"}
        and not key.startswith(("SECURE_", "SESSION_", "CSRF_", "STATICFILES_", "DEBUG"))
    }
    env["LOCAL_DATA_DIR"] = str(tmp_path / "local")
    log = open(tmp_path / "run.log", "w")  # noqa: SIM115 - closed in finally
    process = subprocess.Popen(
        [sys.executable, "scripts/dev.py", "run", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    body: dict = {}
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            assert process.poll() is None, (tmp_path / "run.log").read_text()[-3000:]
            try:
                status, body = get_json(url + "/healthz")
                if status == 200:
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(1)
        assert body.get("status") == "ok", (body, (tmp_path / "run.log").read_text()[-3000:])
        with urllib.request.urlopen(url + "/accounts/login/", timeout=5) as response:
            assert response.status == 200
            assert "Log in" in response.read().decode()
        output = (tmp_path / "run.log").read_text()
        assert "marketer@example.com" in output
        assert (tmp_path / "local" / "postgres" / "PG_VERSION").exists()
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            raise
        log.close()
    assert process.returncode == 0
    output = (tmp_path / "run.log").read_text()
    assert "Postgres: stopping embedded server" in output
