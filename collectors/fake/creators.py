"""The creators' own logins: OAuth and insights of Instagram (Instagram Login), TikTok
(Login Kit + Display API v2) and Google (YouTube), under `/creator/<real host>/<path>`
(`collectors.creators.oauth.fake_or` maps every real URL there, path for path).

- Authorize page (`GET …/oauth/authorize`, `…/v2/auth/authorize/`, `…/o/oauth2/v2/auth`):
  a small HTML page "Sign in as [username]" with *Allow* and *Deny*; *Allow* redirects to
  `redirect_uri?code=…&state=…`, *Deny* to `redirect_uri?error=access_denied&…&state=…`.
  Codes are single use, bound to the redirect URI and to the PKCE challenge.
- Token endpoints: Instagram's code exchange (`{"data":[{access_token,user_id,permissions}]}`),
  its long-lived exchange and refresh (GET, 60 days); TikTok's `/v2/oauth/token/` (2 h
  access token, 180-day rotating refresh token, errors as `{"error":"invalid_grant",…}`);
  Google's `/token` (1 h, refresh token kept). Revoke: TikTok `/v2/oauth/revoke/`,
  Google `/revoke`.
- Insights: Instagram `/v26.0/me`, `/v26.0/{id}`, `/v26.0/{id}/media` (captions: every
  fourth post has no disclosure), `/v26.0/{media-id}/insights`; TikTok `/v2/user/info/`,
  `/v2/video/query/`; Google `/youtube/v3/channels?mine=true`, the owner's
  `/youtube/v3/videos` (with `paidProductPlacementDetails`, see `fake.youtube.paid_label`)
  and YouTube Analytics `/v2/reports` (one video, no dimension; no `rows` for a video id
  with "new" in it, as for a video with no data yet).

Switches (queued modes or `X-Fake-Mode`): `expired` and `revoked` (the token is refused:
Graph code 190, TikTok `access_token_invalid`, Google 401; on a token endpoint:
`invalid_grant`), `scope` (a permission missing: Instagram grants only the basic scope,
Graph code 10 on insights, TikTok `scope_not_authorized`), `429`, `500`. The sign-in
pages take no modes. A username containing "wrong" signs in as "someone.else".
"""

import base64
import datetime
import hashlib
import html
import itertools
import json
import re
from urllib.parse import urlencode

from . import growth
from .instagram import shortcode
from .server import Request, Response

SENDS_RETRY_AFTER = True
HANDLES_MODES = True  # the server passes every mode to `handle`
MEDIA = 40
_counter = itertools.count(1)

IG_SCOPES = "instagram_business_basic,instagram_business_manage_insights"
TIKTOK_SCOPES = "user.info.basic,user.info.profile,user.info.stats,video.list"
GOOGLE_SCOPES = (
    "https://www.googleapis.com/auth/youtube.readonly "
    "https://www.googleapis.com/auth/yt-analytics.readonly"
)
AUTHORIZE_PATHS = ("/oauth/authorize", "/v2/auth/authorize/", "/o/oauth2/v2/auth")


def provider_of(path: str) -> str:
    host = path.split("/")[2]
    if "tiktok" in host:
        return "tiktok_creator"
    if "google" in host:
        return "youtube_creator"
    return "instagram_creator"


def takes_modes(path: str) -> bool:
    return not (path.endswith(AUTHORIZE_PATHS) or path.endswith("/_decide"))


def caption(n: int) -> str:
    return [
        "Morning ritual with @brand #ad ☕",
        "Sarapan enak pagi ini #iklan #kopi",
        "Weekend vibes, new mug from @brand",  # no disclosure
        "Thanks @brand! #Ad",
    ][n % 4]


def _store(state) -> dict:
    with state.lock:
        if not hasattr(state, "creators"):
            state.creators = {"codes": {}, "tokens": {}, "refresh": {}}
        return state.creators


def _new(kind: str, username: str) -> str:
    return f"{kind}{next(_counter):06d}x{growth.seed(username, kind) % 10**8:08d}"


def _path(request: Request) -> str:
    return "/" + "/".join(request.path.split("/")[3:])


