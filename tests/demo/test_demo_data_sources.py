"""The demo's data sources pull from the fake providers (`make run` serves them), so the
numbers of the demo's own channels, posts and campaigns arrive with no internet."""

import pytest
from django.utils import timezone

from collectors import pulling
from collectors.models import Connection, Provider, PullAttempt
from collectors.providers import day_start
from metrics.models import MetricRecord, Post
from tests.collectors.fake_fixtures import Fake, _fake_server, fake_providers  # noqa: F401

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def generous_limits(settings):
    import uuid

    settings.COLLECTORS_RATE_LIMITS = {p: (1000.0, 1000) for p in settings.COLLECTORS_PROVIDERS}
    settings.COLLECTORS_RATE_LIMIT_PREFIX = f"test-bucket:{uuid.uuid4().hex}"


def test_the_demo_has_a_source_per_collected_channel_and_live_campaign():
    sources = Connection.objects.all()
    providers = sorted(sources.values_list("provider", flat=True))

    assert providers.count(Provider.YOUTUBE) == 2
    assert providers.count(Provider.INSTAGRAM) == 2
    assert providers.count(Provider.PLAUSIBLE) == 2  # the two live campaigns
    assert all(s.base_url.startswith("http://127.0.0.1:8765") for s in sources)
    assert all(s.next_run_at <= timezone.now() for s in sources)  # due at once


def test_pulling_the_demo_sources_from_the_fake_writes_their_numbers(
    fake_providers: Fake,  # noqa: F811
    generous_limits,
):
    for source in Connection.objects.all():
        base = source.base_url.replace("http://127.0.0.1:8765", fake_providers.url)
        Connection.objects.filter(pk=source.pk).update(base_url=base)
    before = MetricRecord.objects.count()

    outcomes = {pulling.pull(pk) for pk in Connection.objects.values_list("pk", flat=True)}

    assert outcomes == {pulling.Outcome.PULLED}
    assert not PullAttempt.objects.exclude(outcome=PullAttempt.Outcome.OK).exists()
    assert all(c.records_written > 0 for c in Connection.objects.all())
    assert MetricRecord.objects.count() > before
    # Every demo post on YouTube or Instagram got today's numbers from the fake...
    today = timezone.localdate()
    collected = Post.objects.filter(platform__in=["youtube", "instagram"])
    for post in collected:
        assert MetricRecord.objects.filter(
            post=post, metric="likes", bucket_start=day_start(today), source=post.platform
        ).exists(), post.url
    # ...carrying on the demo's history: lifetime counts never go down.
    for post in collected:
        likes = list(
            MetricRecord.objects.filter(post=post, metric="likes", source=post.platform)
            .order_by("bucket_start")
            .values_list("value", flat=True)
        )
        assert likes == sorted(likes), post.url
