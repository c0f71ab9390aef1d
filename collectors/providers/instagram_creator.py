"""Instagram through the creator's own login (Instagram API with Instagram Login).

With the creator's token (`instagram_business_basic`, `instagram_business_manage_insights`)
on `graph.instagram.com`:

- `GET /v26.0/{ig-user-id}?fields=followers_count,media_count,username`: followers;
- `GET /v26.0/{ig-user-id}/media?fields=id,caption,media_product_type,permalink,…`: the
  media list, newest first, paged by `paging.cursors.after` (passed back as `after=`,
  never by following `paging.next`, which may carry a token in its URL); a post we
  track is matched by its permalink's shortcode, and its caption is kept for the
  disclosure check;
- `GET /v26.0/{ig-user-id}/insights?metric=follower_demographics&period=lifetime&
  metric_type=total_value&breakdown=country|age`: followers per country and age bucket
  (daily, with the followers; none under 100 followers);
- `GET /v26.0/{media-id}/insights?metric=reach,views,saved,shares,likes,comments`:
  lifetime numbers of one post. From v22 `impressions`, `plays` and `engagement` fail the
  whole request, so they are never asked for. Code 10 "Not enough viewers" is no error:
  that post has no insights yet.

The token goes in the `Authorization: Bearer` header. Errors are the Graph envelope
(`collectors.providers.instagram.check`).
"""

from collections.abc import Iterator

import httpx
from django.utils import timezone

from common.crypto import Secret
from influencers.handles import post_id_from_url
from metrics.models import Metric
from metrics.services import Row

from .. import http
from ..errors import Malformed
from . import AudienceDetails, PostDetails, day_start, number
from .instagram import check

SOURCE = "instagram_creator"
BASE_URL = "https://graph.instagram.com"
VERSION = "v26.0"
PAGE = 50
MAX_PAGES = 4
MEDIA_FIELDS = "id,caption,media_product_type,permalink,timestamp,like_count,comments_count"
INSIGHTS = {
    "reach": Metric.REACH,
    "views": Metric.VIEWS,
    "saved": Metric.SAVES,
    "shares": Metric.SHARES,
    "likes": Metric.LIKES,
    "comments": Metric.COMMENTS,
}


def base(base_url: str) -> str:
    from ..creators.oauth import fake_or

    return (base_url or fake_or(BASE_URL)).rstrip("/") + f"/{VERSION}"


def _get(client: httpx.Client, url: str, token: Secret, params: dict) -> dict:
    response = http.send(
        client, "GET", url, params=params, headers={"Authorization": f"Bearer {token.reveal()}"}
    )
    return check(response)


def account(
    client: httpx.Client, *, base_url: str, token: Secret, ig_user_id: str, channel_pk: int,
    posts: dict[str, int], followers: bool = True,
) -> Iterator[list[Row]]:  # fmt: skip
    """Followers (one answer), then each tracked post's insights (one answer each)."""
    root = base(base_url)
    today = day_start(timezone.localdate())
    if followers:
        body = _get(client, f"{root}/{ig_user_id}", token, {"fields": "followers_count,username"})
        if "followers_count" not in body:
            raise Malformed("Instagram's answer has no followers_count.")
        yield [Row(metric=Metric.FOLLOWERS, at=today, source=SOURCE, channel=channel_pk,
                   value=number(body["followers_count"], "followers"))]  # fmt: skip
        for dimension in ("country", "age"):
            yield audience(client, root=root, token=token, ig_user_id=ig_user_id,
                           channel_pk=channel_pk, dimension=dimension)  # fmt: skip
    if not posts:
        return
    wanted, found, captions, after = dict(posts), {}, {}, ""
    for _page in range(MAX_PAGES):
        params = {"fields": MEDIA_FIELDS, "limit": str(PAGE)}
        if after:
            params["after"] = after
        body = _get(client, f"{root}/{ig_user_id}/media", token, params)
        if not isinstance(body.get("data"), list):
            raise Malformed("Instagram's media list is not a list.")
        for item in body["data"]:
            if not isinstance(item, dict) or not item.get("id"):
                raise Malformed("An Instagram media item is not an object with an id.")
            code = post_id_from_url("instagram", str(item.get("permalink", "")))
            post = wanted.pop(code, None)
            if post is not None:
                found[post] = str(item["id"])
                captions[post] = str(item.get("caption") or "")
        after = ((body.get("paging") or {}).get("cursors") or {}).get("after", "")
        if not wanted or not after or "next" not in (body.get("paging") or {}):
            break
    # The captions go with the answer, kept by the pull like every post detail.
    yield [PostDetails(post=post, caption=caption) for post, caption in captions.items()]
    for post, media_id in found.items():
        response = http.send(
            client, "GET", f"{root}/{media_id}/insights", params={"metric": ",".join(INSIGHTS)},
            headers={"Authorization": f"Bearer {token.reveal()}"},
        )  # fmt: skip
        if _not_enough_viewers(response):
            continue  # no insights for this post yet: not an error
        yield _insight_rows(check(response), post, today)


def _not_enough_viewers(response: httpx.Response) -> bool:
    try:
        error = response.json().get("error") or {}
    except (ValueError, AttributeError):
        return False
    return error.get("code") == 10 and "viewers" in str(error.get("message", "")).lower()


def _insight_rows(body: dict, post: int, today) -> list[Row]:
    if not isinstance(body.get("data"), list):
        raise Malformed("Instagram's insights are not a list.")
    rows = []
    for entry in body["data"]:
        if not isinstance(entry, dict) or entry.get("name") not in INSIGHTS:
            continue
        values = entry.get("values")
        if not isinstance(values, list) or not values or not isinstance(values[0], dict):
            raise Malformed("An Instagram insight has no value.")
        rows.append(Row(metric=INSIGHTS[entry["name"]], at=today, source=SOURCE, post=post,
                        value=number(values[0].get("value"), entry["name"])))  # fmt: skip
    return rows


def audience(
    client: httpx.Client, *, root: str, token: Secret, ig_user_id: str, channel_pk: int,
    dimension: str,
) -> list:  # fmt: skip
    """Followers per country or age bucket (`follower_demographics`, lifetime, as of
    today). An account under 100 followers gets none (code 100 or 10): nothing stored."""
    response = http.send(
        client, "GET", f"{root}/{ig_user_id}/insights",
        params={"metric": "follower_demographics", "period": "lifetime",
                "metric_type": "total_value", "breakdown": dimension},
        headers={"Authorization": f"Bearer {token.reveal()}"},
    )  # fmt: skip
    try:
        code = (response.json().get("error") or {}).get("code")
    except (ValueError, AttributeError):
        code = None
    if code in (10, 100):
        return []
    body = check(response)
    buckets: dict[str, int] = {}
    for entry in body.get("data") or []:
        breakdowns = ((entry or {}).get("total_value") or {}).get("breakdowns") or []
        for breakdown in breakdowns:
            for result in breakdown.get("results") or []:
                values = result.get("dimension_values") or []
                if values:
                    buckets[str(values[0])] = int(number(result.get("value"), dimension))
    if not buckets:
        return []
    return [
        AudienceDetails(channel=channel_pk, dimension=dimension, buckets=buckets, source=SOURCE)
    ]
