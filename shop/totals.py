"""From orders to numbers: each partnership's and campaign's conversions and revenue per
day, recomputed whole from the orders and events in Postgres and written through the
one door (`metrics.services.records_upsert`, source `shop`). Never an increment: a
duplicate, a retry or an out-of-order delivery recomputes to the same numbers.

An order counts as one conversion and its net amount (after discounts, before shipping
and taxes) on the day it was placed. A refund takes its amount off on the day it
happened (never more than is left); a cancellation takes what is left off and the
conversion with it, on its day; so does a refund that leaves nothing. Events are
applied in the order they happened, whatever order they arrived in.

A stored day cannot hold a negative number: when a day's refunds exceed its sales the
rest is taken off the nearest earlier days, so the totals stay exact.

Revenue records are written only for orders in the campaign's currency; other
currencies are kept in the orders and shown beside, never converted.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.utils import timezone

from campaigns.models import Campaign
from metrics.models import Metric, MetricRecord
from metrics.models.records import Source
from metrics.services import Row, records_upsert
from partnerships.models import CompensationLine, Partnership

from .models import Order, OrderEvent

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


@dataclass
class Day:
    conversions: int = 0
    revenue: dict[str, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))


@dataclass
class OrderOutcome:
    counted: bool
    net: Decimal


def _events_by_order(orders: list[Order]) -> dict[tuple[int, str], list[OrderEvent]]:
    found: dict[tuple[int, str], list[OrderEvent]] = defaultdict(list)
    if not orders:
        return found
    events = OrderEvent.objects.filter(
        connection_id__in={o.connection_id for o in orders},
        order_external_id__in={o.external_id for o in orders},
    ).order_by("happened_at", "key")
    for event in events:
        found[(event.connection_id, event.order_external_id)].append(event)
    return found


def replay(order: Order, events: list[OrderEvent], days: dict | None = None) -> OrderOutcome:
    """Apply the order's events in time order; add each day's change to `days`."""
    days = days if days is not None else defaultdict(Day)
    net, counted = order.net_amount, True
    placed = timezone.localdate(order.placed_at)
    days[placed].conversions += 1
    days[placed].revenue[order.currency] += net
    for event in events:
        if not counted:
            break
        day = max(timezone.localdate(event.happened_at), placed)
        taken = net if event.kind == OrderEvent.Kind.CANCEL else min(event.amount, net)
        net -= taken
        days[day].revenue[order.currency] -= taken
        if event.kind == OrderEvent.Kind.CANCEL or (taken > 0 and net == 0):
            days[day].conversions -= 1
            counted = False
    return OrderOutcome(counted, net)


def daily(orders: list[Order]) -> dict[datetime.date, Day]:
    events = _events_by_order(orders)
    days: dict[datetime.date, Day] = defaultdict(Day)
    for order in orders:
        replay(order, events[(order.connection_id, order.external_id)], days)
    return days


def no_negative_days(values: list[Decimal]) -> list[Decimal]:
    """A negative day is taken off the nearest earlier days (the total is kept)."""
    values = list(values)
    for i, value in enumerate(values):
        if value < 0:
            deficit, values[i] = -value, ZERO
            for j in range(i - 1, -1, -1):
                taken = min(values[j], deficit)
                values[j] -= taken
                deficit -= taken
    return values


def _rows(days: dict, currency: str) -> dict[tuple[str, datetime.date], Decimal]:
    dates = sorted(days)
    conversions = no_negative_days([Decimal(days[d].conversions) for d in dates])
    revenue = no_negative_days([days[d].revenue.get(currency, ZERO) for d in dates])
    values = {}
    for i, day in enumerate(dates):
        values[(Metric.CONVERSIONS, day)] = conversions[i]
        if any(c == currency for c in days[day].revenue):
            values[(Metric.REVENUE, day)] = revenue[i]
    return values


def _write(subject: dict, values: dict) -> None:
    # Days written before but no longer in the series (an order re-attributed or
    # removed) go to zero rather than keep a stale number.
    stale = MetricRecord.objects.filter(
        **subject, source=Source.SHOP, metric__in=[Metric.CONVERSIONS, Metric.REVENUE]
    ).values_list("metric", "bucket_start")
    for metric, start in stale:
        values.setdefault((metric, timezone.localdate(start)), ZERO)
    records_upsert(
        Row(metric=metric, at=_midnight(day), value=value, source=Source.SHOP, **subject)
        for (metric, day), value in values.items()
    )


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _lock(kind: str, pk: int) -> None:
    """One recompute per subject at a time, the lock held to the commit: the last one to
    run sees every other worker's orders, so none can leave an older total behind."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"shop:{kind}:{pk}"])


