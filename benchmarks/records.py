"""The store of numbers at scale: upserts through the service, and the pages that read it.

1. Upsert rate: the same rows (hourly buckets on partnerships) written once by a raw
   COPY into metrics_metricrecord and once through `metrics.services.records_upsert`
   (a second, equal set of keys, so neither meets the other's rows), both committed;
   prints both rates and the ratio, then the rate of writing the same rows again
   (every row an update).
2. Pages: seeds the agency of benchmarks/agency.py (demo data plus 2,040 influencers and
   5,017 partnerships) and N metric records (default 10 million: hourly buckets of
   sessions, conversions, views and engagements on every partnership, link clicks on
   every tracked link) by COPY, then serves the app with gunicorn under the production
   settings and prints p50/p95 of the portal partnership page (KPI progress) and the
   marketer's partnership page over sequential keep-alive requests, beside the bare
   Django view in the same run.
3. Retention: folds the oldest two days of those hour records into day records
   (`metrics.retention.hourly_records_fold`) and prints the rate.

    .venv/bin/python benchmarks/records.py                       # 10M records
    .venv/bin/python benchmarks/records.py --records 1000000     # smaller
    .venv/bin/python benchmarks/records.py --quick               # smoke: toy scale
    .venv/bin/python benchmarks/records.py --keep                # re-use the last seed

Prints figures; asserts nothing.
"""

import argparse
import datetime
import io
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import agency  # noqa: E402
from support.server import free_port, start_gunicorn, stop  # noqa: E402
from support.setup import setup_django  # noqa: E402

PARTNERSHIP_METRICS = ("sessions", "conversions", "views", "engagements")
LINK_METRICS = ("link_clicks_human",)


# --- Upserts -------------------------------------------------------------------


def upsert_rows(partnerships: list[int], count: int, source: str, start: datetime.datetime):
    from metrics.services import Row

    hours = max(count // (len(partnerships) * 2), 1)
    return [
        Row(
            metric=metric,
            at=start + datetime.timedelta(hours=h),
            value=(p * 7 + h) % 997,
            source=source,
            granularity="hour",
            partnership=p,
        )
        for p in partnerships
        for metric in ("sessions", "conversions")
        for h in range(hours)
    ][:count]


def raw_copy(rows) -> float:
    """COPY the rows straight into the table (checked and formatted beforehand, not
    timed); returns the seconds the COPY and its commit took."""
    from django.db import connection, transaction
    from django.utils import timezone

    from metrics.models.records import kind_of

    now = timezone.now().isoformat()
    buffer = io.StringIO()
    for r in rows:
        buffer.write(
            f"{r.partnership}\t{r.metric}\t{kind_of(r.metric)}\t"
            f"{r.granularity}\t{r.at.isoformat()}\t{r.value}\t{r.source}\tf\t{now}\n"
        )
    buffer.seek(0)
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            "COPY metrics_metricrecord (partnership_id, metric, kind, granularity, "
            "bucket_start, value, source, estimated, recorded_at) FROM STDIN",
            buffer,
        )
    return time.perf_counter() - start


