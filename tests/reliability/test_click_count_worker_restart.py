"""Every click counted, under load and through a worker killed in the middle of the rollup.

200 people and 40 link-preview bots open one tracked link at the same moment against
gunicorn (a subprocess on the test database, 4 workers: the 240 connections wait in its
listen backlog, as they would behind a balancer). Then a real Celery worker runs the
rollup, is SIGKILLed while the rollup is writing its records (the test holds a lock on
the records table so the write waits, and the kill lands there), and a new worker starts:
it takes the unacknowledged message again once the visibility timeout has passed, and the
records read exactly 200 people and 40 bots.
"""

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import uuid
import warnings
from pathlib import Path

import psycopg2
import pytest
from celery.exceptions import AlwaysEagerIgnored
from django.db import connection

from config.celery import app
from metrics.links.clicks import clicks_rollup
from metrics.links.services import tracked_link_create
from metrics.models import Click, Metric, MetricRecord
from tests.factories import make_partnership

from ._outbox_support import ROOT, Worker, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PEOPLE = 200
BOTS = 40
TIME_LIMIT = 5  # visibility timeout 10 s: the killed worker's message comes back soon


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{db['USER']}{password}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Web:
    """gunicorn serving the test database on loopback."""

    def __init__(self, log: Path) -> None:
        self.port = free_port()
        env = {**os.environ, "DATABASE_URL": database_url(), "DEBUG": "false"}
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.log = log
        with open(log, "w") as out:
            self.process = subprocess.Popen(
                [str(gunicorn), "config.wsgi", "--bind", f"127.0.0.1:{self.port}",
                 "--workers", "4", "--backlog", "1024", "--timeout", "60"],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

    def wait_ready(self) -> None:
        def answers() -> bool:
            assert self.process.poll() is None, self.log.read_text()[-3000:]
            try:
                return self.get("/r/not-a-code-at-all", "probe")[0] == 404
            except OSError:
                return False

        wait_for(answers, timeout=90, message="gunicorn to answer")

    def get(self, path: str, agent: str) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request("GET", path, headers={"User-Agent": agent})
            response = conn.getresponse()
            response.read()
            return response.status, response.getheader("Location", "")
        finally:
            conn.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=60)


@pytest.fixture
def web(tmp_path):
    server = Web(tmp_path / "web.log")
    yield server
    server.stop()


def visit_all_at_once(web: Web, path: str) -> list[int]:
    agents = [f"Mozilla/5.0 (iPhone) person-{i % 50}" for i in range(PEOPLE)]
    agents += ["WhatsApp/2.24.1 A", "facebookexternalhit/1.1", "TelegramBot (like TwitterBot)",
               "Slackbot-LinkExpanding 1.0"] * (BOTS // 4)  # fmt: skip
    statuses: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(len(agents))

    def visit(agent: str) -> None:
        start.wait()
        status, _location = web.get(path, agent)
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=visit, args=(agent,)) for agent in agents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(180)
    return statuses


def send_rollup(queue: str) -> None:
    with warnings.catch_warnings():  # send_task publishes even in the eager test settings
        warnings.simplefilter("ignore", AlwaysEagerIgnored)
        app.send_task("metrics.rollup_clicks", queue=queue)


def records_table_lock() -> "psycopg2.extensions.connection":
    """Another session holding the records table: reads go on, every write waits."""
    db = connection.settings_dict
    holder = psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], password=db.get("PASSWORD") or None,
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432,
    )  # fmt: skip
    with holder.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {MetricRecord._meta.db_table} IN EXCLUSIVE MODE")
    return holder


def waiting_writes() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = %s::regclass",
            [MetricRecord._meta.db_table],
        )
        return cursor.fetchone()[0]


def counts(link) -> dict[str, int]:
    return {
        metric: int(value)
        for metric, value in MetricRecord.objects.filter(link=link).values_list("metric", "value")
    }


def test_clicks_are_exact_under_200_concurrent_requests_and_a_worker_killed_mid_rollup(
    web, marketer
):
    link = tracked_link_create(
        partnership=make_partnership(by=marketer),
        destination="https://kopikita.example/",
        by=marketer,
    )
    web.wait_ready()

    statuses = visit_all_at_once(web, f"/r/{link.code}")

    assert statuses == [302] * (PEOPLE + BOTS), web.log.read_text()[-3000:]
    assert Click.objects.filter(link=link, kind=Click.Kind.HUMAN).count() == PEOPLE
    assert Click.objects.filter(link=link, kind=Click.Kind.BOT).count() == BOTS

    queue = f"test-rollup-{uuid.uuid4().hex[:8]}"
    env = {"CELERY_TASK_TIME_LIMIT": str(TIME_LIMIT), "CELERY_TASK_SOFT_TIME_LIMIT": "4"}
    first = Worker(queue=queue, smtp_port=1, env=env)
    second = Worker(queue=queue, smtp_port=1, env=env)
    holder = records_table_lock()
    try:
        first.start()
        send_rollup(queue)
        # The rollup has counted the clicks and waits to write its records: kill it there.
        wait_for(waiting_writes, timeout=120, message="the rollup to reach its write")
        first.kill()
        assert counts(link) == {}
        holder.rollback()  # the dead worker's session gives up; nothing of it is committed

        second.start()
        wait_for(lambda: counts(link), timeout=150, message="the message to be redelivered")
    finally:
        holder.close()
        first.kill()
        log = second.stop()

    expected = {
        Metric.LINK_CLICKS_HUMAN: PEOPLE,
        Metric.LINK_CLICKS_BOT: BOTS,
        Metric.LINK_VISITORS: 50,  # one address, 50 different browsers
    }
    assert counts(link) == expected, log
    clicks_rollup()  # beat's next run changes nothing
    assert counts(link) == expected
