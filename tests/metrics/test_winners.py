"""The counted and latest flags: chosen when numbers are written (metrics.winners), so
pages read plain sums. Each test checks the flags against the rule recomputed here from
every record: one counted record per bucket (measured before typed, then the one written
last), one latest record per lifetime counter of a subject (the newest bucket, chosen
the same way)."""

import datetime
from decimal import Decimal

import pytest

from metrics.models import Granularity, Kind, Metric, MetricRecord
from metrics.progress import partnership_reading
from metrics.retention import hourly_records_fold
from metrics.services import Row, records_upsert
from tests.factories import CampaignFactory, ChannelFactory, make_partnership

pytestmark = pytest.mark.django_db

KL = datetime.timezone(datetime.timedelta(hours=8))
TYPED = {"manual", "csv"}
SUBJECT = ("channel_id", "post_id", "link_id", "partnership_id", "campaign_id")


def day(d: int, h: int = 10) -> datetime.datetime:
    return datetime.datetime(2026, 11, d, h, 0, tzinfo=KL)


def flags_follow_the_rule() -> None:
    records = list(MetricRecord.objects.all())
    buckets: dict[tuple, list[MetricRecord]] = {}
    counters: dict[tuple, list[MetricRecord]] = {}
    for r in records:
        subject = tuple(getattr(r, name) for name in SUBJECT)
        buckets.setdefault((subject, r.metric, r.granularity, r.bucket_start), []).append(r)
        if r.kind == Kind.LIFETIME:
            counters.setdefault((subject, r.metric), []).append(r)

    def rank(r: MetricRecord) -> tuple:
        return (r.source in TYPED, -r.recorded_at.timestamp(), -r.pk)

    counted = {min(rows, key=rank).pk for rows in buckets.values()}
    latest = {
        min(rows, key=lambda r: (-r.bucket_start.timestamp(), *rank(r))).pk
        for rows in counters.values()
    }
    assert {r.pk for r in records if r.counted} == counted
    assert {r.pk for r in records if r.latest} == latest


@pytest.fixture
def partnership(marketer):
    return make_partnership(by=marketer, channel=ChannelFactory(), campaign=CampaignFactory())


def sessions(partnership, value, source, at=None, **extra) -> Row:
    return Row(
        metric=Metric.SESSIONS,
        at=at or day(1),
        value=value,
        source=source,
        partnership=partnership.pk,
        **extra,
    )


def counted_sources(**filters) -> set[str]:
    return set(
        MetricRecord.objects.filter(counted=True, **filters).values_list("source", flat=True)
    )


def test_a_measured_number_written_after_a_typed_one_takes_its_place(partnership):
    records_upsert(
        [sessions(partnership, 30, "manual"), sessions(partnership, 5, "manual", day(2))]
    )
    flags_follow_the_rule()
    assert partnership_reading(partnership, Metric.SESSIONS).value == Decimal("35")

    records_upsert([sessions(partnership, 12, "ga4")])
    flags_follow_the_rule()
    assert counted_sources(bucket_start__day=1) == {"ga4"}
    # Day 1 measured (12), day 2 still only typed (5).
    assert partnership_reading(partnership, Metric.SESSIONS).value == Decimal("17")


def test_a_typed_number_written_after_a_measured_one_does_not_count(partnership):
    records_upsert([sessions(partnership, 12, "ga4")])
    records_upsert([sessions(partnership, 30, "manual")])
    records_upsert([sessions(partnership, 31, "csv")])
    flags_follow_the_rule()
    assert counted_sources() == {"ga4"}
    reading = partnership_reading(partnership, Metric.SESSIONS)
    assert (reading.value, reading.label) == (Decimal("12"), "measured")


def test_of_two_measured_sources_the_one_written_last_counts(partnership):
    records_upsert([sessions(partnership, 12, "ga4")])
    records_upsert([sessions(partnership, 14, "plausible")])
    flags_follow_the_rule()
    assert counted_sources() == {"plausible"}
    records_upsert([sessions(partnership, 13, "ga4")])
    flags_follow_the_rule()
    assert counted_sources() == {"ga4"}
    assert partnership_reading(partnership, Metric.SESSIONS).value == Decimal("13")
    # Both in one call (written at the same moment): one of them, never both.
    records_upsert(
        [sessions(partnership, 1, "matomo", day(3)), sessions(partnership, 2, "shop", day(3))]
    )
    flags_follow_the_rule()
    assert MetricRecord.objects.filter(counted=True, bucket_start__day=3).count() == 1


def test_the_latest_lifetime_record_is_the_newest_bucket_measured_before_typed(partnership):

    def views(value, source, at) -> Row:
        return Row(
            metric=Metric.VIEWS, at=at, value=value, source=source, partnership=partnership.pk
        )

    records_upsert([views(100, "youtube", day(1)), views(150, "youtube", day(2))])
    flags_follow_the_rule()
    assert partnership_reading(partnership, Metric.VIEWS).value == Decimal("150")
    # A typed number for a newer day is the latest until something measured covers it.
    records_upsert([views(400, "manual", day(3))])
    flags_follow_the_rule()
    assert partnership_reading(partnership, Metric.VIEWS).value == Decimal("400")
    records_upsert([views(390, "youtube", day(3))])
    flags_follow_the_rule()
    assert partnership_reading(partnership, Metric.VIEWS).value == Decimal("390")
    # An older day written again changes nothing.
    records_upsert([views(120, "youtube", day(1))])
    flags_follow_the_rule()
    assert partnership_reading(partnership, Metric.VIEWS).value == Decimal("390")
    assert MetricRecord.objects.filter(latest=True).count() == 1
    # Per-bucket counts never have a latest record.
    records_upsert([sessions(partnership, 3, "ga4")])
    assert not MetricRecord.objects.filter(metric=Metric.SESSIONS, latest=True).exists()


def test_the_fold_keeps_the_flags_right(partnership):
    channel = ChannelFactory()
    now = datetime.datetime(2026, 11, 28, 12, 0, tzinfo=KL)
    october = datetime.datetime(2026, 10, 1, 0, 0, tzinfo=KL)

    def hourly(metric, h, value, source="ga4", **subject) -> Row:
        return Row(
            metric=metric,
            at=october + datetime.timedelta(hours=h),
            value=value,
            source=source,
            granularity=Granularity.HOUR,
            **subject,
        )

    records_upsert(
        [
            # A typed day, then measured hours of the same day: the folded day counts.
            Row(
                metric=Metric.SESSIONS,
                at=october,
                value=500,
                source="manual",
                partnership=partnership.pk,
            )
        ]
    )
    records_upsert(
        [
            *(hourly(Metric.SESSIONS, h, 10, partnership=partnership.pk) for h in range(5)),
            hourly(Metric.FOLLOWERS, 8, 1000, channel=channel.pk),
            hourly(Metric.FOLLOWERS, 22, 1040, channel=channel.pk),
        ]
    )
    flags_follow_the_rule()
    assert hourly_records_fold(keep_days=35, now=now) == 7
    flags_follow_the_rule()
    assert counted_sources(partnership=partnership) == {"ga4"}
    assert partnership_reading(partnership, Metric.SESSIONS).value == Decimal("50")
    [latest] = MetricRecord.objects.filter(channel=channel, latest=True)
    assert (latest.granularity, latest.value) == (Granularity.DAY, Decimal("1040.00"))
