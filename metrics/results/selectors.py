"""Results: what partnerships brought and what each unit of it cost.

One function, `partnership_numbers`, reads the numbers of many partnerships at once in
a fixed number of queries, with the rules of KPI progress (`metrics.progress`): link
clicks are the people's clicks on the partnership's tracked links, sessions,
conversions and revenue the per-bucket records on the partnership, summed; views and
engagements lifetime counters (the latest bucket, never a sum). Each number carries its
label (manual, estimated, measured, no data yet) and when it was last written.

On top of it, the campaign results (`campaign_results`: a row per partnership, the
totals and a daily chart) and an influencer's track record (`track_record`: a row per
partnership and the rates across them). Costs come from `partnerships.costs`: the
committed cost in the campaign's currency, product and shipping counted; a cost per
click (engagement, session, conversion) is that cost ÷ the count, blank when the
count is 0.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from campaigns.models import Campaign
from partnerships.costs import Cost, campaign_partnerships, partnership_cost
from partnerships.models import Partnership, Submission
from partnerships.relationships.selectors import Relationship
from partnerships.selectors import terms_state_of

from ..models import Metric
from ..progress import (
    KPI,
    RECORD_METRIC,
    ZERO,
    KpiProgress,
    Label,
    Reading,
    kpis_in_force_of,
    progress_of,
    record_readings,
)
from .chart import daily_chart

CENT = Decimal("0.01")
# The numbers of a partnership, by the name pages use for them.
METRICS = {
    "clicks": Metric.LINK_CLICKS_HUMAN,
    "sessions": Metric.SESSIONS,
    "engagements": Metric.ENGAGEMENTS,
    "conversions": Metric.CONVERSIONS,
    "views": Metric.VIEWS,
    "revenue": Metric.REVENUE,
}


@dataclass(frozen=True)
class Numbers:
    clicks: Reading = Reading()
    sessions: Reading = Reading()
    engagements: Reading = Reading()
    conversions: Reading = Reading()
    views: Reading = Reading()
    revenue: Reading = Reading()

    def reading(self, metric: str) -> Reading:
        """The reading behind a stored metric (one of METRICS' values)."""
        for name, stored in METRICS.items():
            if stored == metric:
                return getattr(self, name)
        return Reading()


def partnership_numbers(partnership_ids) -> dict[int, Numbers]:
    """{partnership id: Numbers} for every id given, in two queries however many."""
    ids = list(partnership_ids)
    readings = record_readings(ids, set(METRICS.values()))
    return {
        pk: Numbers(
            **{
                name: readings.get(pk, {}).get(metric, Reading())
                for name, metric in METRICS.items()
            }
        )
        for pk in ids
    }


def combined(readings: list[Reading]) -> Reading:
    """Several partnerships' readings as one: values added (each is already its own
    partnership's sum or latest value), labelled as KPI progress labels one number
    (manual if any part was typed in, else estimated if any was, else measured), as of
    the newest."""
    with_data = [r for r in readings if r.label != Label.NO_DATA]
    if not with_data:
        return Reading(sum((r.value for r in readings), ZERO))
    labels = {r.label for r in with_data}
    label = next(lb for lb in (Label.MANUAL, Label.ESTIMATED, Label.MEASURED) if lb in labels)
    return Reading(
        sum((r.value for r in readings), ZERO),
        label,
        max((r.as_of for r in with_data if r.as_of is not None), default=None),
    )


def cost_per(cost: Decimal | None, count: Decimal) -> Decimal | None:
    """Cost ÷ count to the cent (half up); None (shown blank) when the count is 0."""
    if cost is None or not count:
        return None
    return (Decimal(cost) / Decimal(count)).quantize(CENT, rounding=ROUND_HALF_UP)


def percent(part: int, whole: int) -> int | None:
    """Whole percent, rounded down; None when there is nothing to divide by."""
    return part * 100 // whole if whole else None


@dataclass
class Delivery:
    """A partnership's approved hand-ins: how many, how many on time, the latest."""

    approved: int = 0
    on_time: int = 0
    last_approved_at: datetime.datetime | None = None

    @property
    def posts_reading(self) -> Reading:
        """Posts published as KPI progress counts them (measured, as of the approval)."""
        if not self.approved:
            return Reading()
        return Reading(Decimal(self.approved), Label.MEASURED, self.last_approved_at)


def deliveries(partnership_ids) -> dict[int, Delivery]:
    """Approved hand-ins per partnership, in one query. On time: handed in (local date)
    on or before the due date of the deliverable it was for."""
    found: dict[int, Delivery] = defaultdict(Delivery)
    approved = Submission.objects.filter(
        partnership__in=list(partnership_ids), status=Submission.Status.APPROVED
    ).values_list("partnership", "submitted_at", "reviewed_at", "deliverable__due_on")
    for pk, submitted_at, reviewed_at, due_on in approved:
        delivery = found[pk]
        delivery.approved += 1
        delivery.on_time += timezone.localdate(submitted_at) <= due_on
        if reviewed_at and (
            not delivery.last_approved_at or reviewed_at > delivery.last_approved_at
        ):
            delivery.last_approved_at = reviewed_at
    return found


def kpi_results(
    partnership_ids, numbers: dict[int, Numbers], delivered: dict[int, Delivery]
) -> dict[int, list[KpiProgress]]:
    """Each partnership's progress on the KPIs of its terms in force (one query), from
    readings already made: the same figures as its KPI progress panel."""
    results = {}
    for pk, kpis in kpis_in_force_of(partnership_ids).items():
        rows = []
        for kpi in kpis:
            if kpi.metric == KPI.POSTS_PUBLISHED:
                reading = delivered.get(pk, Delivery()).posts_reading
            else:
                reading = numbers[pk].reading(RECORD_METRIC[kpi.metric])
            rows.append(progress_of(kpi, reading))
        results[pk] = rows
    return results


@dataclass
class ResultRow:
    """One partnership's results (or, with no partnership, the totals of many)."""

    partnership: Partnership | None
    numbers: Numbers
    # Committed, in `currency`; None on totals across currencies (never added up).
    cost: Decimal | None
    currency: str
    other_costs: list[Cost] = field(default_factory=list)
    pieces_done: int = 0
    pieces_due: int = 0
    kpis_reached: int = 0
    kpis_total: int = 0
    on_time: int = 0

    @property
    def cost_per_click(self) -> Decimal | None:
        return cost_per(self.cost, self.numbers.clicks.value)

    @property
    def cost_per_engagement(self) -> Decimal | None:
        return cost_per(self.cost, self.numbers.engagements.value)

    @property
    def cost_per_session(self) -> Decimal | None:
        return cost_per(self.cost, self.numbers.sessions.value)

    @property
    def cost_per_conversion(self) -> Decimal | None:
        return cost_per(self.cost, self.numbers.conversions.value)

    @property
    def kpi_percent(self) -> int | None:
        return percent(self.kpis_reached, self.kpis_total)

    @property
    def on_time_percent(self) -> int | None:
        return percent(self.on_time, self.pieces_done)


def _result_row(
    partnership: Partnership,
    cost: Cost,
    numbers: Numbers,
    delivery: Delivery,
    kpis: list[KpiProgress],
    pieces_due: int,
) -> ResultRow:
    return ResultRow(
        partnership=partnership,
        numbers=numbers,
        cost=cost.committed,
        currency=cost.currency,
        other_costs=[other for other in cost.others if not other.is_empty],
        pieces_done=delivery.approved,
        pieces_due=pieces_due,
        kpis_reached=sum(1 for k in kpis if k.percent >= 100),
        kpis_total=len(kpis),
        on_time=delivery.on_time,
    )


def totals_of(rows: list[ResultRow], currency: str) -> ResultRow:
    """The rows added up; the cost only when every row's is in `currency`."""
    same_currency = all(r.currency == currency for r in rows)
    return ResultRow(
        partnership=None,
        numbers=Numbers(
            **{name: combined([getattr(r.numbers, name) for r in rows]) for name in METRICS}
        ),
        cost=sum((r.cost for r in rows), ZERO) if same_currency else None,
        currency=currency,
        pieces_done=sum(r.pieces_done for r in rows),
        pieces_due=sum(r.pieces_due for r in rows),
        kpis_reached=sum(r.kpis_reached for r in rows),
        kpis_total=sum(r.kpis_total for r in rows),
        on_time=sum(r.on_time for r in rows),
    )


@dataclass
class CampaignResults:
    campaign: Campaign
    rows: list[ResultRow]
    totals: ResultRow
    chart: dict

    @property
    def chart_rows(self) -> list[tuple[str, list[str]]]:
        """The chart as a table, a line per day (its text alternative)."""
        columns = [series["values"] for series in self.chart["series"]]
        return [
            (day, [values[n] for values in columns]) for n, day in enumerate(self.chart["days"])
        ]


def campaign_results(
    campaign: Campaign, today: datetime.date | None = None, *, chart: bool = True
) -> CampaignResults:
    """Every partnership of the campaign with its numbers, cost and KPI attainment, the
    totals, and (unless `chart` is off, as for the CSV) clicks and sessions per day: a
    fixed number of queries (about a dozen) however many partnerships and records."""
    partnerships = campaign_partnerships(campaign)
    ids = [p.pk for p in partnerships]
    numbers = partnership_numbers(ids)
    delivered = deliveries(ids)
    kpis = kpi_results(ids, numbers, delivered)
    rows = []
    for partnership in partnerships:
        partnership.campaign = campaign  # partnership_cost reads the currency from it
        state = terms_state_of(list(partnership.versions.all()))
        deliverables = list(state.current.deliverables.all()) if state.current else []
        rows.append(
            _result_row(
                partnership,
                partnership_cost(partnership, state.costed),
                numbers[partnership.pk],
                delivered.get(partnership.pk, Delivery()),
                kpis.get(partnership.pk, []),
                sum(d.quantity for d in deliverables),
            )
        )
    return CampaignResults(
        campaign=campaign,
        rows=rows,
        totals=totals_of(rows, campaign.currency),
        chart=daily_chart(campaign, ids, today or timezone.localdate()) if chart else {},
    )


@dataclass
class CurrencyAverages:
    """Average cost per engagement and per session over partnerships in one currency:
    their committed cost ÷ their engagements (sessions), counting only partnerships that
    recorded some."""

    currency: str
    per_engagement: Decimal | None
    per_session: Decimal | None


@dataclass
class TrackRecord:
    rows: list[ResultRow]
    totals: ResultRow
    averages: list[CurrencyAverages]
    repeats: int

    @property
    def as_of(self) -> datetime.datetime | None:
        moments = [
            getattr(self.totals.numbers, name).as_of
            for name in METRICS
            if getattr(self.totals.numbers, name).as_of
        ]
        return max(moments, default=None)


def track_record(relationship: Relationship) -> TrackRecord:
    """An influencer's results across all their partnerships (the rows and costs of
    `partnerships.relationships.selectors.influencer_relationship`), in four queries
    more however many partnerships: KPI attainment rate, on-time delivery, average cost
    per engagement and per session (per currency), repeat partnerships."""
    ids = [row.partnership.pk for row in relationship.rows]
    numbers = partnership_numbers(ids)
    delivered = deliveries(ids)
    kpis = kpi_results(ids, numbers, delivered)
    rows = [
        _result_row(
            row.partnership,
            row.cost,
            numbers[row.partnership.pk],
            delivered.get(row.partnership.pk, Delivery()),
            kpis.get(row.partnership.pk, []),
            0,
        )
        for row in relationship.rows
    ]
    by_currency: dict[str, list[ResultRow]] = defaultdict(list)
    for row in rows:
        by_currency[row.currency].append(row)
    averages = [
        CurrencyAverages(
            currency,
            _average(same, "engagements"),
            _average(same, "sessions"),
        )
        for currency, same in sorted(by_currency.items())
    ]
    averages = [a for a in averages if a.per_engagement is not None or a.per_session is not None]
    return TrackRecord(
        rows=rows,
        totals=totals_of(rows, ""),
        averages=averages,
        repeats=relationship.repeats,
    )


def _average(rows: list[ResultRow], name: str) -> Decimal | None:
    counted = [r for r in rows if getattr(r.numbers, name).value]
    return cost_per(
        sum((r.cost for r in counted), ZERO),
        sum((getattr(r.numbers, name).value for r in counted), ZERO),
    )