# --- Errors -------------------------------------------------------------------------------


def error(mode: str, request: Request) -> Response:
    provider, path = provider_of(request.path), _path(request)
    if path in ("/oauth/access_token", "/v2/oauth/token/", "/token", "/access_token",
                "/refresh_access_token"):  # fmt: skip
        if mode == "429":
            return Response(429, {"error": "rate_limit_exceeded", "error_description": "Slow down"})
        if mode == "500":
            return Response(500, {"error": "internal_error", "error_description": "Oops"})
        return Response(400, {"error": "invalid_grant", "error_description": "Token revoked",
                              "log_id": "202611280000FAKE"})  # fmt: skip
    if provider == "instagram_creator":
        if mode == "429":
            from .instagram import error as graph_error

            return graph_error("429", request)
        if mode == "500":
            return _graph(500, 1, "An unknown error occurred", is_transient=True)
        if mode == "scope":
            return _graph(403, 10, "(#10) Application does not have permission for this action")
        return _graph(400, 190,
                      "Error validating access token: The user has not authorized application.",
                      error_subcode=460)  # fmt: skip
    if provider == "tiktok_creator":
        code = {"429": "rate_limit_exceeded", "500": "internal_error",
                "scope": "scope_not_authorized"}.get(mode, "access_token_invalid")  # fmt: skip
        status = {"429": 429, "500": 500}.get(mode, 401)
        return Response(status, {"data": {}, "error": {"code": code, "message": code,
                                                       "log_id": "202611280000FAKE"}})  # fmt: skip
    return _google_error(mode)


def _google_error(mode: str) -> Response:
    """Google's error envelope (YouTube Data and Analytics answer alike)."""
    if mode == "scope":
        return Response(403, {"error": {
            "code": 403, "message": "Request had insufficient authentication scopes.",
            "errors": [{"message": "Insufficient Permission", "domain": "global",
                        "reason": "insufficientPermissions"}],
            "status": "PERMISSION_DENIED",
        }})  # fmt: skip
    if mode == "429":
        return Response(429, {"error": {
            "code": 429, "message": "Quota exceeded for quota metric 'Queries'.",
            "errors": [{"message": "Rate Limit Exceeded", "domain": "usageLimits",
                        "reason": "rateLimitExceeded"}],
            "status": "RESOURCE_EXHAUSTED",
        }})  # fmt: skip
    if mode == "500":
        return Response(500, {"error": {"code": 500, "message": "Internal error encountered.",
                                        "status": "INTERNAL"}})  # fmt: skip
    return Response(401, {"error": {
        "code": 401,
        "message": "Request had invalid authentication credentials. Expected OAuth 2 access "
                   "token, login cookie or other valid authentication credential.",
        "errors": [{"message": "Invalid Credentials", "domain": "global",
                    "reason": "authError", "location": "Authorization",
                    "locationType": "header"}],
        "status": "UNAUTHENTICATED",
    }})  # fmt: skip


def _graph(status: int, code: int, message: str, **extra) -> Response:
    return Response(status, {"error": {"message": message, "type": "OAuthException", "code": code,
                                       **extra, "fbtrace_id": "AbCdEfGhIjK"}})  # fmt: skip


# --- Handling ---------------------------------------------------------------------------


