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

from django.db.models import Count, F, Max, Q, QuerySet, Sum
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
    return kpis_in_force_of([partnership.pk]).get(partnership.pk, [])


def kpis_in_force_of(partnership_ids) -> dict[int, list[KpiTarget]]:
    """The same for many partnerships, in one query: {partnership id: KPI targets};
    a partnership without accepted terms is missing."""
    kpis = KpiTarget.objects.filter(
        version__partnership__in=list(partnership_ids), version__acceptance__isnull=False
    ).order_by("version__partnership", "-version__number", "pk")
    by_partnership: dict[int, list[KpiTarget]] = {}
    in_force: dict[int, int] = {}
    for kpi in kpis.annotate(partnership_pk=F("version__partnership")):
        version = in_force.setdefault(kpi.partnership_pk, kpi.version_id)
        if kpi.version_id == version:
            by_partnership.setdefault(kpi.partnership_pk, []).append(kpi)
    return by_partnership


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
    return record_readings([partnership.pk], metrics).get(partnership.pk, {})


def record_readings(partnership_ids, metrics: set[str]) -> dict[int, dict[str, Reading]]:
    """What the records say about each of `metrics` for many partnerships at once:
    {partnership id: {metric: Reading}}, in two queries however many partnerships and
    records (one for the per-bucket sums, one for the lifetime counters). A metric with
    no record is missing from a partnership's dict."""
    ids = list(partnership_ids)
    if not metrics or not ids:
        return {}
    readings: dict[int, dict[str, Reading]] = {}
    per_bucket = sorted(m for m in metrics if kind_of(m) == Kind.PER_BUCKET)
    lifetime = sorted(m for m in metrics if kind_of(m) == Kind.LIFETIME)
    for (pk, metric), reading in (
        _per_bucket_totals(ids, per_bucket) | _lifetime_totals(ids, lifetime)
    ).items():
        readings.setdefault(pk, {})[metric] = reading
    return readings


def _per_bucket_totals(ids: list[int], metrics: list[str]) -> dict[tuple[int, str], Reading]:
    """Per-bucket counts: one winner per bucket (measured before typed), then summed.
    Link clicks live on the partnership's links; the other per-bucket numbers on the
    partnership itself. One statement, a UNION ALL of the two, so each side reads its
    own index (an OR of the two made Postgres scan every record)."""
    on_links = [m for m in metrics if m == Metric.LINK_CLICKS_HUMAN]
    on_partnership = [m for m in metrics if m != Metric.LINK_CLICKS_HUMAN]
    parts = []
    if on_links:
        records = MetricRecord.objects.filter(link__partnership__in=ids, metric__in=on_links)
        parts.append(_sums(_winners(records, "link_id"), F("link__partnership_id")))
    if on_partnership:
        records = MetricRecord.objects.filter(partnership__in=ids, metric__in=on_partnership)
        parts.append(_sums(_winners(records, "partnership_id"), F("partnership_id")))
    if not parts:
        return {}
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return {
        (row["owner"], row["metric"]): Reading(row["total"], _label(row), row["at"]) for row in rows
    }


def _winners(records: QuerySet[MetricRecord], subject: str) -> QuerySet[MetricRecord]:
    """One record per bucket of each subject: a measured one before a typed one, then
    the one written last."""
    winners = (
        records.annotate(typed=typed_last())
        .order_by(subject, "metric", "granularity", "bucket_start", "typed", "-recorded_at")
        .distinct(subject, "metric", "granularity", "bucket_start")
        .values("pk")
    )
    return MetricRecord.objects.filter(pk__in=winners)


def _sums(records: QuerySet[MetricRecord], owner) -> QuerySet:
    return (
        records.annotate(owner=owner)
        .values("owner", "metric")
        .annotate(
            total=Sum("value"),
            at=Max("recorded_at"),
            typed=Count("pk", filter=Q(source__in=TYPED_SOURCES)),
            estimated=Count("pk", filter=Q(estimated=True)),
        )
        .order_by()
    )


def _lifetime_totals(ids: list[int], metrics: list[str]) -> dict[tuple[int, str], Reading]:
    """Lifetime counters (views, engagements): for each of the partnership's published
    posts its latest bucket, added up over the posts, plus the latest bucket recorded on
    the partnership itself; never a sum of buckets. The one place this rule lives. One
    statement (a UNION ALL of posts and partnerships)."""
    if not metrics:
        return {}

    def latest(records: QuerySet[MetricRecord], subject: str, owner) -> QuerySet:
        return (
            records.annotate(owner=owner, typed=typed_last())
            .order_by("metric", subject, "-bucket_start", "typed", "-recorded_at")
            .distinct("metric", subject)
            .values("owner", "metric", "value", "recorded_at", "source", "estimated")
        )

    on_posts = MetricRecord.objects.filter(post__partnership__in=ids, metric__in=metrics)
    on_partnership = MetricRecord.objects.filter(partnership__in=ids, metric__in=metrics)
    rows = latest(on_posts, "post_id", F("post__partnership_id")).union(
        latest(on_partnership, "partnership_id", F("partnership_id")), all=True
    )
    totals: dict[tuple[int, str], dict] = {}
    for row in rows:
        total = totals.setdefault(
            (row["owner"], row["metric"]), {"value": ZERO, "at": None, "typed": 0, "estimated": 0}
        )
        total["value"] += row["value"]
        total["at"] = max(filter(None, (total["at"], row["recorded_at"])))
        total["typed"] += row["source"] in TYPED_SOURCES
        total["estimated"] += row["estimated"]
    return {key: Reading(t["value"], _label(t), t["at"]) for key, t in totals.items()}


def _label(row: dict) -> str:
    if row["typed"]:
        return Label.MANUAL
    return Label.ESTIMATED if row["estimated"] else Label.MEASURED
