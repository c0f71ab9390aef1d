"""GA4 against the fake: a service account's JWT for a token, the report per campaign
and content, string and decimal values, paging, empty reports, and quota."""

import datetime
import json
import logging

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.utils import timezone

from collectors.models import Provider, State
from collectors.providers import ga4
from collectors.pulling import Outcome, pull
from collectors.services import connection_create
from metrics.links.services import tracked_link_create
from metrics.models import Metric, MetricRecord
from tests.factories import CampaignFactory, ChannelFactory, make_partnership

CONTENT = "ina-makan"


@pytest.fixture(scope="module")
def service_account() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return json.dumps({
        "type": "service_account", "project_id": "kopi-kita", "private_key_id": "abc123",
        "private_key": pem, "client_email": "collector@kopi-kita.iam.gserviceaccount.com",
        "token_uri": "https://oauth2.googleapis.com/token",
    })  # fmt: skip


@pytest.fixture
def property_(marketer, fake_providers, service_account):
    today = timezone.localdate()
    campaign = CampaignFactory(
        utm_campaign="Kopi_Raya", starts_on=today - datetime.timedelta(days=2),
        ends_on=today + datetime.timedelta(days=9),
    )  # fmt: skip
    partnership = make_partnership(by=marketer, campaign=campaign, channel=ChannelFactory())
    tracked_link_create(
        partnership=partnership, destination="https://kopi.example/", by=marketer,
        utms={"utm_content": CONTENT},
    )  # fmt: skip
    fake_providers.contents({"kopi_raya": [CONTENT]})
    connection = connection_create(
        by=marketer, provider=Provider.GA4, credential=service_account, name="GA4",
        site_id="123456789", base_url=fake_providers.url,
    )  # fmt: skip
    return connection, campaign, partnership


def test_report_lands_per_day_on_campaign_and_partnership(property_, fake_providers):
    connection, campaign, partnership = property_
    assert pull(connection.pk) == Outcome.PULLED
    conversions = MetricRecord.objects.filter(campaign=campaign, metric=Metric.CONVERSIONS)
    assert conversions.count() == 91  # "3.0"-style decimals read as numbers
    assert MetricRecord.objects.filter(partnership=partnership, metric=Metric.USERS).count() == 91
    paths = [r["path"] for r in fake_providers.requests()]
    assert paths == ["/token", "/v1beta/properties/123456789:runReport",
                     "/v1beta/properties/123456789:runReport"]  # fmt: skip


def test_paging_by_offset(property_, fake_providers, monkeypatch):
    monkeypatch.setattr(ga4, "PAGE", 40)
    connection, campaign, _ = property_
    assert pull(connection.pk) == Outcome.PULLED
    assert MetricRecord.objects.filter(campaign=campaign, metric=Metric.SESSIONS).count() == 91
    assert len(fake_providers.requests()) == 1 + 3 + 3


def test_an_empty_report_has_no_rows_and_writes_nothing(property_, fake_providers):
    connection, *_ = property_
    fake_providers.queue("ga4", "ok", "empty", "empty")
    assert pull(connection.pk) == Outcome.PULLED
    assert MetricRecord.objects.count() == 0


def test_hourly_quota_waits_for_the_next_hour(property_, fake_providers):
    connection, *_ = property_
    fake_providers.queue("ga4", "ok", "429")
    assert pull(connection.pk) == Outcome.FAILED
    connection.refresh_from_db()
    assert connection.state == State.OK
    assert connection.next_run_at.minute == 0 and connection.next_run_at > timezone.now()


def test_daily_quota_pauses_until_pacific_midnight(property_, fake_providers):
    connection, *_ = property_
    fake_providers.queue("ga4", "ok", "quota")
    assert pull(connection.pk) == Outcome.FAILED
    connection.refresh_from_db()
    assert connection.state == State.QUOTA_EXHAUSTED


def test_a_refused_service_account_needs_new_credentials(property_, fake_providers):
    connection, *_ = property_
    fake_providers.queue("ga4", "expired")  # at the token endpoint
    assert pull(connection.pk) == Outcome.FAILED
    connection.refresh_from_db()
    assert connection.state == State.NEEDS_REAUTH


def test_not_json_key_needs_new_credentials(marketer, fake_providers, property_):
    _, campaign, _ = property_
    connection = connection_create(
        by=marketer, provider=Provider.GA4, credential="not-a-json-key-at-all",
        name="GA4 wrong", site_id="1", base_url=fake_providers.url,
    )  # fmt: skip
    assert pull(connection.pk) == Outcome.FAILED
    connection.refresh_from_db()
    assert connection.state == State.NEEDS_REAUTH
    assert "not-a-json" not in connection.last_error


def test_private_key_stays_out_of_logs(property_, service_account, caplog):
    connection, *_ = property_
    with caplog.at_level(logging.DEBUG):
        pull(connection.pk)
    key_line = json.loads(service_account)["private_key"].splitlines()[1]
    assert key_line not in caplog.text