def handle(request: Request, state, *, empty: bool = False, mode: str = "ok") -> Response:
    store = _store(state)
    path = _path(request)
    if mode == "scope" and path in ("/oauth/access_token", "/v2/oauth/token/", "/token"):
        return _token(request, store, scope_only=True)  # the creator unticked a permission
    if mode in ("429", "500", "expired", "revoked", "scope"):
        response = error(mode, request)
        if mode == "429":
            response.headers.setdefault("Retry-After", "2")
        return response
    if path in AUTHORIZE_PATHS:
        return _authorize_page(request)
    if path == "/_decide":
        return _decide(request, store)
    if path in ("/oauth/access_token", "/v2/oauth/token/", "/token"):
        return _token(request, store)
    if path == "/access_token":  # Instagram: short-lived -> long-lived
        return _ig_exchange(request, store, "ig_exchange_token")
    if path == "/refresh_access_token":
        return _ig_exchange(request, store, "ig_refresh_token")
    if path in ("/v2/oauth/revoke/", "/revoke"):
        token = request.form().get("token", "")
        with state.lock:
            store["tokens"].pop(token, None)
        return Response(200, {} if path == "/revoke" else {"error": {"code": "ok"}})
    user = _user_of(request, store)
    if user is None:
        return error("expired", request)
    username, scopes = user
    if provider_of(request.path) == "instagram_creator":
        return _instagram(request, path, username, scopes, empty)
    if path == "/v2/user/info/":
        return Response(200, {"data": {"user": {
            "open_id": f"open-{growth.seed(username):010d}", "username": username,
            "display_name": username, "follower_count": growth.followers(username, growth.today()),
        }}, "error": {"code": "ok", "message": "", "log_id": "202611280000FAKE"}})  # fmt: skip
    if path == "/v2/video/query/":
        if "video.list" not in scopes:
            return error("scope", request)
        ids = (request.json() or {}).get("filters", {}).get("video_ids", [])[:20]
        videos = [
            {"id": vid, "video_description": caption(int(vid[-2:]) if vid[-2:].isdigit() else 2),
             "view_count": 22010 + int(vid[-3:] or 0), "like_count": 830, "comment_count": 41,
             "share_count": 19}
            for vid in ids if vid.isdigit() and not empty
        ]  # fmt: skip
        ok = {"code": "ok", "message": "", "log_id": "202611280000FAKE"}
        return Response(
            200, {"data": {"videos": videos, "cursor": 0, "has_more": False}, "error": ok}
        )
    if path.startswith("/youtube/v3/") or path == "/v2/reports":
        return _google(request, path, username, scopes, empty)
    return Response(404, {"error": "not found"})


def _google(request: Request, path: str, username: str, scopes: str, empty: bool) -> Response:
    """YouTube Data API v3 (`mine=true`, the owner's `videos.list`) and YouTube Analytics
    API v2 (`reports`), as the channel's owner sees them."""
    from . import youtube

    if path == "/v2/reports":
        if "yt-analytics.readonly" not in scopes:
            return _google_error("scope")
        return _report(request, empty)
    if "youtube.readonly" not in scopes:
        return _google_error("scope")
    if path == "/youtube/v3/videos":
        return youtube._videos(request, empty, owner=True)
    if path != "/youtube/v3/channels" or request.param("mine") != "true":
        return youtube._error(400, "No filter selected.", "missingRequiredParameter")
    parts = request.param("part", "id").split(",")
    item = {"kind": "youtube#channel", "etag": "fake-etag", "id": f"UC{growth.seed(username):022d}"}
    if "snippet" in parts:
        item["snippet"] = {"title": username, "description": "", "customUrl": f"@{username}",
                           "publishedAt": "2019-03-01T08:00:00Z"}  # fmt: skip
    if "statistics" in parts:
        item["statistics"] = {
            "viewCount": "1203344", "hiddenSubscriberCount": False, "videoCount": "212",
            "subscriberCount": str(growth.followers(username, growth.today())),
        }  # fmt: skip
    return Response(200, {"kind": "youtube#channelListResponse", "etag": "fake-etag",
                          "pageInfo": {"totalResults": 1, "resultsPerPage": 5},
                          "items": [item]})  # fmt: skip


ANALYTICS_METRICS = {
    "views", "engagedViews", "likes", "comments", "shares", "estimatedMinutesWatched",
    "averageViewDuration", "averageViewPercentage", "subscribersGained",
}  # fmt: skip


def analytics(video_id: str, day: datetime.date) -> dict[str, int]:
    """A video's lifetime YouTube Analytics numbers on a day (the views as the Data API's,
    less the two days' lag Analytics has)."""
    views = growth.lifetime("views", video_id, day - datetime.timedelta(days=2))
    average = 45 + growth.seed("duration", video_id) % 240  # seconds a view lasted
    return {
        "views": views, "engagedViews": views * 9 // 10,
        "likes": growth.lifetime("likes", video_id, day), "comments": 0,
        "shares": 3 + growth.seed("shares", video_id) % 40,
        "estimatedMinutesWatched": views * average // 60, "averageViewDuration": average,
        "averageViewPercentage": 38, "subscribersGained": 2 + growth.seed("subs", video_id) % 30,
    }  # fmt: skip


