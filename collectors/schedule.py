"""When a connection is due again, and which days a traffic pull asks for.

- followers: daily;
- a post's numbers: every 4 h for its first 10 days, daily to day 60, weekly after;
- traffic: hourly while a campaign it covers is live, daily otherwise;
- backoff after a failure: exponential with jitter, capped.
Missed work is caught up from `last_pulled_at`: a traffic pull asks again for every
day since the last successful pull (plus a few days, because analytics data settles
late), so a worker that was down for a week fills the week in on its next run.
"""

import datetime
import random

from django.conf import settings
from django.db.models import Max, Q
from django.utils import timezone

from campaigns.models import Campaign
from metrics.models import Metric, MetricRecord, Post

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
    if connection.is_channel_source:
        return next_channel_run(connection, now)
    if campaign_live(connection, timezone.localdate(now)):
        return now + datetime.timedelta(hours=1)
    return now + datetime.timedelta(days=1)


def post_interval(age: datetime.timedelta) -> datetime.timedelta:
    """How often a post's numbers are pulled: every 4 h for its first 10 days, daily to
    day 60, weekly after."""
    if age < datetime.timedelta(days=10):
        return datetime.timedelta(hours=4)
    if age < datetime.timedelta(days=60):
        return datetime.timedelta(days=1)
    return datetime.timedelta(days=7)


def channel_posts(connection: Connection):
    """The published posts a channel connection reports on: the channel's own, and the
    influencer's posts on the same platform with no channel set; only those with the
    platform's post id. Annotated with when this source last wrote a number for them."""
    channel = connection.channel
    mine = Q(channel=channel) | Q(
        channel=None, partnership__influencer_id=channel.influencer_id, platform=channel.platform
    )
    return (
        Post.objects.filter(mine)
        .exclude(platform_post_id="")
        .annotate(
            last_pulled=Max(
                "metric_records__recorded_at",
                filter=Q(metric_records__source=connection.provider),
            )
        )
    )


def post_due_at(post, now: datetime.datetime) -> datetime.datetime:
    if post.last_pulled is None:
        return now
    born = post.published_at or post.created_at
    return post.last_pulled + post_interval(now - born)


def due_posts(connection: Connection, now: datetime.datetime) -> dict[str, int]:
    """platform post id -> post pk, for the posts due now (a few minutes early is due)."""
    slack = datetime.timedelta(minutes=10)
    return {
        post.platform_post_id: post.pk
        for post in channel_posts(connection)
        if post_due_at(post, now) <= now + slack
    }


def followers_fresh(connection: Connection, now: datetime.datetime) -> bool:
    """True when this source wrote the channel's followers less than 20 h ago."""
    return MetricRecord.objects.filter(
        channel_id=connection.channel_id,
        metric=Metric.FOLLOWERS,
        source=connection.provider,
        recorded_at__gt=now - datetime.timedelta(hours=20),
    ).exists()


def next_channel_run(connection: Connection, now: datetime.datetime) -> datetime.datetime:
    """Followers daily; sooner when a post is due sooner."""
    soonest = now + datetime.timedelta(days=1)
    for post in channel_posts(connection):
        soonest = min(soonest, post_due_at(post, now))
    return max(soonest, now + datetime.timedelta(minutes=30))


def backoff(failures: int) -> float:
    """Seconds before trying again after `failures` failures in a row (full jitter)."""
    ceiling = min(settings.COLLECTORS_MAX_BACKOFF, BACKOFF_BASE * 2 ** min(failures, 20))
    return random.uniform(ceiling / 2, ceiling)
