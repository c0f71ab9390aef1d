"""Writes of the metrics app: the scheduler heartbeat and the one door for numbers."""

import datetime
import io
import operator
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Granularity, Metric, MetricRecord, SchedulerHeartbeat
from .models.records import MAX_VALUE, SUBJECTS, bucket_start_of, kind_of, source_validator

BEAT = "beat"


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


_METRICS = frozenset(Metric.values)
_GRANULARITIES = frozenset(Granularity.values)
_KINDS = {metric: kind_of(metric) for metric in Metric.values}
_ZERO, _CENT, _MAX = Decimal("0"), Decimal("0.01"), MAX_VALUE
KEY = [*SUBJECTS, "metric", "granularity", "bucket_start", "source"]
_N = len(SUBJECTS)
# The columns a call sends to Postgres (COPY into a temporary table), in this order.
_COLUMNS = [
    *(f"{name}_id" for name in SUBJECTS),
    "metric",
    "kind",
    "granularity",
    "bucket_start",
    "value",
    "source",
    "estimated",
]


# The subject ids of a Row, in SUBJECTS order.
_subjects_of = operator.attrgetter(*SUBJECTS)


def _checked(row: Row, buckets: dict, sources: set) -> tuple:
    """The row's key and values, validated: (subject ids..., metric, kind, granularity,
    bucket start, value, source, estimated). Raises ValidationError for a bad row."""
    subjects = _subjects_of(row)
    if len(subjects) - subjects.count(None) != 1:
        raise ValidationError(_("A record is about exactly one subject."))
    if row.metric not in _METRICS or row.granularity not in _GRANULARITIES:
        raise ValidationError(_("Unknown metric or granularity: %(m)s") % {"m": row.metric})
    value = row.value if isinstance(row.value, Decimal) else Decimal(row.value)
    if not value.is_finite() or not (_ZERO <= value <= _MAX):
        raise ValidationError(_("A value is a number from 0 to %(max)s.") % {"max": MAX_VALUE})
    bucket = buckets.get((row.at, row.granularity))
    if bucket is None:
        bucket = buckets[(row.at, row.granularity)] = _bucket(row.at, row.granularity, buckets)
    if row.source not in sources:
        source_validator(row.source)
        sources.add(row.source)
    return (
        *subjects,
        row.metric,
        _KINDS[row.metric],
        row.granularity,
        bucket,
        value.quantize(_CENT),
        row.source,
        bool(row.estimated),
    )


def _bucket(at: datetime.datetime, granularity: str, cache: dict) -> datetime.datetime:
    """`bucket_start_of`, with the time zone looked up once per call and a day's midnight
    computed once per date (the hot loop of a big upsert)."""
    if timezone.is_naive(at):
        raise ValidationError(_("A bucket time needs its time zone."))
    tz = cache.get("tz")
    if tz is None:
        tz = cache["tz"] = timezone.get_current_timezone()
    local = at.astimezone(tz)
    if granularity == Granularity.HOUR:
        return local.replace(minute=0, second=0, microsecond=0)
    day = local.date()
    midnight = cache.get(day)
    if midnight is None:
        midnight = cache[day] = bucket_start_of(local, granularity)
    return midnight


def records_upsert(rows: Iterable[Row]) -> int:
    """Write numbers idempotently: one row per (subject, metric, bucket, source); writing
    it again updates value, estimated and recorded_at. All rows or none (ValidationError
    names the first bad one). Within one call the last row for a key wins. Returns the
    number of distinct keys written.

    The rows are checked in Python, then sent with one COPY into a temporary table and
    moved by one `INSERT … SELECT … ON CONFLICT DO UPDATE` on the unique key: the
    collectors and the CSV upload send thousands of rows at a time, and the
    ORM's bulk_create spent four times as long building instances and statements as
    Postgres took."""
    buckets: dict = {}
    sources: set = set()
    by_key: dict[tuple, tuple] = {}
    for row in rows:
        record = _checked(row, buckets, sources)
        # ON CONFLICT cannot touch one row twice in a statement: keep the last.
        by_key[record[:_N] + (record[_N], record[_N + 2], record[_N + 3], record[_N + 5])] = record
    if not by_key:
        return 0
    _write(by_key.values(), timezone.now())
    return len(by_key)


def _write(records: Iterable[tuple], now: datetime.datetime) -> None:
    buffer = io.StringIO()
    write = buffer.write
    for record in records:
        # Every value is a number, a timestamp or a checked name (no tab, newline or
        # backslash: metric and granularity are choices, the source matches a regex).
        write(
            "\t".join(
                [
                    "\\N"
                    if v is None
                    else ("t" if v else "f")
                    if v is True or v is False
                    else v.isoformat()
                    if isinstance(v, datetime.datetime)
                    else str(v)
                    for v in record
                ]
            )
        )
        write("\n")
    buffer.seek(0)
    table = connection.ops.quote_name(MetricRecord._meta.db_table)
    columns = ", ".join(_COLUMNS)
    key = ", ".join(f"{name}_id" if name in SUBJECTS else name for name in KEY)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE metric_record_incoming ("
            + "".join(f"{name}_id bigint, " for name in SUBJECTS)
            + "metric varchar(30), kind varchar(12), granularity varchar(5), "
            "bucket_start timestamptz, value numeric(16, 2), source varchar(40), "
            "estimated boolean) ON COMMIT DROP"
        )
        cursor.cursor.copy_expert(
            f"COPY metric_record_incoming ({columns}) FROM STDIN", buffer, size=1 << 20
        )
        cursor.execute(
            f"INSERT INTO {table} ({columns}, recorded_at) "  # noqa: S608 - our own names
            f"SELECT {columns}, %s FROM metric_record_incoming "
            f"ON CONFLICT ({key}) DO UPDATE SET value = EXCLUDED.value, "
            "estimated = EXCLUDED.estimated, recorded_at = EXCLUDED.recorded_at",
            [now],
        )
        cursor.execute("DROP TABLE metric_record_incoming")
