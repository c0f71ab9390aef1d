"""Recording clicks on /r/<code> and rolling them up into metric records.

A click is one INSERT in the redirect's own request, before the 302 is sent: once the
visitor is on their way the click is in Postgres, whatever happens to the web process,
the worker or Redis afterwards. The rollup reads clicks back and writes daily records
through `records_upsert`; it recomputes whole days, so running it twice (or after a
crash half way) gives the same numbers.
"""

import datetime
import re

from django.db import connection
from django.db.models import Count, Min, Q
from django.db.models.functions import TruncDate
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.client import client_ip

from ..models import Click, Granularity, Metric, SchedulerHeartbeat, Source, TrackedLink
from ..models.records import bucket_start_of
from ..services import Row, heartbeat_record, records_upsert

# Link-preview fetchers and crawlers: they open links to draw a card or index a page,
# no person clicked. Case-insensitive substrings of the User-Agent.
BOT_AGENTS = (
    "whatsapp",
    "facebookexternalhit",
    "facebookcatalog",
    "meta-externalagent",
    "twitterbot",
    "telegrambot",
    "slackbot",
    "slack-imgproxy",
    "discordbot",
    "linkedinbot",
    "googlebot",
    "google-inspectiontool",
    "adsbot-google",
    "bingbot",
    "bingpreview",
    "applebot",
    "pinterest",
    "redditbot",
    "skypeuripreview",
    "embedly",
    "yandexbot",
    "baiduspider",
    "duckduckbot",
    "petalbot",
    "semrushbot",
    "ahrefsbot",
    "headlesschrome",
    "python-requests",
    "python-urllib",
    "curl/",
    "wget/",
    "go-http-client",
    "okhttp",
)
# Generic words crawlers put in their agent: whole words only ("Cubot" is a phone).
BOT_WORDS = re.compile(r"\b(?:bot|crawler|spider|preview|scraper)\b", re.IGNORECASE)

ROLLUP = "click_rollup"
# Clicks are stamped before their insert commits: look this far behind the last run.
ROLLUP_OVERLAP = datetime.timedelta(minutes=10)


def click_kind(method: str, user_agent: str) -> str:
    if method == "HEAD":
        return Click.Kind.HEAD
    agent = user_agent.lower()
    if not agent.strip() or any(token in agent for token in BOT_AGENTS) or BOT_WORDS.search(agent):
        return Click.Kind.BOT
    return Click.Kind.HUMAN


def visitor_hash(ip: str | None, user_agent: str, day: datetime.date) -> str:
    """Same visitor on the same day -> same hash; a new key every day, so hashes cannot
    be linked across days, and the address itself is never stored."""
    key = f"metrics.click.visitor.{day.isoformat()}"
    return salted_hmac(key, f"{ip or ''}|{user_agent}", algorithm="sha256").hexdigest()[:32]


def click_follow(*, code: str, request: HttpRequest) -> str | None:
    """Record a click on the active link `code` and return where it goes (None: no such
    active link, nothing written).

    One statement and one round trip: the lookup of the link and the INSERT of its click
    run together (a data-modifying CTE), in autocommit, so when this returns the click
    is committed and the caller may send the 302. The redirect is the hottest path of
    the app; the ORM's version (a SELECT, then an INSERT) made two round trips and
    compiled two queries."""
    agent = request.META.get("HTTP_USER_AGENT", "")[:500]
    now = timezone.now()
    kind = click_kind(request.method, agent)
    visitor = visitor_hash(client_ip(request), agent, timezone.localdate(now))
    with connection.cursor() as cursor:
        cursor.execute(_FOLLOW_SQL, [code, now, kind, visitor])
        found = cursor.fetchone()
    return found[0] if found else None


_FOLLOW_SQL = f"""
WITH link AS (
    SELECT id, target_url FROM {TrackedLink._meta.db_table} WHERE code = %s AND is_active
), click AS (
    INSERT INTO {Click._meta.db_table} (link_id, at, kind, visitor)
    SELECT id, %s, %s, %s FROM link
)
SELECT target_url FROM link
"""  # noqa: S608 - our own table names


def clicks_rollup(*, since: datetime.datetime | None = None) -> int:
    """Recompute the daily click records of every day from `since` (default: the day of
    the last run, less an overlap; everything on the first run). Returns rows written."""
    started = timezone.now()
    if since is None:
        since = _last_run() or Click.objects.aggregate(first=Min("at"))["first"] or started
        since -= ROLLUP_OVERLAP
    day_start = bucket_start_of(since, Granularity.DAY)
    tz = timezone.get_current_timezone()
    human = Q(kind=Click.Kind.HUMAN)
    days = (
        Click.objects.filter(at__gte=day_start)
        .annotate(day=TruncDate("at", tzinfo=tz))
        .values("link_id", "day")
        .annotate(
            human=Count("pk", filter=human),
            bot=Count("pk", filter=~human),
            visitors=Count("visitor", filter=human, distinct=True),
        )
    )
    rows = []
    for day in days:
        at = timezone.make_aware(datetime.datetime.combine(day["day"], datetime.time()), tz)
        for metric, value in (
            (Metric.LINK_CLICKS_HUMAN, day["human"]),
            (Metric.LINK_CLICKS_BOT, day["bot"]),
            (Metric.LINK_VISITORS, day["visitors"]),
        ):
            rows.append(
                Row(
                    metric=metric, at=at, value=value, source=Source.OWN_CLICKS, link=day["link_id"]
                )
            )
    written = records_upsert(rows)
    heartbeat_record(name=ROLLUP, at=started)
    return written


def _last_run() -> datetime.datetime | None:
    return (
        SchedulerHeartbeat.objects.filter(name=ROLLUP).values_list("ticked_at", flat=True).first()
    )
