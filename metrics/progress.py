"""KPI progress: how far a partnership is towards each KPI target of its terms in force.

One function, `kpi_progress`, used by the marketer's partnership page and the
influencer's portal alike, so both sides see the same numbers. One rule per metric:

- posts published: the partnership's hand-ins a marketer approved (counted by the app).
- link clicks: the people's clicks on the partnership's tracked links (own click
  records, per bucket, summed); bots and link previews never count.
- sessions, conversions: per-bucket records on the partnership, summed.
- views, engagements: lifetime counters, so for each of the partnership's published
  posts its latest bucket, added up over the posts, plus the latest bucket recorded on
  the partnership itself (for what no post record covers, e.g. stories typed in);
  never a sum of buckets.

When two sources wrote the same bucket of the same subject (a number typed in for a
day that the shop or a collector later measured), the measured one counts and the typed
one is ignored; a typed number counts only where nothing measured covers its bucket.

A number is labelled manual if any record behind it was typed in or imported,
else estimated if any was estimated, else measured. "As of" is when the newest record
behind it was written (for posts: the latest approval).
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_DOWN, Decimal

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import BooleanField, Count, F, Func, Max, Q, Sum
from django.utils.translation import gettext_lazy as _

from partnerships.models import KpiTarget, Partnership, Submission

from .models import Metric, MetricRecord, TrackedLink
from .models.records import Kind, kind_of
from .selectors import TYPED_SOURCES, typed_last

KPI = KpiTarget.Metric
# Which stored metric answers each KPI (posts published is counted from hand-ins).
RECORD_METRIC = {
    KPI.LINK_CLICKS: Metric.LINK_CLICKS_HUMAN,
    KPI.SESSIONS: Metric.SESSIONS,
    KPI.CONVERSIONS: Metric.CONVERSIONS,
    KPI.VIEWS: Metric.VIEWS,
    KPI.ENGAGEMENTS: Metric.ENGAGEMENTS,
}
ZERO = Decimal("0")


class Label:
    MEASURED = "measured"
    ESTIMATED = "estimated"
    MANUAL = "manual"
    NO_DATA = "no_data"


LABEL_TEXT = {
    Label.MEASURED: _("measured"),
    Label.ESTIMATED: _("estimated"),
    Label.MANUAL: _("manual"),
    Label.NO_DATA: _("no data yet"),
}


@dataclass(frozen=True)
class Tier:
    threshold: int
    amount: Decimal


@dataclass(frozen=True)
class Reading:
    """What the records say about one metric: value, label, and when last written."""

    value: Decimal = ZERO
    label: str = Label.NO_DATA
    as_of: datetime | None = None


@dataclass(frozen=True)
class KpiProgress:
    metric: str
    metric_label: str
    target: int
    value: Decimal
    percent: Decimal
    tier: Tier | None
    next_tier: Tier | None
    label: str
    as_of: datetime | None

    @property
    def label_text(self) -> str:
        return str(LABEL_TEXT[self.label])

    @property
    def bar_percent(self) -> int:
        return int(min(self.percent, Decimal("100")))


def percent_of(value: Decimal, target: int) -> Decimal:
    """Whole percent, rounded down: 99.9% of the way is not yet 100%."""
    return (Decimal(value) * 100 / target).quantize(Decimal("1"), rounding=ROUND_DOWN)


def tiers_reached(value: Decimal, bonus_tiers: list[dict]) -> tuple[Tier | None, Tier | None]:
    """The highest bonus tier whose threshold the value reached, and the next one."""
    tiers = [Tier(t["threshold"], Decimal(t["amount"])) for t in bonus_tiers]
    reached = [t for t in tiers if value >= t.threshold]
    ahead = [t for t in tiers if value < t.threshold]
    return (reached[-1] if reached else None), (ahead[0] if ahead else None)


def progress_of(kpi: KpiTarget, reading: Reading) -> KpiProgress:
    tier, next_tier = tiers_reached(reading.value, kpi.bonus_tiers)
    return KpiProgress(
        metric=kpi.metric,
        metric_label=kpi.get_metric_display(),
        target=kpi.target,
        value=reading.value,
        percent=percent_of(reading.value, kpi.target),
        tier=tier,
        next_tier=next_tier,
        label=reading.label,
        as_of=reading.as_of,
    )


def kpis_in_force(partnership: Partnership) -> list[KpiTarget]:
    """The KPI targets of the latest accepted version, in one query."""
    kpis = list(
        KpiTarget.objects.filter(
            version__partnership=partnership, version__acceptance__isnull=False
        ).order_by("-version__number", "pk")
    )
    if not kpis:
        return []
    return [k for k in kpis if k.version_id == kpis[0].version_id]


def kpi_progress(partnership: Partnership) -> list[KpiProgress]:
    """Progress towards each KPI target of the terms in force (none: an empty list).
    A fixed number of queries whatever the number of records."""
    kpis = kpis_in_force(partnership)
    if not kpis:
        return []
    readings = _record_readings(
        partnership, {RECORD_METRIC[k.metric] for k in kpis if k.metric in RECORD_METRIC}
    )
    if any(k.metric == KPI.POSTS_PUBLISHED for k in kpis):
        readings[KPI.POSTS_PUBLISHED] = _posts_reading(partnership)
    return [
        progress_of(k, readings.get(RECORD_METRIC.get(k.metric, k.metric), Reading())) for k in kpis
    ]


def partnership_reading(partnership: Partnership, metric: str) -> Reading:
    """One stored metric of a partnership by the rules above (e.g. revenue for the
    settlement's commission): the same winners per bucket, the same labels."""
    return _record_readings(partnership, {metric}).get(metric, Reading())


def _posts_reading(partnership: Partnership) -> Reading:
    approved = Submission.objects.filter(
        partnership=partnership, status=Submission.Status.APPROVED
    ).aggregate(n=Count("pk"), at=Max("reviewed_at"))
    if not approved["n"]:
        return Reading()
    return Reading(Decimal(approved["n"]), Label.MEASURED, approved["at"])


def _record_readings(partnership: Partnership, metrics: set[str]) -> dict[str, Reading]:
    if not metrics:
        return {}
    per_bucket = sorted(m for m in metrics if kind_of(m) == Kind.PER_BUCKET)
    lifetime = sorted(m for m in metrics if kind_of(m) == Kind.LIFETIME)
    readings: dict[str, Reading] = {}
    if per_bucket:
        # Link clicks live on the partnership's links; the other per-bucket KPIs on the
        # partnership itself. One winner per bucket (measured before typed), then summed.
        winners = (
            MetricRecord.objects.filter(metric__in=per_bucket)
            .filter(
                (Q(metric=Metric.LINK_CLICKS_HUMAN) & Q(_link_of(partnership)))
                | (Q(partnership=partnership) & ~Q(metric=Metric.LINK_CLICKS_HUMAN))
            )
            .annotate(typed=typed_last())
            .order_by("link_id", "metric", "granularity", "bucket_start", "typed", "-recorded_at")
            .distinct("link_id", "metric", "granularity", "bucket_start")
            .values("pk")
        )
        rows = (
            MetricRecord.objects.filter(pk__in=winners)
            .values("metric")
            .annotate(
                total=Sum("value"),
                at=Max("recorded_at"),
                typed=Count("pk", filter=Q(source__in=TYPED_SOURCES)),
                estimated=Count("pk", filter=Q(estimated=True)),
            )
        )
        for row in rows:
            readings[row["metric"]] = Reading(row["total"], _label(row), row["at"])
    if lifetime:
        # The latest bucket of each post and of the partnership itself, added up.
        latest = (
            MetricRecord.objects.filter(metric__in=lifetime)
            .filter(Q(post__partnership=partnership) | Q(partnership=partnership))
            .annotate(typed=typed_last())
            .order_by("metric", "post_id", "-bucket_start", "typed", "-recorded_at")
            .distinct("metric", "post_id")
            .values("metric", "value", "recorded_at", "source", "estimated")
        )
        totals: dict[str, dict] = {}
        for row in latest:
            total = totals.setdefault(
                row["metric"], {"value": ZERO, "at": None, "typed": 0, "estimated": 0}
            )
            total["value"] += row["value"]
            total["at"] = max(filter(None, (total["at"], row["recorded_at"])))
            total["typed"] += row["source"] in TYPED_SOURCES
            total["estimated"] += row["estimated"]
        for metric, total in totals.items():
            readings[metric] = Reading(total["value"], _label(total), total["at"])
    return readings


def _link_of(partnership: Partnership) -> Func:
    """`link_id = ANY(ARRAY(SELECT id FROM its links))`: the link ids are computed once
    (an InitPlan), so both sides of the OR above are index scans (a BitmapOr). Joining
    the links instead (`link__partnership=`) put a joined column in the OR and made
    Postgres read every record: ~80 ms at a million records, growing with the table."""
    links = TrackedLink.objects.filter(partnership=partnership).order_by().values("pk")
    return Func(
        F("link_id"),
        ArraySubquery(links),
        arg_joiner=" = ANY(",
        template="(%(expressions)s))",
        output_field=BooleanField(),
    )


def _label(row: dict) -> str:
    if row["typed"]:
        return Label.MANUAL
    return Label.ESTIMATED if row["estimated"] else Label.MEASURED
