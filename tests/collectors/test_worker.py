"""With a real Celery worker (a subprocess on this test's own provider queues) against
the fake providers: beat's dispatcher to KPI progress, and each failure handled."""

import datetime
import uuid

import pytest
from django.utils import timezone

from campaigns.models import Campaign
from collectors.models import Connection, Provider, PullAttempt, State
from collectors.services import connection_create, connection_pull_now
from collectors.tasks import dispatch
from config.celery import app as celery_app
from metrics.links.services import tracked_link_create
from metrics.models import Metric, MetricRecord
from metrics.progress import kpi_progress
from tests.factories import UserFactory, make_accepted_partnership
from tests.reliability._outbox_support import Worker, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

TOKEN = "worker-test-plausible-key-8086"
CONTENT = "worker-content"


@pytest.fixture
def worker(settings, fake_providers):
    prefix = f"collect-test-{uuid.uuid4().hex[:8]}"
    settings.COLLECTORS_QUEUE_PREFIX = prefix
    queues = ",".join(f"{prefix}.{p}" for p in settings.COLLECTORS_PROVIDERS)
    worker = Worker(
        queue=queues,
        smtp_port=1,
        env={
            "COLLECTORS_QUEUE_PREFIX": prefix,
            "CELERY_TASK_DEFAULT_QUEUE": f"{prefix}.default",
            "COLLECTORS_HTTP_TIMEOUT": "1",
            "COLLECTORS_RATE_LIMIT_PREFIX": f"{prefix}:bucket",
            "EMAIL_URL": "dummymail://",
        },
    ).start()
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield worker
    celery_app.conf.task_always_eager = eager
    log = worker.stop()
    assert TOKEN not in log


@pytest.fixture
def site(marketer, fake_providers):
    user = UserFactory(role="influencer", email="alia@inbox.test")
    sessions = [{"metric": "sessions", "target": 500, "bonus_tiers": []}]
    partnership = make_accepted_partnership(marketer, user, "Alia", kpis=sessions)
    today = timezone.localdate()
    Campaign.objects.filter(pk=partnership.campaign_id).update(
        starts_on=today - datetime.timedelta(days=3), ends_on=today + datetime.timedelta(days=10)
    )
    tracked_link_create(
        partnership=partnership, destination="https://kopi.example/", by=marketer,
        utms={"utm_content": CONTENT},
    )  # fmt: skip
    fake_providers.contents({partnership.campaign.utm_campaign: [CONTENT]})
    connection = connection_create(
        by=marketer, provider=Provider.PLAUSIBLE, credential=TOKEN, name="Site",
        site_id="kopi.example", base_url=fake_providers.url,
    )  # fmt: skip
    return connection, partnership


def attempts(connection, outcome=None):
    found = PullAttempt.objects.filter(connection=connection)
    return found.filter(outcome=outcome) if outcome else found


def test_the_dispatcher_pulls_due_sources_into_kpi_progress(worker, site):
    connection, partnership = site
    assert dispatch() == 1
    assert dispatch() == 0  # beat firing twice queues it once
    wait_for(lambda: attempts(connection).exists(), timeout=90, message="the pull")
    connection.refresh_from_db()
    assert connection.state == State.OK, connection.last_error
    [sessions] = kpi_progress(partnership)
    assert sessions.metric == "sessions" and sessions.value > 0 and sessions.label == "measured"
    assert (
        MetricRecord.objects.filter(partnership=partnership, metric=Metric.SESSIONS).count() == 91
    )


def test_429_waits_for_retry_after_then_pulls(worker, site, fake_providers):
    connection, _ = site
    fake_providers.queue("plausible", "429", retry_after=2)
    connection_pull_now(connection=connection)
    wait_for(
        lambda: attempts(connection, PullAttempt.Outcome.OK).exists(), timeout=90,
        message="the retried pull",
    )  # fmt: skip
    first, second = fake_providers.requests()[:2]
    assert first["mode"] == "429" and second["mode"] == "ok"
    assert second["at"] - first["at"] >= 2


def test_an_expired_credential_stops_retries(worker, site, fake_providers):
    connection, _ = site
    fake_providers.queue("plausible", "expired")
    connection_pull_now(connection=connection)
    wait_for(lambda: attempts(connection).exists(), timeout=90, message="the pull")
    connection.refresh_from_db()
    assert connection.state == State.NEEDS_REAUTH
    Connection.objects.filter(pk=connection.pk).update(next_run_at=timezone.now())
    assert dispatch() == 0
    assert connection_pull_now(connection=connection) is False
    assert len(fake_providers.requests()) == 1


def test_garbage_writes_nothing(worker, site, fake_providers):
    connection, _ = site
    fake_providers.queue("plausible", "garbage", "garbage")
    connection_pull_now(connection=connection)
    wait_for(lambda: attempts(connection).exists(), timeout=90, message="the pull")
    assert MetricRecord.objects.filter(source="plausible").count() == 0
    connection.refresh_from_db()
    assert "not JSON" in connection.last_error


def test_a_hanging_provider_hits_the_timeout(worker, site, fake_providers):
    connection, _ = site
    fake_providers.queue("plausible", "hang", hang=10)
    connection_pull_now(connection=connection)
    wait_for(lambda: attempts(connection).exists(), timeout=90, message="the pull")
    connection.refresh_from_db()
    assert connection.last_error == "The provider did not answer in time."
    assert connection.failures == 1
