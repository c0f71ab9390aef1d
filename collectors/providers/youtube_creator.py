"""YouTube through the creator's own Google login (YouTube Data API v3 and YouTube
Analytics API v2, scopes `youtube.readonly` and `yt-analytics.readonly`).

With the creator's token in the `Authorization: Bearer` header:

- `GET /youtube/v3/channels?part=statistics,snippet&mine=true`: subscribers and picture
  (1 quota unit);
- with them, daily: `GET …/v2/reports?ids=channel==MINE&dimensions=country&metrics=views`
  and `dimensions=ageGroup&metrics=viewerPercentage` over the last 28 days: who watches,
  by country and by age (`metrics.AudienceBucket`; YouTube has no follower demographics);
- `GET /youtube/v3/videos?part=snippet,statistics,paidProductPlacementDetails&id=…` (at
  most 50 ids, 1 unit): views, likes and comments as they are now, the title and
  description (the caption, for the disclosure check), and whether the video carries
  YouTube's paid-promotion label (`paidProductPlacementDetails.hasPaidProductPlacement`,
  told only to the video's owner);
- `GET youtubeanalytics.googleapis.com/v2/reports?ids=channel==MINE&filters=video==ID&
  metrics=estimatedMinutesWatched,averageViewDuration,shares&startDate=…&endDate=…`, no
  dimension, one call per video: the totals over the video's life. Watch time and
  average view duration exist only here; views, likes and comments are read from the
  Data API instead, which has no lag (Analytics lags 48–72 h). Values are JSON numbers
  found by their column's name; `rows` is left out when there is no data yet, which is
  no error. Dates are YouTube's (Pacific time), from the day before the video went out.

Errors are Google's envelope (`collectors.providers.youtube.check`): 401 or
`insufficientPermissions` means the creator must connect again; `quotaExceeded` waits
for the daily reset (the project's Data API quota is shared with the brand-side key).
"""

import datetime
from collections.abc import Iterator

import httpx
from django.utils import timezone

from common.crypto import Secret
from metrics.models import Metric
from metrics.services import Row

from .. import http
from ..errors import Malformed, Unauthorized
from . import AudienceDetails, day_start, number, parse_time
from .youtube import MAX_IDS, PACIFIC, channel_rows, check, video_rows

SOURCE = "youtube_creator"
DATA_URL = "https://www.googleapis.com/youtube/v3"
ANALYTICS_URL = "https://youtubeanalytics.googleapis.com/v2"
VIDEO_PARTS = "snippet,statistics,paidProductPlacementDetails"
# Analytics column -> metric. Views, likes and comments come from the Data API.
ANALYTICS = {
    "estimatedMinutesWatched": Metric.WATCH_MINUTES,
    "averageViewDuration": Metric.AVG_VIEW_SECONDS,
    "shares": Metric.SHARES,
}


def roots(base_url: str) -> tuple[str, str]:
    """(Data API, Analytics API) roots: the real ones, or the fake server's."""
    from ..creators.oauth import fake_or

    if base_url:
        return base_url.rstrip("/") + "/youtube/v3", base_url.rstrip("/") + "/v2"
    return fake_or(DATA_URL).rstrip("/"), fake_or(ANALYTICS_URL).rstrip("/")


def _get(client: httpx.Client, url: str, token: Secret, params: dict) -> dict:
    response = http.send(
        client, "GET", url, params=params, headers={"Authorization": f"Bearer {token.reveal()}"}
    )
    try:
        return check(response)
    except Unauthorized:
        raise Unauthorized(
            "YouTube refused the creator's token (expired, revoked or without permission)."
        ) from None


def account(
    client: httpx.Client, *, base_url: str, token: Secret, channel_pk: int,
    posts: dict[str, int], followers: bool = True,
) -> Iterator[list]:  # fmt: skip
    """Followers (one answer), then the tracked videos (one answer per 50), then each
    video's Analytics totals (one answer each)."""
    data, reports = roots(base_url)
    if followers:
        params = {"part": "statistics,snippet", "mine": "true"}
        yield channel_rows(_get(client, f"{data}/channels", token, params),
                           channel_pk=channel_pk, source=SOURCE)  # fmt: skip
        for dimension in AUDIENCE:
            yield audience(client, root=reports, token=token, channel_pk=channel_pk,
                           dimension=dimension)  # fmt: skip
    ids, published = sorted(posts), {}
    for start in range(0, len(ids), MAX_IDS):
        params = {"part": VIDEO_PARTS, "id": ",".join(ids[start : start + MAX_IDS])}
        body = _get(client, f"{data}/videos", token, params)
        yield video_rows(body, posts, source=SOURCE)
        for item in body["items"]:  # video_rows checked the answer's shape
            snippet = item.get("snippet") if isinstance(item.get("snippet"), dict) else {}
            published[item["id"]] = parse_time(snippet.get("publishedAt"))
    # A video YouTube did not list (deleted, private) has no Analytics either.
    for video_id, published_at in published.items():
        yield totals(client, root=reports, token=token, video_id=video_id,
                     post=posts[video_id], published_at=published_at)  # fmt: skip


