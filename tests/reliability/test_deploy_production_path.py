"""The documented production path starts cleanly from the checkout (issue 11:
"Deploying"): the Procfile's own release and web commands, with config.settings
(DEBUG off), a fresh database and an empty STATIC_ROOT, serve the login page, its
hashed stylesheet and /healthz."""

import json
import os
import re
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent  # the venv's python, gunicorn and celery


def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(":", 1) for line in lines if line.strip())


def test_procfile_collects_static_files_before_migrating_and_recycles_web_workers():
    processes = procfile()
    release = processes["release"]
    assert "collectstatic --no-input" in release
    assert release.index("collectstatic") < release.index("migrate")
    web = shlex.split(processes["web"])
    for flag, value in (("--max-requests", "1000"), ("--max-requests-jitter", "100")):
        assert web[web.index(flag) + 1] == value
    assert 10 <= int(web[web.index("--timeout") + 1]) <= 120


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def scratch_database_url(name: str) -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin_sql(sql: str) -> None:
    conn = psycopg2.connect(scratch_database_url("postgres"))
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
    finally:
        conn.close()


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # report the redirect itself


OPENER = urllib.request.build_opener(NoRedirects)


def fetch(url: str, **headers) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with OPENER.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def production_env(tmp_path: Path, database: str, port: int) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        # What settings_test, pytest-django or the browser fixture put in the environment.
        if not key.startswith(("SECURE_", "SESSION_", "CSRF_", "STATICFILES_", "DEBUG"))
        and key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "STATIC_ROOT"}
    }
    env.update(
        {
            "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "DATABASE_URL": scratch_database_url(database),
            "ALLOWED_HOSTS": "127.0.0.1",
            "STATIC_ROOT": str(tmp_path / "staticfiles"),
            # Behind the TLS-terminating balancer: it says the request came over HTTPS.
            "TRUST_X_FORWARDED_PROTO": "true",
            "PORT": str(port),
            "WEB_CONCURRENCY": "2",
        }
    )
    return env


def wait_for_login_page(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()[-3000:]
        try:
            if fetch(url, **{"X-Forwarded-Proto": "https"})[0] == 200:
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    pytest.fail(f"gunicorn did not serve {url} within 90 s:\n{log.read_text()[-3000:]}")


@pytest.mark.slow
def test_release_then_web_serve_the_login_page_its_static_files_and_healthz(tmp_path):
    database = f"{os.environ.get('TEST_DATABASE_NAME', 'test_partnerships')}_release"
    port = free_port()
    env = production_env(tmp_path, database, port)
    processes = procfile()
    admin_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    admin_sql(f'CREATE DATABASE "{database}"')
    log = tmp_path / "web.log"
    web = None
    try:
        release = subprocess.run(
            ["bash", "-c", processes["release"]],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert release.returncode == 0, release.stdout[-3000:] + release.stderr[-3000:]
        assert (tmp_path / "staticfiles" / "staticfiles.json").exists()

        with open(log, "w") as out:
            web = subprocess.Popen(
                ["bash", "-c", f"exec {processes['web']}"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        base = f"http://127.0.0.1:{port}"
        wait_for_login_page(base + "/accounts/login/", web, log)

        status, headers, body = fetch(base + "/accounts/login/", **{"X-Forwarded-Proto": "https"})
        page = body.decode()
        assert status == 200 and "Log in" in page
        stylesheets = re.findall(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', page)
        assert stylesheets, "no hashed (manifest) stylesheet on the login page"
        for href in stylesheets:
            status, headers, css = fetch(base + href, **{"X-Forwarded-Proto": "https"})
            assert status == 200, href
            assert headers["Content-Type"].startswith("text/css") and css

        # Plain HTTP from inside the network, as a balancer's health check asks.
        status, headers, body = fetch(base + "/healthz")
        assert status in (200, 503)
        health = json.loads(body)
        assert health["checks"]["database"]["ok"] is True
        assert health["status"] == ("ok" if status == 200 else "fail")
        # Without the proxy's word, the app sends plain HTTP to HTTPS.
        status, headers, _body = fetch(base + "/accounts/login/")
        assert status == 301 and headers["Location"].startswith("https://")
    finally:
        if web is not None and web.poll() is None:
            os.killpg(web.pid, signal.SIGTERM)
            try:
                web.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(web.pid, signal.SIGKILL)
                web.wait(timeout=30)
        admin_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
