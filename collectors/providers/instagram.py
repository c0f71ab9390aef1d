"""Instagram through the brand's own professional account: Business Discovery.

`GET {base}/v26.0/{brand-ig-user-id}?fields=business_discovery.username(NAME){…}` with
the brand's token reads another professional account's public numbers: followers, and
per media like and comment counts (`like_count` is left out when the owner hides likes).
The token goes in the `Authorization: Bearer` header, not in `access_token=`, so it is
never in a URL. Media are paged with `media.after(CURSOR)` on the same field; pages are
read only while posts we track are still unmatched (matched by the permalink's
shortcode, as `metrics.Post.platform_post_id` holds it).

Errors are `{"error": {"code": …, …}}` and are told apart by `code`, not HTTP status:
190 expired or invalid token (and 10, 200–299 permissions): new credentials needed;
4, 17, 32, 613 and 80000–80014 throttling (`X-Business-Use-Case-Usage` says in how many
minutes access comes back); 1, 2 or `is_transient`: try again; 100 with subcode 2207013
(or 110): no such professional account.
"""

import json
from collections.abc import Iterator

import httpx
from django.utils import timezone

from common.crypto import Secret
from influencers.handles import post_id_from_url
from metrics.models import Metric
from metrics.services import Row

from .. import http
from ..errors import Malformed, NotFound, ProviderError, RateLimited, Transient, Unauthorized
from . import ChannelDetails, PostDetails, day_start, number, parse_time, text

SOURCE = "instagram"
BASE_URL = "https://graph.facebook.com"
VERSION = "v26.0"
PAGE = 50
MAX_PAGES = 4  # at most 200 recent media a run; older tracked posts are rarely asked for
MEDIA_FIELDS = (
    "id,like_count,comments_count,timestamp,permalink,caption,media_type,media_url,thumbnail_url"
)
THROTTLE_CODES = {4, 17, 32, 613, *range(80000, 80015)}


def _regain_seconds(response: httpx.Response) -> float | None:
    """`estimated_time_to_regain_access` (minutes) from X-Business-Use-Case-Usage."""
    try:
        usage = json.loads(response.headers.get("X-Business-Use-Case-Usage", ""))
        minutes = max(
            entry.get("estimated_time_to_regain_access", 0)
            for entries in usage.values()
            for entry in entries
        )
    except (ValueError, TypeError, AttributeError):
        return None
    return float(minutes) * 60 if minutes else None


def check(response: httpx.Response) -> dict:
    body = None
    try:
        body = response.json()
    except ValueError:
        if response.status_code >= 500:
            raise Transient(
                f"Instagram had a server error (HTTP {response.status_code})."
            ) from None
        raise Malformed("Instagram answered something that is not JSON.") from None
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        code, subcode = error.get("code"), error.get("error_subcode")
        if code == 190 or code == 10 or (isinstance(code, int) and 200 <= code <= 299):
            raise Unauthorized(
                "Instagram refused the token (expired, revoked or without permission)."
            )
        if code in THROTTLE_CODES:
            raise RateLimited(
                "Instagram's usage limit for the account was reached.",
                retry_after=_regain_seconds(response) or http.retry_after(response),
            )
        if code in (1, 2) or error.get("is_transient"):
            raise Transient("Instagram had a temporary error.")
        if code == 110 or (code == 100 and subcode == 2207013):
            raise NotFound("Instagram finds no professional account with this handle.")
        raise ProviderError(f"Instagram refused the request (code {code}).")
    if response.status_code >= 500:
        raise Transient(f"Instagram had a server error (HTTP {response.status_code}).")
    if response.status_code != 200 or not isinstance(body, dict):
        raise Malformed("Instagram's answer is not an object.")
    return body


def _fields(username: str, after: str) -> str:
    media = f"media.after({after}).limit({PAGE})" if after else f"media.limit({PAGE})"
    inner = f"followers_count,media_count,profile_picture_url,{media}{{{MEDIA_FIELDS}}}"
    return f"business_discovery.username({username}){{{inner}}}"


def account(
    client: httpx.Client, *, base_url: str, token: Secret, ig_user_id: str, username: str,
    channel_pk: int, posts: dict[str, int],
) -> Iterator[list[Row]]:  # fmt: skip
    """Followers (with the first page), then per page the numbers of the tracked posts
    found on it (shortcode -> post pk). Each page is one answer."""
    url = f"{(base_url or BASE_URL).rstrip('/')}/{VERSION}/{ig_user_id}"
    today = day_start(timezone.localdate())
    wanted, after = dict(posts), ""
    for page in range(MAX_PAGES):
        response = http.send(
            client, "GET", url, params={"fields": _fields(username, after)},
            headers={"Authorization": f"Bearer {token.reveal()}"},
        )  # fmt: skip
        found = check(response).get("business_discovery")
        if not isinstance(found, dict):
            raise Malformed("Instagram's answer has no business_discovery.")
        rows = []
        if page == 0:
            if "followers_count" not in found:
                raise Malformed("Instagram's answer has no followers_count.")
            followers = number(found["followers_count"], "followers")
            rows.append(Row(metric=Metric.FOLLOWERS, at=today, value=followers, source=SOURCE,
                            channel=channel_pk))  # fmt: skip
            picture = text(found.get("profile_picture_url"))
            rows.append(
                ChannelDetails(channel=channel_pk, followers=int(followers), picture_url=picture)
            )
        media = found.get("media") or {"data": []}
        if not isinstance(media, dict) or not isinstance(media.get("data"), list):
            raise Malformed("Instagram's media list is not a list.")
        for item in media["data"]:
            if not isinstance(item, dict):
                raise Malformed("An Instagram media item is not an object.")
            post = wanted.pop(post_id_from_url("instagram", str(item.get("permalink", ""))), None)
            if post is None:
                continue
            if "like_count" in item:  # left out when the owner hides likes
                rows.append(Row(metric=Metric.LIKES, at=today, source=SOURCE, post=post,
                                value=number(item["like_count"], "likes")))  # fmt: skip
            if "comments_count" in item:
                rows.append(Row(metric=Metric.COMMENTS, at=today, source=SOURCE, post=post,
                                value=number(item["comments_count"], "comments")))  # fmt: skip
            # A video's media_url is the video itself: its picture is thumbnail_url.
            picture = item.get("thumbnail_url") if item.get("media_type") == "VIDEO" else None
            rows.append(PostDetails(
                post=post, caption=text(item.get("caption")),
                permalink=text(item.get("permalink")),
                published_at=parse_time(item.get("timestamp")),
                thumbnail_url=text(picture or item.get("media_url")),
            ))  # fmt: skip
        yield rows
        after = ((media.get("paging") or {}).get("cursors") or {}).get("after", "")
        if not wanted or not after:
            return