AUDIENCE = {
    ("country", "views"): [["MY", 18240], ["SG", 2310], ["ID", 1502], ["BN", 388], ["AU", 120]],
    ("ageGroup", "viewerPercentage"): [
        ["age13-17", 6.1], ["age18-24", 31.4], ["age25-34", 42.7], ["age35-44", 13.2],
        ["age45-54", 4.9], ["age55-64", 1.2], ["age65-", 0.5],
    ],
}  # fmt: skip


def _audience(dimension: str, metrics: list[str], filters: str, empty: bool) -> Response:
    """Views by country, or the share of viewers by age group: the channel's audience."""
    from .youtube import _error

    rows = AUDIENCE.get((dimension, ",".join(metrics)))
    if rows is None or filters:
        return _error(400, "The query is not supported.", "badRequest")
    kind = "FLOAT" if metrics == ["viewerPercentage"] else "INTEGER"
    body = {"kind": "youtubeAnalytics#resultTable", "columnHeaders": [
        {"name": dimension, "columnType": "DIMENSION", "dataType": "STRING"},
        {"name": metrics[0], "columnType": "METRIC", "dataType": kind},
    ]}  # fmt: skip
    if not empty:
        body["rows"] = rows
    return Response(200, body)


def _report(request: Request, empty: bool) -> Response:
    """`GET /v2/reports`: of one video with no dimension, one row of totals, or no `rows`
    at all when there is no data yet (`empty`, or a video id with "new" in it); of the
    channel by country or age group, its audience."""
    from .youtube import _error

    metrics = [m for m in request.param("metrics").split(",") if m]
    filters = request.param("filters")
    try:
        start = datetime.date.fromisoformat(request.param("startDate"))
        end = datetime.date.fromisoformat(request.param("endDate"))
    except ValueError:
        return _error(400, "Required parameter: startDate", "required")
    if request.param("ids") != "channel==MINE" or not metrics or start > end:
        return _error(400, "The query is not supported.", "badRequest")
    dimension = request.param("dimensions")
    if dimension:
        return _audience(dimension, metrics, filters, empty)
    if set(metrics) - ANALYTICS_METRICS:
        return _error(400, "The query is not supported.", "badRequest")
    if not filters.startswith("video==") or "," in filters:
        return _error(400, "The query is not supported.", "badRequest")
    video_id = filters.removeprefix("video==")
    headers = [{"name": m, "columnType": "METRIC", "dataType": "INTEGER"} for m in metrics]
    body = {"kind": "youtubeAnalytics#resultTable", "columnHeaders": headers}
    if not empty and "new" not in video_id:
        numbers = analytics(video_id, min(end, growth.today()))
        body["rows"] = [[numbers[m] for m in metrics]]
    return Response(200, body)


def _authorize_page(request: Request) -> Response:
    keep = {k: request.param(k) for k in ("redirect_uri", "state", "code_challenge", "scope")}
    hidden = "".join(
        f'<input type="hidden" name="{k}" value="{html.escape(v)}">' for k, v in keep.items()
    )
    host = request.path.split("/")[2]
    action = f"/creator/{host}/_decide"
    # The demo creator's handle there (Nurul is "nuruleats" on YouTube).
    default = "nuruleats" if "google" in host else "nurul.eats"
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fake sign-in</title></head>
<body style="font-family:sans-serif;max-width:24rem;margin:2rem auto;padding:0 1rem">
<main><h1>Fake {html.escape(host)}</h1>
<p>This is the offline fake of the platform's sign-in page.
It asks for: {html.escape(keep["scope"])}</p>
<form method="get" action="{action}">{hidden}
<label for="username">Sign in as</label>
<input id="username" name="username" value="{html.escape(default)}"
 style="display:block;width:100%;margin:.5rem 0">
