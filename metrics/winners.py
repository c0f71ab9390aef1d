"""Which records count: decided when numbers are written, so pages read plain sums.

Two flags on MetricRecord, kept right by every write of the store (`records_upsert`
and the retention fold, in the same transaction as the write):

- `counted`: the one record of its bucket (subject, metric, granularity, bucket start;
  whatever the source) that counts. A measured number (own clicks, a collector, the
  shop) before a typed one (manual, CSV); among the same kind, the one written last
  (then the newest row). Every other record of the bucket is kept but not counted.
- `latest`: for a lifetime counter, the one record of a subject's metric that says
  "how much now": the newest bucket, then chosen as above. Per-bucket counts never
  have it.

A write refreshes only the buckets (and subjects' latest records) it touched, named in
a temporary table with the subject columns, metric, kind, granularity and
bucket_start. Before choosing, writers of the same subject and metric take the same
transaction-level advisory lock (`lock_touched`), held to the commit: the second one
chooses after the first committed, so two of them cannot each miss the other's row.
"""

from .models import MetricRecord
from .models.records import SUBJECTS, Kind, Source

TABLE = MetricRecord._meta.db_table
_TYPED = f"('{Source.MANUAL}', '{Source.CSV}')"
# Measured first, then the one written last; the newest row breaks a tie.
_ORDER = f"r.source IN {_TYPED}, r.recorded_at DESC, r.id DESC"
# Advisory lock slots: few enough for Postgres's shared lock table, many enough that
# writers of different subjects rarely wait for each other.
LOCK_SLOTS = 64


def lock_touched(touched: str) -> str:
    """Takes the advisory locks of every subject and metric in `touched`, in one order
    (no deadlock between two writers)."""
    subject = " || ':' || ".join(f"coalesce({name}_id, 0)" for name in SUBJECTS)
    return (
        "SELECT pg_advisory_xact_lock(8110, slot) FROM (SELECT DISTINCT "  # noqa: S608
        f"mod(abs(hashtext({subject} || ':' || metric)), {LOCK_SLOTS}) AS slot "
        f"FROM {touched} ORDER BY slot) AS slots"
    )


def _counted_part(name: str, touched: str) -> str:
    column = f"{name}_id"
    return f"""
        SELECT r.id, row_number() OVER (
            PARTITION BY r.{column}, r.metric, r.granularity, r.bucket_start ORDER BY {_ORDER}
        ) = 1 AS winner
        FROM {TABLE} r JOIN (
            SELECT DISTINCT {column}, metric, granularity, bucket_start FROM {touched}
            WHERE {column} IS NOT NULL
        ) t ON r.{column} = t.{column} AND r.metric = t.metric
            AND r.granularity = t.granularity AND r.bucket_start = t.bucket_start
        WHERE {_only(name)}"""  # noqa: S608 - our own names


def _latest_part(name: str, touched: str) -> str:
    column = f"{name}_id"
    # The candidates: the subject's latest record so far, and every record of the
    # buckets just written. Nothing else can be newer than the former.
    return f"""
        SELECT r.id, row_number() OVER (
            PARTITION BY r.{column}, r.metric ORDER BY r.bucket_start DESC, {_ORDER}
        ) = 1 AS winner
        FROM (
            SELECT r.id, r.{column}, r.metric, r.bucket_start, r.source, r.recorded_at
            FROM {TABLE} r JOIN (
                SELECT DISTINCT {column}, metric FROM {touched}
                WHERE {column} IS NOT NULL AND kind = '{Kind.LIFETIME}'
            ) t ON r.{column} = t.{column} AND r.metric = t.metric
            WHERE r.latest AND {_only(name)}
            UNION
            SELECT r.id, r.{column}, r.metric, r.bucket_start, r.source, r.recorded_at
            FROM {TABLE} r JOIN (
                SELECT DISTINCT {column}, metric, granularity, bucket_start FROM {touched}
                WHERE {column} IS NOT NULL AND kind = '{Kind.LIFETIME}'
            ) t ON r.{column} = t.{column} AND r.metric = t.metric
                AND r.granularity = t.granularity AND r.bucket_start = t.bucket_start
            WHERE {_only(name)}
        ) r"""  # noqa: S608 - our own names


def _only(name: str) -> str:
    """The record is about this kind of subject (spelled out so each part reads the
    subject's own index; a channel's is the unique key, which channel_id leads)."""
    return " AND ".join(
        f"r.{other}_id IS NOT NULL" if other == name else f"r.{other}_id IS NULL"
        for other in SUBJECTS
    )


def refresh_touched(touched: str) -> list[str]:
    """The statements that set both flags right for every bucket named in `touched`
    (run them in order, in the transaction of the write)."""
    counted = " UNION ALL ".join(_counted_part(name, touched) for name in SUBJECTS)
    latest = " UNION ALL ".join(_latest_part(name, touched) for name in SUBJECTS)
    return [
        f"UPDATE {TABLE} AS m SET counted = w.winner FROM ({counted}) AS w "  # noqa: S608
        "WHERE m.id = w.id AND m.counted <> w.winner",
        f"UPDATE {TABLE} AS m SET latest = w.winner FROM ({latest}) AS w "  # noqa: S608
        "WHERE m.id = w.id AND m.latest <> w.winner",
    ]


# Every record at once (the migration that added the flags).
REFRESH_ALL = [
    f"""UPDATE {TABLE} AS m SET counted = false FROM (
        SELECT r.id, row_number() OVER (
            PARTITION BY {", ".join(f"r.{n}_id" for n in SUBJECTS)}, r.metric,
                r.granularity, r.bucket_start
            ORDER BY {_ORDER}
        ) AS n FROM {TABLE} r
    ) AS w WHERE m.id = w.id AND w.n > 1""",  # noqa: S608
    f"""UPDATE {TABLE} AS m SET latest = true FROM (
        SELECT DISTINCT ON ({", ".join(f"r.{n}_id" for n in SUBJECTS)}, r.metric) r.id
        FROM {TABLE} r WHERE r.kind = '{Kind.LIFETIME}'
        ORDER BY {", ".join(f"r.{n}_id" for n in SUBJECTS)}, r.metric,
            r.bucket_start DESC, {_ORDER}
    ) AS w WHERE m.id = w.id""",  # noqa: S608
]
