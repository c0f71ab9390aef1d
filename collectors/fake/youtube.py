"""YouTube Data API v3: channels.list and videos.list, with Google's error envelopes.

Quirks kept: counts are strings; `subscriberCount` is left out when the channel hides
it (`hiddenSubscriberCount: true`; use the id `UC_hidden`); `likeCount` and
`commentCount` are left out when hidden (video ids ending in `_hidden`); unknown ids
(`UC_unknown`, `…_unknown`) are HTTP 200 with `items: []`; videos are answered at most
50 ids a call.
"""

import datetime

from . import growth
from .server import Request, Response

ETAG = "fakeEtag_q8VbG6mJpXrC1S0"


def _error(code: int, message: str, reason: str, domain: str = "global", **extra) -> Response:
    errors = [{"message": message, "domain": domain, "reason": reason}]
    return Response(code, {"error": {"code": code, "message": message, "errors": errors, **extra}})


def error(mode: str, request: Request) -> Response:
    if mode == "429":
        return _error(429, "Resource has been exhausted (e.g. check quota).", "rateLimitExceeded",
                      "usageLimits", status="RESOURCE_EXHAUSTED")  # fmt: skip
    if mode == "500":
        return _error(500, "Backend Error", "backendError")
    if mode == "quota":
        return _error(
            403,
            "The request cannot be completed because you have exceeded your "
            '<a href="/youtube/v3/getting-started#quota">quota</a>.',
            "quotaExceeded",
            "youtube.quota",
        )
    # An expired key: Google's current envelope (reason in details, status INVALID_ARGUMENT).
    message = "API key expired. Please renew the API key."
    response = _error(400, message, "badRequest", status="INVALID_ARGUMENT")
    response.body["error"]["details"] = [
        {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "API_KEY_EXPIRED",
            "domain": "googleapis.com",
            "metadata": {"service": "youtube.googleapis.com"},
        }
    ]
    return response


def handle(request: Request, state, *, empty: bool = False) -> Response:
    if not (
        request.headers.get("x-goog-api-key")
        or request.param("key")
        or request.headers.get("authorization")
    ):
        return _error(
            403, "The request is missing a valid API key.", "forbidden", status="PERMISSION_DENIED"
        )
    resource = request.path.rsplit("/", 1)[-1]
    if resource == "channels":
        return _channels(request, empty)
    if resource == "videos":
        return _videos(request, empty)
    return _error(404, "Not Found", "notFound")


def _list(kind: str, items: list, per_page: int = 5) -> Response:
    return Response(200, {
        "kind": f"youtube#{kind}ListResponse",
        "etag": ETAG,
        "pageInfo": {"totalResults": len(items), "resultsPerPage": max(per_page, len(items))},
        "items": items,
    })  # fmt: skip


def _channels(request: Request, empty: bool) -> Response:
    ids = [i for i in request.param("id").split(",") if i]
    handle = request.param("forHandle")
    if handle:
        ids = [
            "UC"
            + growth.seed(handle.lower().lstrip("@")).to_bytes(4, "big").hex()
            + "x5XG1OV2P6uZZ5FS"
        ]
        if "unknown" in handle:
            ids = []
    today = growth.today()
    snippet = "snippet" in request.param("part").split(",")
    items = []
    for channel_id in ids if not empty else []:
        if channel_id.endswith("_unknown"):
            continue
        hidden = channel_id.endswith("_hidden")
        statistics = {
            "viewCount": str(40 * growth.followers(channel_id, today)),
            "hiddenSubscriberCount": hidden,
            "videoCount": str(50 + growth.seed(channel_id) % 200),
        }
        if not hidden:
            statistics["subscriberCount"] = str(growth.followers(channel_id, today))
        item = {
            "kind": "youtube#channel",
            "etag": ETAG,
            "id": channel_id,
            "statistics": statistics,
            "contentDetails": {"relatedPlaylists": {"likes": "", "uploads": "UU" + channel_id[2:]}},
        }  # fmt: skip
        if snippet:
            item["snippet"] = {
                "title": f"Channel {channel_id[2:8]}",
                "description": "",
                "customUrl": f"@{handle.lower().lstrip('@')}" if handle else "",
                "publishedAt": "2019-04-02T08:15:00Z",
                "thumbnails": _thumbnails(request, f"channel-{channel_id}", 88, 240, 800),
                "localized": {"title": f"Channel {channel_id[2:8]}", "description": ""},
            }
        items.append(item)
    if not items:
        # channels.list leaves `items` out when nothing matched.
        return Response(200, {"kind": "youtube#channelListResponse", "etag": ETAG,
                              "pageInfo": {"totalResults": 0, "resultsPerPage": 5}})  # fmt: skip
    return _list("channel", items)


def paid_label(video_id: str) -> bool:
    """Whether the fake video carries YouTube's paid-promotion label (its owner's answer
    only): every video with "label" in its id, and about half of the others."""
    return "label" in video_id or growth.seed("label", video_id) % 2 == 0


def description(video_id: str) -> str:
    """The video's description: with "#ad", unless its id has "nodisc" in it."""
    if "nodisc" in video_id:
        return "Thanks to the brand for sending this over."
    return "Thanks to the brand for sending this over. #ad"


def _videos(request: Request, empty: bool, *, owner: bool = False) -> Response:
    """`videos.list`. `owner`: asked with the channel owner's token, so the
    `paidProductPlacementDetails` part answers (to anyone else it is empty)."""
    ids = [i for i in request.param("id").split(",") if i]
    if len(ids) > 50:
        return _error(400, "The request specifies an invalid filter parameter.", "invalidFilters")
    today = growth.today()
    parts = request.param("part").split(",")
    snippet = "snippet" in parts
    items = []
    for video_id in ids if not empty else []:
        if video_id.endswith("_unknown"):
            continue
        statistics = {
            "viewCount": str(growth.lifetime("views", video_id, today)),
            "likeCount": str(growth.lifetime("likes", video_id, today)),
            "favoriteCount": "0",
            "commentCount": str(growth.lifetime("comments", video_id, today)),
        }
        if video_id.endswith("_hidden"):
            del statistics["likeCount"], statistics["commentCount"]
        item = {"kind": "youtube#video", "etag": ETAG, "id": video_id, "statistics": statistics}
        if snippet:
            published = growth.EPOCH + datetime.timedelta(days=growth.seed(video_id) % 300)
            title = f"Demo video {video_id}: a week with the new brew"
            item["snippet"] = {
                "publishedAt": f"{published.isoformat()}T10:00:00Z",
                "channelId": "UC" + growth.seed(video_id).to_bytes(4, "big").hex(),
                "title": title,
                "description": description(video_id),
                "thumbnails": _thumbnails(request, f"video-{video_id}", 120, 320, 480),
                "channelTitle": "Demo channel",
                "liveBroadcastContent": "none",
                "localized": {"title": title, "description": ""},
            }
        if owner and "paidProductPlacementDetails" in parts:
            item["paidProductPlacementDetails"] = {"hasPaidProductPlacement": paid_label(video_id)}
        items.append(item)
    return _list("video", items, per_page=len(ids) or 5)


def _thumbnails(request: Request, name: str, *sizes: int) -> dict:
    """default, medium and high, as YouTube sends them (links to the fake's pictures)."""
    base = f"http://{request.headers.get('host', '127.0.0.1')}/_fake/images"
    return {
        key: {"url": f"{base}/{name}-{key}.png", "width": size, "height": size * 3 // 4}
        for key, size in zip(("default", "medium", "high"), sizes, strict=True)
    }
