"""Shared rate limits (a token bucket in Redis), the pull lock, and the dispatcher."""

import datetime
import threading
import uuid

import pytest
from django.db import connections
from django.utils import timezone

from collectors import ratelimit
from collectors.models import Connection, Provider, State
from collectors.pulling import LOCK_NAMESPACE, Outcome, pull
from collectors.routing import route_pull
from collectors.services import connection_create
from collectors.tasks import due_connections
from tests.factories import ChannelFactory


@pytest.fixture
def bucket(settings):
    settings.COLLECTORS_RATE_LIMIT_PREFIX = f"test-bucket:{uuid.uuid4().hex}"
    settings.COLLECTORS_RATE_LIMITS = {**settings.COLLECTORS_RATE_LIMITS, "youtube": (1.0, 3)}


def test_the_bucket_gives_its_burst_then_says_how_long_to_wait(bucket):
    now = 1_000_000.0
    assert [ratelimit.take("youtube", now=now) for _ in range(3)] == [0, 0, 0]
    assert ratelimit.take("youtube", now=now) == pytest.approx(1.0)
    assert ratelimit.take("youtube", now=now + 1.0) == 0  # refilled one token


def test_workers_racing_for_the_bucket_take_exactly_its_tokens(bucket):
    now = 2_000_000.0
    results = []
    lock = threading.Lock()

    def grab():
        for _ in range(5):
            wait = ratelimit.take("youtube", now=now)
            with lock:
                results.append(wait)

    threads = [threading.Thread(target=grab) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(0) == 3 and len(results) == 40


@pytest.fixture
def youtube(marketer, fake_providers):
    channel = ChannelFactory(platform="youtube", account_id="UC_locked")
    return connection_create(
        by=marketer, provider=Provider.YOUTUBE, credential="AIzaSy-lock-test-key-0000",
        name="Locked", channel=channel, base_url=f"{fake_providers.url}/youtube/v3",
    )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_pull_the_same_connection_at_once(youtube, fake_providers):
    other = connections.create_connection("default")  # another worker's session
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_NAMESPACE, youtube.pk])
        assert pull(youtube.pk) == Outcome.BUSY
        assert fake_providers.requests() == []
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, youtube.pk])
        assert pull(youtube.pk) == Outcome.PULLED
    finally:
        other.close()


def test_dispatch_skips_paused_reauth_and_quota_until_it_resets(youtube):
    now = timezone.now()
    assert list(due_connections(now)) == [youtube]
    for state in (State.PAUSED, State.NEEDS_REAUTH):
        Connection.objects.filter(pk=youtube.pk).update(state=state)
        assert list(due_connections(now)) == []
    Connection.objects.filter(pk=youtube.pk).update(
        state=State.QUOTA_EXHAUSTED, state_until=now + datetime.timedelta(hours=1)
    )
    assert list(due_connections(now)) == []
    assert list(due_connections(now + datetime.timedelta(hours=1))) == [youtube]


def test_a_dispatched_pull_is_queued_again_only_after_its_lease(youtube):
    now = timezone.now()
    Connection.objects.filter(pk=youtube.pk).update(dispatched_at=now)
    assert list(due_connections(now + datetime.timedelta(minutes=5))) == []
    assert list(due_connections(now + datetime.timedelta(minutes=11))) == [youtube]


def test_each_provider_has_its_own_queue(settings):
    settings.COLLECTORS_QUEUE_PREFIX = "collect"
    assert route_pull("collectors.pull", [1], {"provider": "matomo"}, {}) == {
        "queue": "collect.matomo"
    }
    assert route_pull("accounts.sweep_outbox", [], {}, {}) is None


def test_a_pull_waits_for_its_providers_bucket(youtube, fake_providers, settings):
    settings.COLLECTORS_RATE_LIMITS = {**settings.COLLECTORS_RATE_LIMITS, "youtube": (0.001, 1)}
    assert ratelimit.take("youtube") == 0  # another worker took the only token
    before = timezone.now()
    assert pull(youtube.pk) == Outcome.FAILED
    youtube.refresh_from_db()
    assert youtube.state == State.OK
    assert youtube.last_error == "Our own limit for this provider is used up for now."
    assert youtube.next_run_at >= before + datetime.timedelta(seconds=30)
    assert fake_providers.requests() == []  # nothing went out
