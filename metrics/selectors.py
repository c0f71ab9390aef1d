from datetime import datetime
from decimal import Decimal

from django.db.models import QuerySet, Sum

from .models import MetricRecord, SchedulerHeartbeat, Source
from .models.records import SUBJECTS, Kind, kind_of
from .services import BEAT

# Typed in by a person: counted only where no measured number covers the same bucket
# (metrics.winners decides which record counts).
TYPED_SOURCES = (Source.MANUAL, Source.CSV)


def last_scheduler_tick() -> datetime | None:
    return SchedulerHeartbeat.objects.filter(name=BEAT).values_list("ticked_at", flat=True).first()


def current_value(records: QuerySet[MetricRecord], metric: str) -> Decimal:
    """The one rule for "how much now" over the given records of one metric: per-bucket
    counts add up (filter the source first when two sources count the same thing); a
    lifetime counter is its latest bucket per subject (whichever source wrote it last),
    and those add up across subjects (two posts' likes)."""
    records = records.filter(metric=metric)
    if kind_of(metric) == Kind.PER_BUCKET:
        return records.aggregate(total=Sum("value"))["total"] or Decimal("0")
    subject = [f"{name}_id" for name in SUBJECTS]
    latest = (
        records.order_by(*subject, "-bucket_start", "-recorded_at")
        .distinct(*subject)
        .values_list("value", flat=True)
    )
    return sum(latest, Decimal("0"))
