"""Retention of hourly buckets: hour records older than METRICS_HOURLY_RETENTION_DAYS
are folded into day records of the same subject, metric and source, and deleted.

What the pages read stays the same: a per-bucket count's day is the sum of its hours
(added to a day record the source may already have), a lifetime counter's day is its
last hour of that day. One local day per transaction, in one statement that deletes the
hours and writes the days from exactly the rows it deleted, so a crash, a second worker
or an hour written meanwhile can neither lose nor double a number, and running it again
finds nothing left to fold.
"""

import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .models import Granularity, MetricRecord
from .models.records import SUBJECTS, Kind, bucket_start_of

_SUBJECT_COLUMNS = ", ".join(f"{name}_id" for name in SUBJECTS)
_KEY = f"{_SUBJECT_COLUMNS}, metric, granularity, bucket_start, source"
_TABLE = MetricRecord._meta.db_table

_FOLD_DAY = f"""
WITH gone AS (
    DELETE FROM {_TABLE}
    WHERE granularity = 'hour' AND bucket_start >= %(start)s AND bucket_start < %(end)s
    RETURNING {_SUBJECT_COLUMNS}, metric, kind, bucket_start, value, source, estimated,
        recorded_at
), counts AS (
    SELECT {_SUBJECT_COLUMNS}, metric, kind, source, sum(value) AS value,
        bool_or(estimated) AS estimated, max(recorded_at) AS recorded_at
    FROM gone WHERE kind = '{Kind.PER_BUCKET}'
    GROUP BY {_SUBJECT_COLUMNS}, metric, kind, source
), totals AS (
    SELECT DISTINCT ON ({_SUBJECT_COLUMNS}, metric, source)
        {_SUBJECT_COLUMNS}, metric, kind, source, value, estimated, recorded_at
    FROM gone WHERE kind = '{Kind.LIFETIME}'
    ORDER BY {_SUBJECT_COLUMNS}, metric, source, bucket_start DESC, recorded_at DESC
), days AS (
    INSERT INTO {_TABLE} ({_SUBJECT_COLUMNS}, metric, kind, granularity, bucket_start,
        value, source, estimated, recorded_at)
    SELECT {_SUBJECT_COLUMNS}, metric, kind, 'day', %(start)s, value, source, estimated,
        recorded_at
    FROM (SELECT * FROM counts UNION ALL SELECT * FROM totals) AS folded
    ON CONFLICT ({_KEY}) DO UPDATE SET
        value = CASE WHEN EXCLUDED.kind = '{Kind.PER_BUCKET}'
            THEN {_TABLE}.value + EXCLUDED.value ELSE EXCLUDED.value END,
        estimated = CASE WHEN EXCLUDED.kind = '{Kind.PER_BUCKET}'
            THEN {_TABLE}.estimated OR EXCLUDED.estimated ELSE EXCLUDED.estimated END,
        recorded_at = greatest({_TABLE}.recorded_at, EXCLUDED.recorded_at)
    RETURNING 1
)
SELECT (SELECT count(*) FROM gone), (SELECT count(*) FROM days)
"""  # noqa: S608 - our own names and choices


def hourly_records_fold(
    *, keep_days: int | None = None, now: datetime.datetime | None = None
) -> int:
    """Fold every whole local day of hour records older than `keep_days` (default
    METRICS_HOURLY_RETENTION_DAYS) into day records. Returns the hour records folded."""
    keep_days = settings.METRICS_HOURLY_RETENTION_DAYS if keep_days is None else keep_days
    now = now or timezone.now()
    cutoff = bucket_start_of(now - datetime.timedelta(days=keep_days), Granularity.DAY)
    oldest = (
        MetricRecord.objects.filter(granularity=Granularity.HOUR, bucket_start__lt=cutoff)
        .order_by("bucket_start")
        .values_list("bucket_start", flat=True)
        .first()
    )
    folded = 0
    day = bucket_start_of(oldest, Granularity.DAY) if oldest else cutoff
    while day < cutoff:
        # The next local midnight (a day is 23 or 25 hours where clocks change).
        end = bucket_start_of(day + datetime.timedelta(hours=26), Granularity.DAY)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_FOLD_DAY, {"start": day, "end": end})
            folded += cursor.fetchone()[0]
        day = end
    return folded
