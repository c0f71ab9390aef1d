"""YouTube Data API v3 with an API key: a channel's subscribers and picture, and per post
views, likes, comments, title, publish time and thumbnail (`part=statistics,snippet`,
the same 1 quota unit a call).

The key goes in the `X-Goog-Api-Key` header (Google accepts it there as well as in
`key=`), so it never appears in a URL. Counts are strings; `subscriberCount` is
omitted when the channel hides it; an unknown id is HTTP 200 with `items: []`.
Quota: 10,000 units a day reset at midnight Pacific time; `quotaExceeded` pauses the
connection until then.
"""

import datetime
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import httpx
from django.utils import timezone

from common.crypto import Secret
from metrics.models import Metric
from metrics.services import Row

from .. import http
from ..errors import (
    Malformed,
    NotFound,
    ProviderError,
    QuotaExceeded,
    RateLimited,
    Transient,
    Unauthorized,
)
from . import ChannelDetails, PostDetails, day_start, number, parse_time, text

SOURCE = "youtube"
BASE_URL = "https://www.googleapis.com/youtube/v3"
PACIFIC = ZoneInfo("America/Los_Angeles")
AUTH_REASONS = {
    "keyInvalid",
    "keyExpired",
    "API_KEY_INVALID",
    "API_KEY_EXPIRED",
    "authError",
    "forbidden",
    "accessNotConfigured",
    "ipRefererBlocked",
    "insufficientPermissions",  # an OAuth token without the scope (the creator's login)
}
RATE_REASONS = {"rateLimitExceeded", "userRateLimitExceeded", "RATE_LIMIT_EXCEEDED"}


def quota_resets_at(now: datetime.datetime | None = None) -> datetime.datetime:
    """The next midnight in Pacific time, when the daily quota starts again."""
    local = (now or timezone.now()).astimezone(PACIFIC)
    tomorrow = datetime.datetime.combine(local.date() + datetime.timedelta(days=1), datetime.time())
    return tomorrow.replace(tzinfo=PACIFIC)


def _reasons(body) -> set[str]:
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return set()
    found = {e.get("reason") for e in error.get("errors") or [] if isinstance(e, dict)}
    for detail in error.get("details") or []:
        if isinstance(detail, dict):
            found.add(detail.get("reason"))
    return {r for r in found if isinstance(r, str)}


def check(response: httpx.Response):
    """The JSON body of a good answer, else the matching error type."""
    status = response.status_code
    if 200 <= status < 300:
        body = http.json_of(response)
        if not isinstance(body, dict):
            raise Malformed("YouTube answered something that is not a JSON object.")
        return body
    if status >= 500:
        raise Transient(f"YouTube had a server error (HTTP {status}).")
    try:
        reasons = _reasons(response.json())
    except ValueError:
        reasons = set()
    if "quotaExceeded" in reasons or "dailyLimitExceeded" in reasons:
        raise QuotaExceeded("The YouTube API quota for today is used up.", until=quota_resets_at())
    if status == 429 or reasons & RATE_REASONS:
        raise RateLimited("YouTube asked us to slow down.", retry_after=http.retry_after(response))
    if status == 401 or reasons & AUTH_REASONS:
        raise Unauthorized("YouTube refused the API key (invalid, expired or not allowed).")
    raise ProviderError(f"YouTube refused the request (HTTP {status}).")


def _get(client: httpx.Client, base_url: str, key: Secret, path: str, params: dict) -> dict:
    url = f"{(base_url or BASE_URL).rstrip('/')}/{path}"
    response = http.send(
        client, "GET", url, params=params, headers={"X-Goog-Api-Key": key.reveal()}
    )
    return check(response)


def channel_followers(
    client: httpx.Client, *, base_url: str, key: Secret, channel_pk: int, account_id: str,
    handle: str,
) -> list[Row]:  # fmt: skip
    """One `channels.list` answer: today's subscriber count of the channel."""
    if account_id.startswith("UC"):
        params = {"part": "statistics,snippet", "id": account_id}
    else:
        params = {
            "part": "statistics,snippet",
            "forHandle": handle if handle.startswith("@") else f"@{handle}",
        }
    body = _get(client, base_url, key, "channels", params)
    return channel_rows(body, channel_pk=channel_pk, source=SOURCE)


