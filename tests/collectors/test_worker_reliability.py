"""Real Celery workers (subprocesses) against the fake providers: a worker SIGKILLed in the
middle of a pull loses and doubles nothing, the per-provider rate limit holds across two
workers, and the dispatcher fired twice pulls each source once."""

import json
import threading
import uuid

import pytest
from django.db import connection as db
from django.utils import timezone

from collectors.models import Connection, Provider, PullAttempt
from collectors.pulling import LOCK_NAMESPACE, advisory_lock
from collectors.services import connection_create, connection_pull_now
from collectors.tasks import dispatch
from config.celery import app as celery_app
from metrics.models import MetricRecord
from metrics.posts.services import post_add
from tests.factories import ChannelFactory, make_partnership
from tests.reliability._outbox_support import Worker, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

KEY = "AIzaSy-reliability-key-5150"
RATE, BURST = 2.0, 1


@pytest.fixture
def workers(settings, fake_providers):
    """Start workers on this test's own provider queues (as many as asked)."""
    prefix = f"collect-rel-{uuid.uuid4().hex[:8]}"
    settings.COLLECTORS_QUEUE_PREFIX = prefix
    settings.COLLECTORS_RATE_LIMIT_PREFIX = f"{prefix}:bucket"
    settings.COLLECTORS_RATE_LIMITS = {
        **settings.COLLECTORS_RATE_LIMITS, "youtube": (RATE, BURST),
    }  # fmt: skip
    queues = ",".join(f"{prefix}.{p}" for p in settings.COLLECTORS_PROVIDERS)
    started: list[Worker] = []

    def start() -> Worker:
        worker = Worker(
            queue=queues,
            smtp_port=1,
            env={
                "COLLECTORS_QUEUE_PREFIX": prefix,
                "CELERY_TASK_DEFAULT_QUEUE": f"{prefix}.default",
                "COLLECTORS_HTTP_TIMEOUT": "20",
                "COLLECTORS_RATE_LIMIT_PREFIX": f"{prefix}:bucket",
                "COLLECTORS_RATE_LIMITS": json.dumps({"youtube": [RATE, BURST]}),
                # Visibility timeout 2 x 8 s: a killed worker's message is handed out again
                # by the next worker within about 30 s (see test_worker_killed).
                "CELERY_TASK_TIME_LIMIT": "8",
                "CELERY_TASK_SOFT_TIME_LIMIT": "7",
                "EMAIL_URL": "dummymail://",
            },
        ).start()
        started.append(worker)
        return worker

    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield start
    celery_app.conf.task_always_eager = eager
    for worker in started:
        log = worker.stop()
        assert KEY not in log


def youtube_source(marketer, fake_providers, n: int, *, with_post: bool = False) -> Connection:
    channel = ChannelFactory(platform="youtube", handle=f"chan{n}", account_id=f"UC_chan{n}")
    connection = connection_create(
        by=marketer, provider=Provider.YOUTUBE, credential=KEY, name=f"YT {n}",
        channel=channel, base_url=f"{fake_providers.url}/youtube/v3",
    )  # fmt: skip
    if with_post:
        post_add(
            partnership=make_partnership(by=marketer, influencer=channel.influencer),
            by=marketer, channel=channel, url=f"https://www.youtube.com/watch?v=vid{n:08d}",
            published_on=timezone.localdate(),
        )  # fmt: skip
    return connection


def ok_attempts(connection) -> int:
    return PullAttempt.objects.filter(connection=connection, outcome=PullAttempt.Outcome.OK).count()


def test_a_worker_killed_mid_pull_loses_and_doubles_nothing(workers, marketer, fake_providers):
    source = youtube_source(marketer, fake_providers, 1, with_post=True)
    # The first request (the channel) hangs until the worker is killed.
    fake_providers.queue("youtube", "hang", hang=60)
    first = workers()
    connection_pull_now(connection=source)
    wait_for(lambda: fake_providers.requests(), timeout=90, message="the hanging request")
    first.kill()
    assert not PullAttempt.objects.filter(connection=source).exists()

    workers()  # restarted: takes the unacknowledged message back and pulls

    wait_for(lambda: ok_attempts(source), timeout=120, message="the pull after the restart")
    source.refresh_from_db()
    assert ok_attempts(source) == 1
    assert not PullAttempt.objects.filter(
        connection=source, outcome=PullAttempt.Outcome.FAILED
    ).exists()
    records = MetricRecord.objects.filter(source="youtube")
    # followers once, and views, likes, comments of the post once each
    assert records.filter(channel=source.channel).count() == 1
    assert sorted(records.filter(post__isnull=False).values_list("metric", flat=True)) == [
        "comments", "likes", "views",
    ]  # fmt: skip
    assert source.records_written == 4
    assert source.dispatched_at is None and source.next_run_at > timezone.now()

    # The advisory lock died with the killed worker's database session. (pg_locks is
    # the whole server's: only this database's pull locks, not a parallel test's.)
    def pull_locks() -> int:
        with db.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s"
                " AND objid = %s AND database = (SELECT oid FROM pg_database"
                " WHERE datname = current_database())",
                [LOCK_NAMESPACE, source.pk],
            )
            return cursor.fetchone()[0]

    assert pull_locks() == 0
    with advisory_lock(source.pk) as got:  # the query does see such a lock
        assert got and pull_locks() == 1


def test_the_rate_limit_holds_across_two_workers(workers, marketer, fake_providers):
    sources = [youtube_source(marketer, fake_providers, n) for n in range(8)]
    workers(), workers()

    for source in sources:
        connection_pull_now(connection=source)

    wait_for(
        lambda: all(ok_attempts(s) for s in sources), timeout=180, message="every pull"
    )  # fmt: skip
    times = sorted(r["at"] for r in fake_providers.requests() if r["provider"] == "youtube")
    assert len(times) == len(sources)
    # A token bucket lets through at most BURST + RATE x T requests in any T seconds.
    for i, start in enumerate(times):
        in_one_second = sum(1 for t in times[i:] if t < start + 1.0)
        assert in_one_second <= BURST + RATE, times


def test_the_dispatcher_fired_twice_pulls_each_source_once(workers, marketer, fake_providers):
    sources = [youtube_source(marketer, fake_providers, n) for n in range(4)]
    workers()
    counts: list[int] = []

    def fire() -> None:
        try:
            counts.append(dispatch())
        finally:
            db.close()

    threads = [threading.Thread(target=fire) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(counts) == len(sources)
    wait_for(
        lambda: all(ok_attempts(s) for s in sources), timeout=120, message="every pull"
    )  # fmt: skip
    assert dispatch() == 0
    assert [ok_attempts(s) for s in sources] == [1] * len(sources)
    assert len(fake_providers.requests()) == len(sources)
    assert PullAttempt.objects.count() == len(sources)
