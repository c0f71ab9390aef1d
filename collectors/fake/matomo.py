"""Matomo Reporting API: `POST /index.php` form-encoded (`module=API&method=…&token_auth=…`).

Kept quirks: an error can come as HTTP 200 with `{"result": "error", "message": …}`
(unknown method, bad date); a bad or missing token is HTTP 401 (Matomo 5); with
`period=day` and a date range the answer is keyed by date and a day without data is
`[]`; campaign names are lowercased; `filter_limit` (default 100, -1 all) and
`filter_offset` page the rows of each day.
"""

import datetime

from . import growth
from .server import Request, Response

BAD_DATE = (
    "Date format must be: YYYY-MM-DD, or 'today' or 'yesterday' or any keyword supported by "
    "the strtotime function (see http://php.net/strtotime for more information): "
)
NO_ACCESS = (
    "You can't access this resource as it requires 'view' access for the website id = {site}."
)


def error(mode: str, request: Request) -> Response:
    site = request.form().get("idSite", "1")
    if mode == "429":
        return Response(429, {"result": "error", "message": "Too many requests."})
    if mode == "500":
        return Response(500, raw=b"<html><body><h1>Internal Server Error</h1></body></html>")
    if mode == "error200":
        return Response(
            200,
            {"result": "error", "message": "Mysql error: table archive_numeric_2026_11 is locked"},
        )
    return Response(401, {"result": "error", "message": NO_ACCESS.format(site=site)})


def handle(request: Request, state, *, empty: bool = False) -> Response:
    form = {**{k: v[-1] for k, v in request.query.items()}, **request.form()}
    if request.method != "POST" and "token_auth" in form:
        return Response(
            401, {"result": "error", "message": "Secure-only tokens must be sent with POST."}
        )
    if not form.get("token_auth"):
        return error("expired", request)
    if form.get("module") != "API" or form.get("format", "xml").lower() != "json":
        return Response(200, {"result": "error", "message": "Only module=API&format=JSON here."})
    method = form.get("method", "")
    if method not in (
        "Referrers.getCampaigns",
        "VisitsSummary.get",
        "MarketingCampaignsReporting.getContent",
    ):
        module = method.split(".")[0]
        message = (
            f"The method '{method}' does not exist or is not available in the module '{module}'."
        )
        return Response(200, {"result": "error", "message": message})
    try:
        since, until = (datetime.date.fromisoformat(d) for d in form.get("date", "").split(","))
    except ValueError:
        message = BAD_DATE + form.get("date", "")
        return Response(200, {"result": "error", "message": message})
    if form.get("period") != "day":
        return Response(200, {"result": "error", "message": "This fake answers period=day only."})
    limit, offset = int(form.get("filter_limit", 100)), int(form.get("filter_offset", 0))
    answer = {}
    day = since
    while day <= until:
        rows = [] if empty else _rows(state, method, day, form.get("segment", ""))
        answer[day.isoformat()] = rows[offset:] if limit == -1 else rows[offset : offset + limit]
        day += datetime.timedelta(days=1)
    return Response(200, answer)


def _rows(state, method: str, day: datetime.date, segment: str) -> list[dict]:
    """getCampaigns: one row per campaign. getContent (MarketingCampaignsReporting) with
    `segment=campaignName==X`: one row per utm_content of campaign X."""
    campaigns = sorted(state.contents) or ["spring_collab"]
    if method.endswith("getContent"):
        wanted = segment.removeprefix("campaignName==").lower() if segment else None
        campaigns = [c for c in campaigns if wanted is None or c.lower() == wanted]
    rows = []
    for campaign in campaigns:
        labels = state.contents.get(campaign, []) if method.endswith("getContent") else [""]
        for content in labels:
            label = content or campaign
            visits = growth.daily("visits", day, campaign, content)
            rows.append({
                "label": label.lower(),
                "nb_uniq_visitors": growth.daily("visitors", day, campaign, content) // 2 + 1,
                "nb_visits": visits,
                "nb_actions": visits * 3,
                "nb_users": 0,
                "max_actions": 12,
                "sum_visit_length": visits * 95,
                "bounce_count": visits // 3,
                "nb_visits_converted": visits // 10,
                "nb_conversions": visits // 9,
                "revenue": visits // 2,
                "idsubdatatable": 3,
                "segment": f"referrerType==campaign;referrerName=={campaign}"
                if not content
                else f"campaignContent=={content}",
            })  # fmt: skip
    return rows
