"""The records store: one idempotent upsert, and lifetime counters vs per-bucket counts."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from metrics.models import Granularity, Kind, Metric, MetricRecord
from metrics.selectors import current_value
from metrics.services import Row, records_upsert
from tests.factories import CampaignFactory, ChannelFactory

pytestmark = pytest.mark.django_db

KL = datetime.timezone(datetime.timedelta(hours=8))


def at(day: int, hour: int = 10, minute: int = 37) -> datetime.datetime:
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=KL)


@pytest.fixture
def campaign():
    return CampaignFactory()


def sessions(campaign, day, value, **extra):
    return Row(
        metric=Metric.SESSIONS,
        at=at(day),
        value=value,
        source="manual",
        campaign=campaign.pk,
        **extra,
    )


def test_the_same_record_twice_is_one_row(campaign):
    assert records_upsert([sessions(campaign, 1, 40)]) == 1
    records_upsert([sessions(campaign, 1, 40)])
    record = MetricRecord.objects.get()
    assert (record.value, record.kind, record.source) == (
        Decimal("40.00"),
        Kind.PER_BUCKET,
        "manual",
    )


def test_a_changed_value_updates_the_row(campaign):
    records_upsert([sessions(campaign, 1, 40)])
    first = MetricRecord.objects.get()
    records_upsert([sessions(campaign, 1, 55, estimated=True)])
    record = MetricRecord.objects.get()
    assert record.pk == first.pk
    assert (record.value, record.estimated) == (Decimal("55.00"), True)
    assert record.recorded_at >= first.recorded_at


def test_a_repeated_key_in_one_call_keeps_the_last(campaign):
    assert records_upsert([sessions(campaign, 1, 1), sessions(campaign, 1, 2)]) == 1
    assert MetricRecord.objects.get().value == 2


def test_bucket_source_and_granularity_are_part_of_the_key(campaign):
    records_upsert(
        [
            sessions(campaign, 1, 10),
            sessions(campaign, 2, 20),
            Row(metric=Metric.SESSIONS, at=at(1), value=5, source="ga4", campaign=campaign.pk),
            Row(
                metric=Metric.SESSIONS,
                at=at(1),
                value=3,
                source="manual",
                granularity=Granularity.HOUR,
                campaign=campaign.pk,
            ),
        ]
    )
    assert MetricRecord.objects.count() == 4


def test_buckets_start_on_the_hour_or_at_local_midnight(campaign):
    records_upsert([sessions(campaign, 3, 1)])
    records_upsert(
        [
            Row(
                metric=Metric.SESSIONS,
                at=at(3),
                value=1,
                source="manual",
                granularity=Granularity.HOUR,
                campaign=campaign.pk,
            )
        ]
    )
    day, hour = MetricRecord.objects.order_by("granularity")
    assert timezone.localtime(day.bucket_start) == datetime.datetime(2026, 11, 3, tzinfo=KL)
    assert timezone.localtime(hour.bucket_start) == at(3, 10, 0)


def test_per_bucket_counts_add_up_and_lifetime_counters_take_the_latest(campaign):
    channel, other = ChannelFactory(), ChannelFactory()
    records_upsert(
        [sessions(campaign, day, value) for day, value in ((1, 100), (2, 50), (3, 25))]
        + [
            Row(metric=Metric.LIKES, at=at(day), value=value, source="instagram", channel=c.pk)
            for c, day, value in (
                (channel, 1, 10),
                (channel, 2, 30),
                (channel, 3, 45),
                (other, 1, 7),
            )
        ]
    )
    assert current_value(MetricRecord.objects.all(), Metric.SESSIONS) == 175
    # 45 (latest of the first channel) + 7 (the other's only record), never 10+30+45+7.
    assert current_value(MetricRecord.objects.all(), Metric.LIKES) == 52
    assert set(MetricRecord.objects.values_list("metric", "kind")) == {
        (Metric.SESSIONS, Kind.PER_BUCKET),
        (Metric.LIKES, Kind.LIFETIME),
    }


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"value": -1}, "negative"),
        ({"value": Decimal("1000000000000")}, "past the bound"),
        ({"value": Decimal("NaN")}, "not a number"),
        ({"metric": "mood"}, "unknown metric"),
        ({"granularity": "week"}, "unknown granularity"),
        ({"source": "Bad Source!"}, "source not a short name"),
        ({"at": datetime.datetime(2026, 11, 1, 10)}, "naive time"),
        ({"campaign": None}, "no subject"),
        ({"channel": "two"}, "two subjects"),
    ],
)
def test_bad_rows_are_refused_and_nothing_is_written(campaign, change, why):
    if change.get("channel") == "two":
        change = {"channel": ChannelFactory().pk}
    good = sessions(campaign, 1, 1)
    bad = Row(**{**good.__dict__, **change})
    with pytest.raises(ValidationError):
        records_upsert([good, bad])
    assert not MetricRecord.objects.exists(), why


def test_the_database_refuses_two_subjects_and_a_wrong_kind(campaign):
    base = {
        "metric": Metric.SESSIONS,
        "kind": Kind.PER_BUCKET,
        "bucket_start": at(1, 0, 0),
        "value": 1,
        "source": "manual",
        "campaign": campaign,
    }
    for bad in ({"channel": ChannelFactory()}, {"kind": Kind.LIFETIME}, {"value": -1}):
        with pytest.raises(IntegrityError), transaction.atomic():
            MetricRecord.objects.create(**{**base, **bad})