def measure_upserts(count: int) -> None:
    from django.utils import timezone

    from metrics.services import records_upsert
    from partnerships.models import Partnership

    partnerships = list(Partnership.objects.order_by("pk").values_list("pk", flat=True)[:200])
    # Long before the seeded records: every key is new.
    start = timezone.now().replace(minute=0, second=0, microsecond=0) - datetime.timedelta(
        days=4000
    )
    run = int(time.time())  # new keys in every run, also with --keep
    copied = upsert_rows(partnerships, count, f"bench-copy-{run}", start)
    upserted = upsert_rows(partnerships, count, f"bench-upsert-{run}", start)
    copy_seconds = raw_copy(copied)
    begin = time.perf_counter()
    records_upsert(upserted)
    upsert_seconds = time.perf_counter() - begin
    begin = time.perf_counter()
    records_upsert(upserted)
    again_seconds = time.perf_counter() - begin
    copy_rate = len(copied) / copy_seconds
    upsert_rate = len(upserted) / upsert_seconds
    print(
        f"upsert {len(upserted):,} new hourly records: raw COPY {copy_rate:,.0f}/s, "
        f"records_upsert {upsert_rate:,.0f}/s (ratio {upsert_rate / copy_rate:.2f}; target "
        f">= 50,000/s); the same rows again (all updates) {len(upserted) / again_seconds:,.0f}"
        f"/s; load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )


# --- Seeding N records -------------------------------------------------------------


class RecordStream(io.RawIOBase):
    """COPY text for `total` hourly records, made a chunk at a time as COPY reads it."""

    def __init__(self, subjects: list[tuple[str, int, str]], hours: int, total: int) -> None:
        from django.utils import timezone

        from metrics.models.records import kind_of

        now = timezone.now()
        first = now.replace(minute=0, second=0, microsecond=0) - datetime.timedelta(hours=hours)
        tz = timezone.get_current_timezone()
        self.stamps = [
            (first + datetime.timedelta(hours=h)).astimezone(tz).isoformat() for h in range(hours)
        ]
        self.recorded = now.isoformat()
        self.kind = kind_of
        self.subjects = iter(subjects)
        self.left = total
        self.pending = b""

    def readable(self) -> bool:
        return True

    def _chunk(self) -> bytes:
        column, pk, metric = next(self.subjects)
        ids = f"{pk}\t\\N" if column == "partnership" else f"\\N\t{pk}"
        head = f"{ids}\t{metric}\t{self.kind(metric)}\thour\t"
        tail = f"\tbench\tf\t{self.recorded}\n"
        stamps = self.stamps[: self.left]
        self.left -= len(stamps)
        return "".join(
            f"{head}{stamp}\t{(pk * 31 + i) % 500}{tail}" for i, stamp in enumerate(stamps)
        ).encode()

    def read(self, size: int = -1) -> bytes:
        while self.left > 0 and (size < 0 or len(self.pending) < size):
            try:
                self.pending += self._chunk()
            except StopIteration:
                break
        if size < 0:
            size = len(self.pending)
        out, self.pending = self.pending[:size], self.pending[size:]
        return out


def seed_records(total: int) -> None:
    """COPY `total` records with the table's indexes and unique key dropped, then build
    them again (sorted builds are several times faster than updating them row by row)."""
    from django.db import connection, transaction

    from metrics.models import MetricRecord, TrackedLink
    from partnerships.models import Partnership

    subjects = [
        ("partnership", pk, metric)
        for pk in Partnership.objects.order_by("pk").values_list("pk", flat=True)
        for metric in PARTNERSHIP_METRICS
    ] + [
        ("link", pk, metric)
        for pk in TrackedLink.objects.order_by("pk").values_list("pk", flat=True)
        for metric in LINK_METRICS
    ]
    hours = -(-total // len(subjects))
    table = MetricRecord._meta.db_table
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'u'",
            [table],
        )
        uniques = cursor.fetchall()
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname "
            "NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
            [table, table],
        )
        indexes = cursor.fetchall()
        for name, _definition in uniques:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SET LOCAL session_replication_role = replica")  # no FK triggers
        cursor.cursor.copy_expert(
            f"COPY {table} (partnership_id, link_id, metric, kind, granularity, bucket_start, "
            "value, source, estimated, recorded_at) FROM STDIN",
            RecordStream(subjects, hours, total),
            size=1 << 20,
        )
        copied = time.perf_counter() - start
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for name, definition in uniques:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        for _name, definition in indexes:
            cursor.execute(definition)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute(
            f"SELECT (SELECT count(*) FROM {table}), "  # noqa: S608 - our own names
            f"pg_size_pretty(pg_total_relation_size('{table}'))"
        )
        count, size = cursor.fetchone()
    print(
        f"seeded {count:,} metric records ({len(subjects):,} series of {hours} hours) by COPY "
        f"in {copied:.0f} s, indexes and unique key rebuilt and analyzed in "
        f"{time.perf_counter() - start - copied:.0f} s; table and indexes {size}",
        flush=True,
    )