def totals(
    client: httpx.Client, *, root: str, token: Secret, video_id: str, post: int,
    published_at: datetime.datetime | None,
) -> list[Row]:  # fmt: skip
    """One video's watch time, average view duration and shares over its life."""
    today = timezone.now().astimezone(PACIFIC).date()
    first = published_at.astimezone(PACIFIC).date() if published_at else today
    params = {
        "ids": "channel==MINE",
        "startDate": (min(first, today) - datetime.timedelta(days=1)).isoformat(),
        "endDate": today.isoformat(),
        "metrics": ",".join(ANALYTICS),
        "filters": f"video=={video_id}",
    }
    return report_rows(_get(client, f"{root}/reports", token, params), post=post)


def _table(body: dict) -> list[list]:
    """The rows of a result table ([] when it has none), its shape checked."""
    if body.get("kind") != "youtubeAnalytics#resultTable":
        raise Malformed("YouTube Analytics' answer is not a result table.")
    headers = body.get("columnHeaders")
    if not isinstance(headers, list) or not all(
        isinstance(h, dict) and isinstance(h.get("name"), str) for h in headers
    ):
        raise Malformed("YouTube Analytics' answer has no column headers.")
    table = body.get("rows", [])  # left out when there is no data
    if not isinstance(table, list) or not all(
        isinstance(r, list) and len(r) == len(headers) for r in table
    ):
        raise Malformed("YouTube Analytics' rows do not match its columns.")
    return table


def report_rows(body: dict, *, post: int) -> list[Row]:
    """A no-dimension result table (one row of totals, or none yet) as today's rows."""
    table = _table(body)
    headers = body["columnHeaders"]
    if not table:
        return []
    if len(table) != 1:
        raise Malformed("YouTube Analytics answered more than one row of totals.")
    today = day_start(timezone.localdate())
    return [
        Row(
            metric=ANALYTICS[header["name"]],
            at=today,
            source=SOURCE,
            post=post,
            value=number(value, header["name"]),
        )
        for header, value in zip(headers, table[0], strict=True)
        if header["name"] in ANALYTICS
    ]


# dimension -> (the report's dimension, its metric): views by country, and the share of
# viewers by age (`viewerPercentage`: YouTube has no follower demographics).
AUDIENCE = {"country": ("country", "views"), "age": ("ageGroup", "viewerPercentage")}
AUDIENCE_DAYS = 28


def audience(
    client: httpx.Client, *, root: str, token: Secret, channel_pk: int, dimension: str
) -> list[AudienceDetails]:
    """Who watched the channel in the 28 days before today, by country (views) or by age
    (the share of viewers, kept in hundredths of a percent). YouTube leaves `rows` out
    when too few people watched to tell: nothing is stored then."""
    report_dimension, metric = AUDIENCE[dimension]
    today = timezone.now().astimezone(PACIFIC).date()
    params = {
        "ids": "channel==MINE",
        "startDate": (today - datetime.timedelta(days=AUDIENCE_DAYS)).isoformat(),
        "endDate": today.isoformat(),
        "dimensions": report_dimension,
        "metrics": metric,
        "sort": f"-{metric}",
    }
    table = _table(_get(client, f"{root}/reports", token, params))
    buckets = {}
    for row in table:
        if len(row) != 2 or not isinstance(row[0], str):
            raise Malformed("YouTube Analytics' audience rows are not (bucket, number).")
        value = number(row[1], metric)
        size = value * 100 if metric == "viewerPercentage" else value
        bucket = row[0].removeprefix("age").replace("65-", "65+") if dimension == "age" else row[0]
        buckets[bucket] = int(size.to_integral_value())
    if not buckets:
        return []
    return [AudienceDetails(channel=channel_pk, dimension=dimension, buckets=buckets,
                            source=SOURCE)]  # fmt: skip
