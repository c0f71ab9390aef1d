"""Clicks and sessions per day over a campaign, for the results page's line chart."""

import datetime
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext

from campaigns.models import Campaign

from ..models import Metric, MetricRecord
from ..progress import ZERO

# The longest daily chart: a year and a day.
CHART_DAYS = 366


def daily_chart(campaign: Campaign, partnership_ids: list[int], today: datetime.date) -> dict:
    """People's link clicks and sessions per local day over the campaign's days up to
    today (at most the last CHART_DAYS of them; none before it starts). One query, on
    those days' records only. Values are strings: no floats on the server; the browser
    only draws them."""
    end = min(campaign.ends_on, today)
    start = max(campaign.starts_on, end - datetime.timedelta(days=CHART_DAYS - 1))
    days = [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]
    values: dict[str, dict[datetime.date, Decimal]] = {
        Metric.LINK_CLICKS_HUMAN: {},
        Metric.SESSIONS: {},
    }
    if days:
        within = {
            "bucket_start__gte": _midnight(start),
            "bucket_start__lt": _midnight(end + datetime.timedelta(days=1)),
        }
        # A UNION ALL rather than an OR, so each side reads its own index.
        clicks = MetricRecord.objects.filter(
            link__partnership__in=partnership_ids, metric=Metric.LINK_CLICKS_HUMAN, **within
        )
        sessions = MetricRecord.objects.filter(
            partnership__in=partnership_ids, metric=Metric.SESSIONS, **within
        )
        for row in _per_day(clicks).union(_per_day(sessions), all=True):
            values[row["metric"]][row["day"]] = row["total"]

    def series(metric: str) -> list[str]:
        return [_plain(values[metric].get(day, ZERO)) for day in days]

    return {
        "days": [day.isoformat() for day in days],
        "series": [
            {"label": gettext("Link clicks"), "values": series(Metric.LINK_CLICKS_HUMAN)},
            {"label": gettext("Sessions"), "values": series(Metric.SESSIONS)},
        ],
    }


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _per_day(records):
    return (
        records.annotate(day=TruncDate("bucket_start"))
        .values("day", "metric")
        .annotate(total=Coalesce(Sum("value"), ZERO))
        .order_by()
    )


def _plain(value: Decimal) -> str:
    """12.00 -> "12", 8.50 -> "8.5": counts as people read them."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
