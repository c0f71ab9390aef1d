"""Retention of hourly buckets: old hours become days, and no number changes."""

import datetime
from decimal import Decimal

import pytest

from metrics.models import Granularity, Metric, MetricRecord
from metrics.retention import hourly_records_fold
from metrics.selectors import current_value
from metrics.services import Row, records_upsert
from tests.factories import CampaignFactory, ChannelFactory

pytestmark = pytest.mark.django_db

KL = datetime.timezone(datetime.timedelta(hours=8))
NOW = datetime.datetime(2026, 11, 28, 12, 0, tzinfo=KL)


def hour(day: int, h: int) -> datetime.datetime:
    return datetime.datetime(2026, 10, day, h, 0, tzinfo=KL)


def row(metric, at, value, **subject):
    return Row(
        metric=metric, at=at, value=value, source="ga4", granularity=Granularity.HOUR, **subject
    )


def test_old_hours_become_days_with_the_same_totals_and_recent_hours_stay():
    campaign, channel = CampaignFactory(), ChannelFactory()
    records_upsert(
        [
            # 1 and 2 October, long past the 35 days kept: sessions add up per day.
            *(row(Metric.SESSIONS, hour(1, h), 10, campaign=campaign.pk) for h in range(24)),
            row(Metric.SESSIONS, hour(2, 9), 5, campaign=campaign.pk),
            # A running total: a day keeps its last hour's value.
            row(Metric.FOLLOWERS, hour(1, 8), 1000, channel=channel.pk),
            row(Metric.FOLLOWERS, hour(1, 22), 1040, channel=channel.pk),
            row(Metric.FOLLOWERS, hour(2, 7), 1050, channel=channel.pk),
            # Recent: kept by the hour.
            row(Metric.SESSIONS, NOW - datetime.timedelta(days=2), 7, campaign=campaign.pk),
        ]
    )
    sessions_before = current_value(MetricRecord.objects.all(), Metric.SESSIONS)
    followers_before = current_value(MetricRecord.objects.all(), Metric.FOLLOWERS)

    assert hourly_records_fold(keep_days=35, now=NOW) == 24 + 1 + 3

    days = {
        (r.metric, r.bucket_start.astimezone(KL).day): r.value
        for r in MetricRecord.objects.filter(granularity=Granularity.DAY)
    }
    assert days == {
        (Metric.SESSIONS, 1): Decimal("240.00"),
        (Metric.SESSIONS, 2): Decimal("5.00"),
        (Metric.FOLLOWERS, 1): Decimal("1040.00"),
        (Metric.FOLLOWERS, 2): Decimal("1050.00"),
    }
    midnight = MetricRecord.objects.filter(granularity=Granularity.DAY).first().bucket_start
    assert midnight.astimezone(KL).time() == datetime.time(0, 0)
    assert MetricRecord.objects.filter(granularity=Granularity.HOUR).count() == 1
    assert current_value(MetricRecord.objects.all(), Metric.SESSIONS) == sessions_before == 252
    assert current_value(MetricRecord.objects.all(), Metric.FOLLOWERS) == followers_before


def test_folding_again_changes_nothing_and_late_hours_add_to_their_day():
    campaign = CampaignFactory()
    records_upsert([row(Metric.SESSIONS, hour(3, h), 2, campaign=campaign.pk) for h in (1, 2)])
    hourly_records_fold(keep_days=35, now=NOW)
    assert hourly_records_fold(keep_days=35, now=NOW) == 0
    # An hour of that day arrives late (a collector catching up): it joins the day.
    records_upsert([row(Metric.SESSIONS, hour(3, 5), 3, campaign=campaign.pk)])
    assert hourly_records_fold(keep_days=35, now=NOW) == 1
    [day] = MetricRecord.objects.all()
    assert (day.granularity, day.value) == (Granularity.DAY, Decimal("7.00"))


def test_a_source_and_subject_keep_their_own_days():
    one, other = CampaignFactory(), CampaignFactory()
    records_upsert(
        [
            row(Metric.SESSIONS, hour(4, 1), 1, campaign=one.pk),
            row(Metric.SESSIONS, hour(4, 2), 2, campaign=other.pk),
            Row(
                metric=Metric.SESSIONS,
                at=hour(4, 3),
                value=4,
                source="manual",
                granularity=Granularity.HOUR,
                campaign=one.pk,
                estimated=True,
            ),
        ]
    )
    hourly_records_fold(keep_days=35, now=NOW)
    assert set(MetricRecord.objects.values_list("campaign", "source", "value", "estimated")) == {
        (one.pk, "ga4", Decimal("1.00"), False),
        (other.pk, "ga4", Decimal("2.00"), False),
        (one.pk, "manual", Decimal("4.00"), True),
    }


def test_the_fold_is_a_periodic_task(settings):
    from django_celery_beat.models import PeriodicTask

    from metrics.schedules import ensure_schedules

    ensure_schedules()
    task = PeriodicTask.objects.get(task="metrics.fold_old_hours")
    assert task.enabled and settings.METRICS_HOURLY_RETENTION_DAYS == 35
