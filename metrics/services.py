"""Writes of the metrics app: the scheduler heartbeat and the one door for numbers."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Granularity, Metric, MetricRecord, SchedulerHeartbeat
from .models.records import MAX_VALUE, SUBJECTS, bucket_start_of, kind_of, source_validator

BEAT = "beat"
BATCH = 5000


def heartbeat_record(
    *, name: str = BEAT, at: datetime.datetime | None = None
) -> SchedulerHeartbeat:
    heartbeat, _ = SchedulerHeartbeat.objects.update_or_create(
        name=name, defaults={"ticked_at": at or timezone.now()}
    )
    return heartbeat


@dataclass(frozen=True)
class Row:
    """One number for `records_upsert`, its subject given by id (`post=5`, `link=7`...)."""

    metric: str
    at: datetime.datetime
    value: Decimal | int
    source: str
    granularity: str = Granularity.DAY
    estimated: bool = False
    channel: int | None = None
    post: int | None = None
    link: int | None = None
    partnership: int | None = None
    campaign: int | None = None


def _record(row: Row, now: datetime.datetime) -> MetricRecord:
    subjects = {name: getattr(row, name) for name in SUBJECTS}
    if sum(v is not None for v in subjects.values()) != 1:
        raise ValidationError(_("A record is about exactly one subject."))
    if row.metric not in Metric.values or row.granularity not in Granularity.values:
        raise ValidationError(_("Unknown metric or granularity: %(m)s") % {"m": row.metric})
    value = Decimal(row.value)
    if not value.is_finite() or not (0 <= value <= MAX_VALUE):
        raise ValidationError(_("A value is a number from 0 to %(max)s.") % {"max": MAX_VALUE})
    if timezone.is_naive(row.at):
        raise ValidationError(_("A bucket time needs its time zone."))
    source_validator(row.source)
    return MetricRecord(
        **{f"{name}_id": pk for name, pk in subjects.items()},
        metric=row.metric,
        kind=kind_of(row.metric),
        granularity=row.granularity,
        bucket_start=bucket_start_of(row.at, row.granularity),
        value=value.quantize(Decimal("0.01")),
        source=row.source,
        estimated=row.estimated,
        recorded_at=now,
    )


def records_upsert(rows: Iterable[Row], *, recorded_at: datetime.datetime | None = None) -> int:
    """Write numbers idempotently: one row per (subject, metric, bucket, source); writing
    it again updates value, estimated and recorded_at. All rows or none (ValidationError
    names the first bad one). Within one call the last row for a key wins. Returns the
    number of distinct keys written."""
    now = recorded_at or timezone.now()  # the demo backdates the history it makes up
    by_key: dict[tuple, MetricRecord] = {}
    for row in rows:
        record = _record(row, now)
        key = (
            *(getattr(record, f"{n}_id") for n in SUBJECTS),
            record.metric,
            record.granularity,
            record.bucket_start,
            record.source,
        )
        # ON CONFLICT cannot touch one row twice in a statement: keep the last.
        by_key[key] = record
    records = list(by_key.values())
    with transaction.atomic():
        for start in range(0, len(records), BATCH):
            MetricRecord.objects.bulk_create(
                records[start : start + BATCH],
                update_conflicts=True,
                unique_fields=[*SUBJECTS, "metric", "granularity", "bucket_start", "source"],
                update_fields=["value", "estimated", "recorded_at"],
            )
    return len(records)