def channel_rows(body: dict, *, channel_pk: int, source: str) -> list:
    """A `channels.list` answer (by id, handle or `mine=true`) as today's followers."""
    if body.get("kind") != "youtube#channelListResponse":
        raise Malformed("YouTube's answer is not a channel list.")
    items = body.get("items", [])  # left out when nothing matched
    if not isinstance(items, list):
        raise Malformed("YouTube's channel list has no list of items.")
    if not items:
        raise NotFound("YouTube knows no channel with this id or handle.")
    statistics = items[0].get("statistics") if isinstance(items[0], dict) else None
    if not isinstance(statistics, dict):
        raise Malformed("YouTube's channel answer has no statistics.")
    picture = _thumbnail(items[0].get("snippet"), ("medium", "default", "high"))
    if statistics.get("hiddenSubscriberCount") or "subscriberCount" not in statistics:
        # the channel hides its subscribers: nothing to record, not an error
        return [ChannelDetails(channel=channel_pk, picture_url=picture)]
    followers = number(statistics["subscriberCount"], "subscribers")
    today = timezone.localdate()
    return [
        Row(metric=Metric.FOLLOWERS, at=day_start(today), value=followers, source=source,
            channel=channel_pk),
        ChannelDetails(channel=channel_pk, followers=int(followers), picture_url=picture),
    ]  # fmt: skip


def _thumbnail(snippet, sizes: tuple[str, ...]) -> str:
    """The first of `sizes` in a snippet's `thumbnails`, or ""."""
    thumbnails = snippet.get("thumbnails") if isinstance(snippet, dict) else None
    for size in sizes:
        found = thumbnails.get(size) if isinstance(thumbnails, dict) else None
        if isinstance(found, dict) and text(found.get("url")):
            return found["url"]
    return ""


def _details(post: int, video_id: str, item: dict) -> PostDetails | None:
    """Title and description as the caption (a disclosure may stand in either), the
    watch link, publish time and the largest thumbnail; and, where the answer carries
    `paidProductPlacementDetails` (only to the video's owner), the paid-promotion label."""
    snippet = item.get("snippet")
    if not isinstance(snippet, dict):
        return None
    caption = "\n\n".join(
        p for p in (text(snippet.get("title")), text(snippet.get("description"))) if p
    )
    placement = item.get("paidProductPlacementDetails")
    label = placement.get("hasPaidProductPlacement") if isinstance(placement, dict) else None
    return PostDetails(
        post=post,
        caption=caption,
        permalink=f"https://www.youtube.com/watch?v={video_id}",
        published_at=parse_time(snippet.get("publishedAt")),
        thumbnail_url=_thumbnail(snippet, ("high", "medium", "default")),
        # Left out when false, like every boolean Google leaves at its default.
        paid_label=bool(label) if isinstance(placement, dict) else None,
    )


VIDEO_METRICS = (
    ("viewCount", Metric.VIEWS),
    ("likeCount", Metric.LIKES),
    ("commentCount", Metric.COMMENTS),
)
MAX_IDS = 50  # videos.list takes at most 50 ids a call


def video_numbers(
    client: httpx.Client, *, base_url: str, key: Secret, posts: dict[str, int]
) -> Iterator[list[Row]]:
    """One `videos.list` answer per 50 posts (video id -> post pk): today's views,
    likes and comments of each. Hidden likes or comments are left out, not zero; a
    video YouTube does not know (deleted, private) is simply absent."""
    ids = sorted(posts)
    for start in range(0, len(ids), MAX_IDS):
        chunk = ids[start : start + MAX_IDS]
        params = {"part": "statistics,snippet", "id": ",".join(chunk)}
        yield video_rows(_get(client, base_url, key, "videos", params), posts, source=SOURCE)


def video_rows(body: dict, posts: dict[str, int], *, source: str) -> list:
    """A `videos.list` answer as today's counts of each video, and its details."""
    today = day_start(timezone.localdate())
    items = body.get("items")
    if body.get("kind") != "youtube#videoListResponse" or not isinstance(items, list):
        raise Malformed("YouTube's answer is not a video list.")
    rows = []
    for item in items:
        post = posts.get(item.get("id")) if isinstance(item, dict) else None
        statistics = item.get("statistics") if post else None
        if post is None or not isinstance(statistics, dict):
            raise Malformed("YouTube answered about a video that was not asked for.")
        for name, metric in VIDEO_METRICS:
            if name in statistics:
                value = number(statistics[name], name)
                rows.append(Row(metric=metric, at=today, value=value, source=source, post=post))
        details = _details(post, item["id"], item)
        if details is not None:
            rows.append(details)
    return rows
