"""TikTok through the creator's own login (Login Kit + Display API v2).

With the creator's token (`user.info.basic`, `user.info.profile`, `user.info.stats`,
`video.list`) on `open.tiktokapis.com`:

- `GET /v2/user/info/?fields=open_id,follower_count`: followers;
- `POST /v2/video/query/?fields=id,video_description,view_count,like_count,…`
  with `{"filters": {"video_ids": [...]}}` (at most 20 ids a call): the tracked videos'
  lifetime counts, and their description (the caption, for the disclosure check).
  TikTok reports no saves or reach here.

Every answer carries `error.code` ("ok" when it went through); refusals come with real
HTTP statuses: 401 `access_token_invalid`, `scope_not_authorized`,
`scope_permission_missed` (the creator must connect again), 429 `rate_limit_exceeded`,
5xx `internal_error`. The token goes in the `Authorization: Bearer` header.
"""

from collections.abc import Iterator

import httpx
from django.utils import timezone

from common.crypto import Secret
from metrics.models import Metric
from metrics.services import Row

from .. import http
from ..errors import Malformed, ProviderError, RateLimited, Transient, Unauthorized
from . import PostDetails, day_start, number

SOURCE = "tiktok_creator"
BASE_URL = "https://open.tiktokapis.com"
BATCH = 20
VIDEO_FIELDS = "id,video_description,view_count,like_count,comment_count,share_count"
COUNTS = {
    "view_count": Metric.VIEWS,
    "like_count": Metric.LIKES,
    "comment_count": Metric.COMMENTS,
    "share_count": Metric.SHARES,
}
REAUTH = {"access_token_invalid", "scope_not_authorized", "scope_permission_missed"}


def base(base_url: str) -> str:
    from ..creators.oauth import fake_or

    return (base_url or fake_or(BASE_URL)).rstrip("/")


def check(response: httpx.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        if response.status_code >= 500:
            raise Transient(f"TikTok had a server error (HTTP {response.status_code}).") from None
        raise Malformed("TikTok answered something that is not JSON.") from None
    error = body.get("error") if isinstance(body, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    if code in REAUTH:
        raise Unauthorized("TikTok refused the token (expired, revoked or without permission).")
    if code == "rate_limit_exceeded" or response.status_code == 429:
        raise RateLimited(
            "TikTok's rate limit was reached.", retry_after=http.retry_after(response)
        )
    if response.status_code >= 500 or code == "internal_error":
        raise Transient("TikTok had a temporary error.")
    if code != "ok" or response.status_code != 200 or not isinstance(body.get("data"), dict):
        raise ProviderError(f"TikTok refused the request ({code or response.status_code}).")
    return body["data"]


def account(
    client: httpx.Client, *, base_url: str, token: Secret, channel_pk: int,
    posts: dict[str, int], followers: bool = True,
) -> Iterator[list[Row]]:  # fmt: skip
    root = base(base_url)
    headers = {"Authorization": f"Bearer {token.reveal()}"}
    today = day_start(timezone.localdate())
    if followers:
        params = {"fields": "open_id,follower_count"}
        data = check(
            http.send(client, "GET", f"{root}/v2/user/info/", params=params, headers=headers)
        )
        user = data.get("user")
        if not isinstance(user, dict) or "follower_count" not in user:
            raise Malformed("TikTok's answer has no follower_count.")
        yield [Row(metric=Metric.FOLLOWERS, at=today, source=SOURCE, channel=channel_pk,
                   value=number(user["follower_count"], "followers"))]  # fmt: skip
    ids = sorted(posts)
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        data = check(http.send(
            client, "POST", f"{root}/v2/video/query/", params={"fields": VIDEO_FIELDS},
            json={"filters": {"video_ids": batch}}, headers=headers,
        ))  # fmt: skip
        videos = data.get("videos")
        if not isinstance(videos, list):
            raise Malformed("TikTok's video list is not a list.")
        rows, captions = [], {}
        for video in videos:
            if not isinstance(video, dict) or str(video.get("id")) not in posts:
                continue
            post = posts[str(video["id"])]
            captions[post] = str(video.get("video_description") or "")
            for field, metric in COUNTS.items():
                if field in video:
                    rows.append(Row(metric=metric, at=today, source=SOURCE, post=post,
                                    value=number(video[field], field)))  # fmt: skip
        yield rows + [PostDetails(post=post, caption=text) for post, text in captions.items()]
