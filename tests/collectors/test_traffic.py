"""Traffic per UTM campaign and content, from Plausible and Matomo against the fake."""

import datetime
import logging

import pytest
from django.utils import timezone

from collectors.models import Connection, Provider, State
from collectors.providers import plausible
from collectors.pulling import Outcome, pull
from collectors.services import connection_create
from metrics.links.services import tracked_link_create
from metrics.models import Metric, MetricRecord
from tests.factories import CampaignFactory, ChannelFactory, make_partnership

TOKEN = "plausible-or-matomo-token-5150"
CONTENT = "alia-kopi-alia_eats"


@pytest.fixture
def live_campaign(marketer, fake_providers):
    today = timezone.localdate()
    campaign = CampaignFactory(
        utm_campaign="kopi_raya",
        starts_on=today - datetime.timedelta(days=4),
        ends_on=today + datetime.timedelta(days=20),
    )
    partnership = make_partnership(by=marketer, campaign=campaign, channel=ChannelFactory())
    tracked_link_create(
        partnership=partnership, destination="https://kopi.example/raya", by=marketer,
        utms={"utm_content": CONTENT},
    )  # fmt: skip
    fake_providers.contents({"kopi_raya": [CONTENT, "someone-else"]})
    return campaign, partnership


@pytest.fixture(params=[Provider.PLAUSIBLE, Provider.MATOMO])
def site(request, marketer, fake_providers, live_campaign):
    return connection_create(
        by=marketer, provider=request.param, credential=TOKEN, name="Shop site",
        site_id="kopi.example" if request.param == Provider.PLAUSIBLE else "1",
        base_url=fake_providers.url,
    )  # fmt: skip


def records(**subject):
    return MetricRecord.objects.filter(**subject)


def test_traffic_lands_on_the_campaign_and_the_partnership_per_day(site, live_campaign):
    campaign, partnership = live_campaign
    assert pull(site.pk) == Outcome.PULLED
    on_campaign = records(campaign=campaign, source=site.provider)
    on_partnership = records(partnership=partnership, source=site.provider)
    days = {r.bucket_start for r in on_campaign}
    assert len(days) == 91  # a first pull looks 90 days back, today included
    assert {r.metric for r in on_campaign} >= {Metric.SESSIONS, Metric.USERS}
    assert on_partnership.filter(metric=Metric.SESSIONS).count() == 91
    assert all(r.granularity == "day" and r.value > 0 for r in on_partnership)
    site.refresh_from_db()
    assert (
        site.state == State.OK
        and site.records_written == on_campaign.count() + on_partnership.count()
    )
    # A campaign is live: hourly.
    assert site.next_run_at <= timezone.now() + datetime.timedelta(hours=1)


def test_a_second_pull_catches_up_from_last_pulled_and_doubles_nothing(site, live_campaign):
    pull(site.pk)
    count = MetricRecord.objects.count()
    Connection.objects.filter(pk=site.pk).update(
        next_run_at=timezone.now(), last_pulled_at=timezone.now() - datetime.timedelta(days=7)
    )
    assert pull(site.pk) == Outcome.PULLED
    assert MetricRecord.objects.count() == count
    site.refresh_from_db()
    # 7 days missed plus 3 settling days, today included.
    assert site.records_written > count


def test_empty_answers_write_nothing_and_succeed(site, fake_providers):
    for _ in range(4):
        fake_providers.queue(site.provider, "empty")
    assert pull(site.pk) == Outcome.PULLED
    assert MetricRecord.objects.filter(source=site.provider).count() == 0


def test_plausible_pages_through_results(marketer, fake_providers, live_campaign, monkeypatch):
    monkeypatch.setattr(plausible, "PAGE", 25)
    connection = connection_create(
        by=marketer, provider=Provider.PLAUSIBLE, credential=TOKEN, name="Site",
        site_id="kopi.example", base_url=fake_providers.url,
    )  # fmt: skip
    assert pull(connection.pk) == Outcome.PULLED
    campaign, partnership = live_campaign
    assert records(campaign=campaign, metric=Metric.SESSIONS).count() == 91
    assert records(partnership=partnership, metric=Metric.SESSIONS).count() == 91
    # 91 rows per campaign: 4 pages; 182 rows per content (two contents): 8 pages.
    assert len(fake_providers.requests()) == 4 + 8


def test_matomo_error_inside_http_200_marks_failing(marketer, fake_providers, live_campaign):
    connection = connection_create(
        by=marketer, provider=Provider.MATOMO, credential=TOKEN, name="Matomo", site_id="1",
        base_url=fake_providers.url,
    )  # fmt: skip
    fake_providers.queue("matomo", "error200")
    assert pull(connection.pk) == Outcome.FAILED
    connection.refresh_from_db()
    assert connection.state == State.FAILING
    assert "table archive_numeric_2026_11 is locked" in connection.last_error
    assert MetricRecord.objects.count() == 0


def test_expired_token_needs_reauthorisation(site, fake_providers):
    fake_providers.queue(site.provider, "expired")
    assert pull(site.pk) == Outcome.FAILED
    site.refresh_from_db()
    assert site.state == State.NEEDS_REAUTH


def test_429_is_retried_after_the_time_asked(site, fake_providers):
    fake_providers.queue(site.provider, "429", retry_after=60)
    before = timezone.now()
    assert pull(site.pk) == Outcome.FAILED
    site.refresh_from_db()
    assert site.state == State.OK
    assert site.next_run_at >= before + datetime.timedelta(seconds=60)


def test_garbage_in_the_second_answer_keeps_the_first(site, fake_providers, caplog):
    fake_providers.queue(site.provider, "ok", "garbage")
    with caplog.at_level(logging.WARNING):
        assert pull(site.pk) == Outcome.PULLED
    assert records(campaign__isnull=False).count() > 0
    assert records(partnership__isnull=False).count() == 0
    site.refresh_from_db()
    assert "not JSON" in site.last_error


def test_credentials_travel_outside_urls_and_logs(site, fake_providers, caplog):
    with caplog.at_level(logging.DEBUG):
        pull(site.pk)
    assert TOKEN not in caplog.text
    assert not any(r["credential_in_url"] for r in fake_providers.requests())
