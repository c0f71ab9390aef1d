"""Instagram Graph API, Business Discovery:
`GET /v26.0/{ig-user-id}?fields=business_discovery.username(NAME){…}`.

Each username has 120 media, newest first, with shortcodes from `shortcode(username, n)`;
every seventh hides its likes (no `like_count`). `media.limit(N)` pages, `media.after(C)`
continues; `paging.cursors.after` is left out on the last page. A username containing
"unknown" is error 100/2207013. Errors are Graph envelopes with `code`; throttling comes
with `X-Business-Use-Case-Usage` (no Retry-After).
"""

import json
import re

from . import growth
from .server import Request, Response

MEDIA = 120
SENDS_RETRY_AFTER = False
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"


def shortcode(username: str, n: int) -> str:
    value = growth.seed(username, str(n))
    return "C" + "".join(ALPHABET[(value >> (6 * i)) % 64] for i in range(5)) + f"{n:04d}"


def _error(status: int, code: int, message: str, **extra) -> Response:
    error = {"message": message, "type": "OAuthException", "code": code, **extra,
             "fbtrace_id": "AbCdEfGhIjK"}  # fmt: skip
    return Response(status, {"error": error})


def error(mode: str, request: Request) -> Response:
    if mode == "429":
        minutes = 1
        usage = {"17841405309211844": [{"type": "instagram", "call_count": 100,
                 "total_cputime": 30, "total_time": 40,
                 "estimated_time_to_regain_access": minutes}]}  # fmt: skip
        response = _error(
            400,
            80002,
            "There have been too many calls to this Instagram account. Wait a bit and try again.",
        )  # noqa: E501
        response.headers["X-Business-Use-Case-Usage"] = json.dumps(usage)
        return response
    if mode == "500":
        return _error(500, 1, "An unknown error occurred", is_transient=True)
    return _error(
        400, 190,
        "Error validating access token: Session has expired on Friday, 27-Nov-26 10:00:00 PST.",
        error_subcode=463,
    )  # fmt: skip


def handle(request: Request, state, *, empty: bool = False) -> Response:
    if not (
        request.headers.get("authorization", "").startswith("Bearer ")
        or request.param("access_token")
    ):
        return _error(
            400,
            190,
            "An active access token must be used to query information about the current user.",
        )  # noqa: E501
    fields = request.param("fields")
    found = re.search(r"business_discovery\.username\(([^)]+)\)", fields)
    if not found:
        return _error(400, 100, "(#100) Tried accessing nonexisting field")
    username = found.group(1)
    if "unknown" in username:
        return _error(400, 100, "Invalid user id", error_subcode=2207013,
                      error_user_title="Cannot find User")  # fmt: skip
    limit = int((re.search(r"media(?:\.after\([^)]*\))?\.limit\((\d+)\)", fields) or [0, 25])[1])
    after = re.search(r"media\.after\(([^)]+)\)", fields)
    start = int(after.group(1).removeprefix("cursor")) if after else 0
    today = growth.today()
    media = []
    for n in range(start, min(start + limit, 0 if empty else MEDIA)):
        code = shortcode(username, n)
        host = request.headers.get("host", "127.0.0.1")
        item = {
            "caption": f"Post {n} of @{username}: morning routine with a new favourite #ad",
            "media_type": "IMAGE",
            "media_url": f"http://{host}/_fake/images/ig-{code}.png",
            "id": f"1789{growth.seed(username, str(n)):010d}",
            "comments_count": growth.lifetime("comments", code, today),
            "timestamp": f"{today.isoformat()}T10:00:00+0000",
            "permalink": f"https://www.instagram.com/p/{code}/",
        }
        if n % 7 != 3:
            item["like_count"] = growth.lifetime("likes", code, today)
        media.append(item)
    paging = {"cursors": {"before": f"cursor{start}"}}
    if start + limit < MEDIA and not empty:
        paging["cursors"]["after"] = f"cursor{start + limit}"
    discovery = {
        "followers_count": growth.followers(username, today),
        "profile_picture_url": f"http://{request.headers.get('host', '127.0.0.1')}"
        f"/_fake/images/ig-profile-{username}.png",
        "media_count": 0 if empty else MEDIA,
        "media": {"data": media, "paging": paging},
        "id": f"1784{growth.seed(username):011d}",
    }
    return Response(200, {"business_discovery": discovery, "id": request.path.rsplit("/", 1)[-1]})