<button name="decision" value="allow" type="submit">Allow</button>
<button name="decision" value="deny" type="submit">Deny</button>
</form></main></body></html>"""
    return Response(200, raw=page.encode())


def _decide(request: Request, store: dict) -> Response:
    redirect_uri, state = request.param("redirect_uri"), request.param("state")
    if request.param("decision") != "allow":
        query = {"error": "access_denied", "error_reason": "user_denied",
                 "error_description": "The user denied your request.", "state": state}  # fmt: skip
    else:
        username = request.param("username", "nurul.eats").strip() or "nurul.eats"
        code = _new("code", username)
        store["codes"][code] = {
            "username": "someone.else" if "wrong" in username else username,
            "redirect_uri": redirect_uri, "challenge": request.param("code_challenge"),
        }  # fmt: skip
        query = {"code": code, "state": state}
    sep = "&" if "?" in redirect_uri else "?"
    # Instagram appends "#_" to the redirect (a fragment: browsers do not send it back).
    tail = "#_" if "instagram" in request.path and "code" in query else ""
    location = f"{redirect_uri}{sep}{urlencode(query)}{tail}"
    return Response(302, raw=b"", headers={"Location": location})


def _invalid_grant(description: str) -> Response:
    return Response(400, {"error": "invalid_grant", "error_description": description,
                          "log_id": "202611280000FAKE"})  # fmt: skip


def _token(request: Request, store: dict, scope_only: bool = False) -> Response:
    form = request.form()
    provider = provider_of(request.path)
    if not form.get("client_secret"):
        return Response(401, {"error": "invalid_client", "error_description": "No secret"})
    if form.get("grant_type") == "refresh_token":
        username = store["refresh"].get(form.get("refresh_token", ""))
        if username is None:
            return _invalid_grant("Refresh token is invalid or expired.")
        if provider == "tiktok_creator":  # rotates: the old one stops working
            store["refresh"].pop(form["refresh_token"], None)
        return Response(200, _token_body(provider, username, store, refresh=form["refresh_token"]))
    code = store["codes"].pop(form.get("code", ""), None)
    if code is None:
        return _invalid_grant("Authorization code is invalid or already used.")
    if code["redirect_uri"] != form.get("redirect_uri"):
        return _invalid_grant("redirect_uri does not match.")
    if code["challenge"]:
        verifier = form.get("code_verifier", "")
        digest = hashlib.sha256(verifier.encode()).digest()
        if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != code["challenge"]:
            return _invalid_grant("code_verifier does not match the code_challenge.")
    return Response(200, _token_body(provider, code["username"], store, basic=scope_only))


def _token_body(provider: str, username: str, store: dict, *, refresh: str = "",
                basic: bool = False) -> dict:  # fmt: skip
    access = _new("act", username)
    if provider == "instagram_creator":
        scopes = "instagram_business_basic" if basic else IG_SCOPES
        store["tokens"][access] = (username, scopes)
        return {"data": [{"access_token": access, "user_id": f"{growth.seed(username):017d}",
                          "permissions": scopes}]}  # fmt: skip
    if provider == "tiktok_creator":
        scopes = "user.info.basic" if basic else TIKTOK_SCOPES
        store["tokens"][access] = (username, scopes)
        new_refresh = _new("rft", username)
        store["refresh"][new_refresh] = username
        open_id = f"open-{growth.seed(username):010d}"
        return {"access_token": access, "expires_in": 7200, "open_id": open_id,
                "refresh_expires_in": 15552000, "refresh_token": new_refresh, "scope": scopes,
                "token_type": "Bearer"}  # fmt: skip
    scopes = GOOGLE_SCOPES.split()[0] if basic else GOOGLE_SCOPES
    store["tokens"][access] = (username, scopes)
    body = {"access_token": access, "expires_in": 3599, "scope": scopes,
            "token_type": "Bearer"}  # fmt: skip
    if not refresh:
        new_refresh = _new("1//rft", username)
        store["refresh"][new_refresh] = username
        body["refresh_token"] = new_refresh
    return body


def _ig_exchange(request: Request, store: dict, grant: str) -> Response:
    if request.param("grant_type") != grant:
        return _graph(400, 100, "Unsupported grant_type")
    if grant == "ig_exchange_token" and not request.param("client_secret"):
        return _graph(400, 101, "Missing client_secret")
    user = store["tokens"].get(request.param("access_token"))
    if user is None:
        return _graph(400, 190, "Invalid OAuth access token - Cannot parse access token")
    long = _new("IGAAlong", user[0])
    store["tokens"][long] = user
    return Response(200, {"access_token": long, "token_type": "bearer", "expires_in": 5183944})


def _user_of(request: Request, store: dict):
    auth = request.headers.get("authorization", "")
    token = auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else ""
    return store["tokens"].get(token or request.param("access_token"))


def _instagram(request: Request, path: str, username: str, scopes: str, empty: bool) -> Response:
    user_id = f"{growth.seed(username):017d}"
    today = growth.today()
    if path in ("/v26.0/me", f"/v26.0/{user_id}"):
        return Response(200, {"user_id": user_id, "username": username, "id": user_id,
                              "followers_count": growth.followers(username, today),
                              "media_count": MEDIA})  # fmt: skip
    if path == f"/v26.0/{user_id}/media":
        limit, after = int(request.param("limit", "25")), request.param("after")
        start = int(after.removeprefix("cur")) if after else 0
        data = [
            {"id": f"179{n:014d}", "caption": caption(n), "media_type": "IMAGE",
             "media_product_type": "FEED",
             "permalink": f"https://www.instagram.com/p/{shortcode(username, n)}/",
             "timestamp": f"{today.isoformat()}T10:00:00+0000", "like_count": 40 + n,
             "comments_count": 3 + n % 5}
            for n in range(start, min(start + limit, 0 if empty else MEDIA))
        ]  # fmt: skip
        paging = {"cursors": {"before": f"cur{start}", "after": f"cur{start + limit}"}}
        if start + limit < MEDIA and not empty:
            paging["next"] = (
                f"https://graph.instagram.com/v26.0/{user_id}/media?after=cur{start + limit}"
            )
        return Response(200, {"data": data, "paging": paging})
    if path == f"/v26.0/{user_id}/insights":
        if "instagram_business_manage_insights" not in scopes:
            return _graph(403, 10, "(#10) Application does not have permission for this action")
        breakdown = request.param("breakdown")
        buckets = (
            {"MY": 3100, "SG": 620, "ID": 410, "BN": 90}
            if breakdown == "country"
            else {"13-17": 120, "18-24": 1500, "25-34": 2100, "35-44": 400, "45-54": 100}
        )
        results = [{"dimension_values": [k], "value": v} for k, v in buckets.items()]
        return Response(200, {"data": [{
            "name": "follower_demographics", "period": "lifetime", "title": "Follower demographics",
            "description": "The demographic characteristics of followers.",
            "total_value": {"breakdowns": [{"dimension_keys": [breakdown], "results": results}]},
            "id": f"{user_id}/insights/follower_demographics/lifetime",
        }]})  # fmt: skip
    found = re.fullmatch(r"/v26\.0/179(\d{14})/insights", path)
    if found:
        if "instagram_business_manage_insights" not in scopes:
            return _graph(403, 10, "(#10) Application does not have permission for this action")
        n = int(found.group(1))
        if n == MEDIA - 1:
            return _graph(400, 10, "Not enough viewers for the media to show insights")
        post = f"{username}{n}"
        values = {
            "reach": growth.lifetime("views", post, today) * 7 // 10 + 100,
            "views": growth.lifetime("views", post, today) + 300,
            "saved": 5 + n % 11, "shares": 2 + n % 7, "likes": 40 + n, "comments": 3 + n % 5,
        }  # fmt: skip
        wanted = request.param("metric").split(",")
        return Response(200, {"data": [
            {"name": name, "period": "lifetime", "values": [{"value": values[name]}],
             "title": name.title(), "description": "",
             "id": f"179{n:014d}/insights/{name}/lifetime"}
            for name in wanted if name in values
        ]})  # fmt: skip
    return _graph(400, 100, "Unsupported get request.")


def dump(value) -> str:
    return json.dumps(value)