def partnership_totals_recompute(*, partnership_id: int) -> None:
    with transaction.atomic():
        _lock("partnership", partnership_id)
        partnership = Partnership.objects.select_related("campaign").get(pk=partnership_id)
        orders = list(Order.objects.filter(attribution__partnership_id=partnership_id))
        values = _rows(daily(orders), partnership.campaign.currency)
        _write({"partnership": partnership_id}, values)


def campaign_totals_recompute(*, campaign_id: int) -> None:
    with transaction.atomic():
        _lock("campaign", campaign_id)
        campaign = Campaign.objects.get(pk=campaign_id)
        orders = list(Order.objects.filter(attribution__partnership__campaign_id=campaign_id))
        _write({"campaign": campaign_id}, _rows(daily(orders), campaign.currency))


def totals_recompute(*, partnership_ids: set[int]) -> None:
    for pk in sorted(partnership_ids):
        partnership_totals_recompute(partnership_id=pk)
    campaign_ids = set(
        Partnership.objects.filter(pk__in=partnership_ids).values_list("campaign_id", flat=True)
    )
    for pk in sorted(campaign_ids):
        campaign_totals_recompute(campaign_id=pk)


# --- What a partnership's sales come to (portal and partnership page) -------------


@dataclass(frozen=True)
class CurrencyTotal:
    currency: str
    net: Decimal
    commission: Decimal | None


@dataclass(frozen=True)
class SalesSummary:
    orders: int
    conversions: int
    totals: list[CurrencyTotal]
    percent: Decimal | None
    by_rule: dict[str, int]


def commission_percent(partnership: Partnership) -> Decimal | None:
    """The commission percentage of the terms in force (the first commission line with one)."""
    line = (
        CompensationLine.objects.filter(
            version__partnership=partnership,
            version__acceptance__isnull=False,
            kind=CompensationLine.Kind.COMMISSION,
            commission_percent__isnull=False,
        )
        .order_by("-version__number", "position", "pk")
        .first()
    )
    return line.commission_percent if line else None


def commission_of(net: Decimal, percent: Decimal) -> Decimal:
    """Percent of the attributed net revenue, to the cent, half up."""
    return (Decimal(net) * Decimal(percent) / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def sales_summary(partnership: Partnership, currency: str) -> SalesSummary:
    """Counts and totals only: nothing about any customer. A fixed number of queries."""
    orders = list(
        Order.objects.filter(attribution__partnership=partnership).select_related("attribution")
    )
    events = _events_by_order(orders)
    nets: dict[str, Decimal] = defaultdict(lambda: ZERO)
    conversions, by_rule = 0, defaultdict(int)
    for order in orders:
        outcome = replay(order, events[(order.connection_id, order.external_id)])
        conversions += outcome.counted
        nets[order.currency] += outcome.net
        by_rule[order.attribution.rule] += 1
    percent = commission_percent(partnership) if orders else None
    ordered = sorted(nets, key=lambda c: (c != currency, c))
    totals = [
        CurrencyTotal(c, nets[c], commission_of(nets[c], percent) if percent is not None else None)
        for c in ordered
    ]
    return SalesSummary(len(orders), conversions, totals, percent, dict(by_rule))
