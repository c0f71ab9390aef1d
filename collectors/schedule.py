"""When a connection is due again, and which days a traffic pull asks for.

- followers: daily;
- traffic: hourly while a campaign it covers is live, daily otherwise;
- backoff after a failure: exponential with jitter, capped.
Missed work is caught up from `last_pulled_at`: a traffic pull asks again for every
day since the last successful pull (plus a few days, because analytics data settles
late), so a worker that was down for a week fills the week in on its next run.
"""

import datetime
import random

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from campaigns.models import Campaign

from .models import Connection
from .providers import Window

SETTLING_DAYS = 3  # GA4 and YouTube data can change for up to 72 h
FIRST_PULL_DAYS = 90  # how far back a new connection looks
RECENT_DAYS = 60  # a campaign's traffic is followed this long after it ends
BACKOFF_BASE = 30


def covered_campaigns(connection: Connection, window: Window):
    if connection.campaign_id is not None:
        return Campaign.objects.filter(pk=connection.campaign_id).exclude(utm_campaign="")
    return Campaign.objects.exclude(utm_campaign="").filter(
        starts_on__lte=window.until,
        ends_on__gte=window.since - datetime.timedelta(days=RECENT_DAYS),
    )


def traffic_window(connection: Connection, today: datetime.date | None = None) -> Window:
    today = today or timezone.localdate()
    if connection.last_pulled_at is None:
        since = today - datetime.timedelta(days=FIRST_PULL_DAYS)
    else:
        last = timezone.localdate(connection.last_pulled_at)
        since = max(
            last - datetime.timedelta(days=SETTLING_DAYS),
            today - datetime.timedelta(days=FIRST_PULL_DAYS),
        )
    return Window(since=min(since, today), until=today)


def campaign_live(connection: Connection, today: datetime.date) -> bool:
    live = Q(starts_on__lte=today, ends_on__gte=today)
    if connection.campaign_id is not None:
        return Campaign.objects.filter(live, pk=connection.campaign_id).exists()
    return Campaign.objects.filter(live).exclude(utm_campaign="").exists()


def next_regular_run(
    connection: Connection, now: datetime.datetime | None = None
) -> datetime.datetime:
    now = now or timezone.now()
    if not connection.is_channel_source and campaign_live(connection, timezone.localdate(now)):
        return now + datetime.timedelta(hours=1)
    return now + datetime.timedelta(days=1)


def backoff(failures: int) -> float:
    """Seconds before trying again after `failures` failures in a row (full jitter)."""
    ceiling = min(settings.COLLECTORS_MAX_BACKOFF, BACKOFF_BASE * 2 ** min(failures, 20))
    return random.uniform(ceiling / 2, ceiling)