# --- Retention ----------------------------------------------------------------------


def measure_fold() -> None:
    """Fold the oldest two local days of the seeded hour records into days (and the upsert
    runs' older rows with them), as the retention task does once they are past
    METRICS_HOURLY_RETENTION_DAYS."""
    from metrics.models import Granularity, MetricRecord
    from metrics.retention import hourly_records_fold

    oldest = (  # of the seeded series (the upsert runs wrote theirs far earlier)
        MetricRecord.objects.filter(granularity=Granularity.HOUR, source="bench")
        .order_by("bucket_start")
        .values_list("bucket_start", flat=True)
        .first()
    )
    if oldest is None:
        return
    start = time.perf_counter()
    folded = hourly_records_fold(keep_days=0, now=oldest + datetime.timedelta(days=2))
    seconds = time.perf_counter() - start
    print(
        f"retention: folded {folded:,} hour records (the seeded series' oldest 2 days and "
        f"the upsert runs' rows) into days in "
        f"{seconds:.1f} s ({folded / seconds:,.0f} records/s)",
        flush=True,
    )


# --- Pages ------------------------------------------------------------------------------


def measured_pages() -> list[tuple[str, str, str]]:
    from accounts.models import User
    from metrics.progress import kpis_in_force
    from partnerships.models import Partnership

    portal_user = User.objects.get(email="influencer@example.com")
    own = [
        p
        for p in Partnership.objects.filter(influencer__user=portal_user).order_by("pk")
        if kpis_in_force(p)
    ]
    p = max(own, key=lambda p: len(kpis_in_force(p)))
    return [
        ("bare Django view", "marketer", "/bench/bare"),
        ("portal partnership (KPI progress)", "influencer", f"/portal/partnerships/{p.pk}/"),
        ("marketer partnership page", "marketer", f"/partnerships/{p.pk}/"),
    ]


def measure_pages(workers: str) -> None:
    from django.conf import settings

    page_list = measured_pages()
    cookies = agency.sessions()
    counts = agency.count_queries(page_list, cookies)
    header = {who: f"{settings.SESSION_COOKIE_NAME}={value}" for who, value in cookies.items()}
    port = free_port()
    server = start_gunicorn(port, workers=workers)
    try:
        print(
            f"\n{'page':<36} {'queries':>7} {'p50 ms':>7} {'p95 ms':>7} {'p95 − bare':>10}",
            flush=True,
        )
        bare = None
        for label, who, path in page_list:
            p50, p95, _size = agency.sequential(port, path, header[who])
            bare = bare if bare is not None else p95
            print(
                f"{label:<36} {counts[label]:>7} {p50:>7.1f} {p95:>7.1f} {p95 - bare:>10.1f}",
                flush=True,
            )
    finally:
        stop(server)
    print(f"target: p95 <= 300 ms per page; load average {os.getloadavg()[0]:.1f}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000_000)
    parser.add_argument("--upserts", type=int, default=200_000, help="rows per upsert run")
    parser.add_argument("--keep", action="store_true", help="re-use the last seeded database")
    parser.add_argument("--workers", default=os.environ.get("WEB_CONCURRENCY", "3"))
    parser.add_argument("--quick", action="store_true", help="toy scale (smoke test)")
    args = parser.parse_args(argv)
    if args.quick:
        args.records, args.upserts = 20_000, 2_000
        agency.REQUESTS = 5
        agency.INFLUENCERS, agency.PARTNERSHIPS = 150, 300
        agency.CONTACTS, agency.FOLLOW_UPS = 100, 50
    setup_django(recreate=not args.keep, suffix="bench_records")
    if not args.keep:
        agency.seed()
        seed_records(args.records)
    measure_upserts(args.upserts)
    measure_pages(args.workers)
    measure_fold()
    return 0


if __name__ == "__main__":
    sys.exit(main())
