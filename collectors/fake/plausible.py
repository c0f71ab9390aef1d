"""Plausible Stats API v2: `POST /api/v2/query`.

Answers `{"results": [{"metrics": [...], "dimensions": [...]}], "meta": {...}, "query":
{...}}`, metrics and dimensions in the order asked; `meta.total_rows` only when
`include.total_rows`; pagination by `limit`/`offset`. Campaigns are the values of an
`is` filter on `visit:utm_campaign` (else `spring_collab`); utm_content values come
from `/_fake/contents` (`{"<campaign>": ["<content>", …]}`), else none.
"""

import datetime

from . import growth
from .server import Request, Response

KNOWN_METRICS = {"visitors", "visits", "pageviews", "events", "bounce_rate", "visit_duration"}
TOO_MANY = (
    "Too many API requests. Your API key is limited to 600 requests per hour. "
    "Please contact us to request more capacity."
)


def error(mode: str, request: Request) -> Response:
    if mode == "429":
        return Response(429, {"error": TOO_MANY})
    if mode == "500":
        return Response(500, {"error": "Internal server error"})
    return Response(
        401,
        {
            "error": "Invalid API key or site ID. Please make sure you're using a valid API key "
            "with access to the site you've requested."
        },
    )


def handle(request: Request, state, *, empty: bool = False) -> Response:
    if not request.headers.get("authorization", "").startswith("Bearer "):
        return error("expired", request)
    try:
        query = request.json()
    except ValueError:
        return Response(400, {"error": "Invalid JSON"})
    if not isinstance(query, dict) or not query.get("site_id"):
        return Response(400, {"error": "#/site_id: Required property site_id was not present."})
    metrics = query.get("metrics") or []
    unknown = [m for m in metrics if m not in KNOWN_METRICS]
    if not metrics or unknown:
        return Response(400, {"error": f"#/metrics/0: Invalid metric {unknown[:1]}"})
    dimensions = query.get("dimensions") or []
    since, until = (datetime.date.fromisoformat(d) for d in query["date_range"])
    campaigns = _filter_values(query.get("filters") or [], "visit:utm_campaign") or [
        "spring_collab"
    ]
    rows = [] if empty else _rows(state, dimensions, since, until, campaigns)
    results = [
        {"metrics": [growth.daily(m, day, *key) for m in metrics], "dimensions": dims}
        for day, key, dims in rows
    ]
    page = query.get("pagination") or {}
    limit, offset = int(page.get("limit", 10_000)), int(page.get("offset", 0))
    meta = {"total_rows": len(results)} if (query.get("include") or {}).get("total_rows") else {}
    return Response(
        200, {"results": results[offset : offset + limit], "meta": meta, "query": query}
    )


def _filter_values(filters: list, dimension: str) -> list[str]:
    for item in filters:
        if isinstance(item, list) and len(item) >= 3 and item[0] == "is" and item[1] == dimension:
            return [str(v) for v in item[2]]
    return []


def _rows(state, dimensions: list[str], since, until, campaigns: list[str]):
    rows = []
    day = since
    while day <= until:
        for campaign in campaigns:
            contents = (
                state.contents.get(campaign.lower(), [])
                if "visit:utm_content" in dimensions
                else [""]
            )
            for content in contents:
                values = {
                    "time:day": day.isoformat(),
                    "visit:utm_campaign": campaign.lower(),
                    "visit:utm_content": content,
                    "visit:utm_source": "instagram",
                    "visit:entry_page": "/",
                }
                dims = [values.get(d, "(none)") for d in dimensions]
                rows.append((day, (campaign.lower(), content), dims))
        day += datetime.timedelta(days=1)
    return rows
