"""GA4 Data API v1beta: `POST /v1beta/properties/{id}:runReport` (also with Google's
REST client's `?$alt=json;enum-encoding=int`), and the OAuth token endpoint
`POST /token` a service account's signed JWT is traded at.

Values are strings (`keyEvents` as a decimal, "3.0"); dates `YYYYMMDD`; an empty report
leaves out `rows` and `rowCount`; `limit`/`offset` page, `rowCount` is the total;
`propertyQuota` when asked, with zero-valued integers left out. Campaigns come from an
`inListFilter` (or `stringFilter`) on the campaign dimension; utm_content values from
`/_fake/contents`. Errors use Google's envelope (`code`, `message`, `status`).
"""

import base64
import datetime
import json

from . import growth
from .server import Request, Response

TOKEN_PREFIX = "ya29.fake-"  # noqa: S105 - the fake's own made-up tokens


def _error(code: int, message: str, status: str) -> Response:
    return Response(code, {"error": {"code": code, "message": message, "status": status}})


def error(mode: str, request: Request) -> Response:
    if mode == "429":
        return _error(
            429, "Exhausted property tokens per hour for a property.", "RESOURCE_EXHAUSTED"
        )
    if mode == "quota":
        return _error(
            429, "Exhausted property tokens per day for a property.", "RESOURCE_EXHAUSTED"
        )
    if mode == "500":
        return _error(500, "Internal error encountered.", "INTERNAL")
    if request.path == "/token":
        return Response(
            400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}
        )
    return _error(
        401,
        "Request had invalid authentication credentials. Expected OAuth 2 access token, "
        "login cookie or other valid authentication credential.",
        "UNAUTHENTICATED",
    )


def _token(request: Request) -> Response:
    form = request.form()
    try:
        _header, claims, _signature = form["assertion"].split(".")
        claims = json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))
        assert form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer"
        assert claims["iss"] and claims["aud"] and "analytics" in claims["scope"]
    except (KeyError, ValueError, AssertionError):
        return Response(400, {"error": "invalid_grant", "error_description": "Invalid JWT."})
    token = TOKEN_PREFIX + format(growth.seed(claims["iss"]), "08x")
    return Response(200, {"access_token": token, "expires_in": 3599, "token_type": "Bearer"})


def handle(request: Request, state, *, empty: bool = False) -> Response:
    if request.path == "/token":
        return _token(request)
    if not request.headers.get("authorization", "").startswith(f"Bearer {TOKEN_PREFIX}"):
        return error("expired", request)
    try:
        query = request.json()
        since = datetime.date.fromisoformat(query["dateRanges"][0]["startDate"])
        until = datetime.date.fromisoformat(query["dateRanges"][0]["endDate"])
        dimensions = [d["name"] for d in query["dimensions"]]
        metrics = [m["name"] for m in query["metrics"]]
    except (ValueError, KeyError, IndexError, TypeError):
        return _error(400, "Request contains an invalid argument.", "INVALID_ARGUMENT")
    campaigns = _campaigns(query.get("dimensionFilter") or {}) or ["spring_collab"]
    rows = [] if empty else _rows(state, dimensions, metrics, since, until, campaigns)
    limit, offset = int(query.get("limit", 10000)), int(query.get("offset", 0))
    answer = {
        "dimensionHeaders": [{"name": d} for d in dimensions],
        "metricHeaders": [
            {"name": m, "type": "TYPE_FLOAT" if m == "keyEvents" else "TYPE_INTEGER"}
            for m in metrics
        ],
        "metadata": {"currencyCode": "MYR", "timeZone": "Asia/Kuala_Lumpur"},
        "kind": "analyticsData#runReport",
    }
    if rows:
        answer["rows"] = rows[offset : offset + limit]
        answer["rowCount"] = len(rows)
    if query.get("returnPropertyQuota"):
        answer["propertyQuota"] = {
            "tokensPerDay": {"consumed": 12, "remaining": 199988},
            "tokensPerHour": {"consumed": 12, "remaining": 39988},
            "concurrentRequests": {"remaining": 10},
            "serverErrorsPerProjectPerHour": {"remaining": 10},
            "potentiallyThresholdedRequestsPerHour": {"remaining": 120},
            "tokensPerProjectPerHour": {"consumed": 12, "remaining": 13988},
        }
    return Response(200, answer)


def _campaigns(dimension_filter: dict) -> list[str]:
    found = dimension_filter.get("filter") or {}
    if "inListFilter" in found:
        return [str(v) for v in found["inListFilter"].get("values", [])]
    if "stringFilter" in found:
        return [str(found["stringFilter"].get("value", ""))]
    return []


def _rows(state, dimensions, metrics, since, until, campaigns) -> list[dict]:
    rows = []
    day = since
    while day <= until:
        for campaign in campaigns:
            contents = [""]
            if "sessionManualAdContent" in dimensions:
                contents = state.contents.get(campaign.lower(), [])
            for content in contents:
                values = {
                    "date": day.strftime("%Y%m%d"),
                    "sessionManualCampaignName": campaign.lower(),
                    "sessionCampaignName": campaign.lower(),
                    "sessionManualAdContent": content,
                    "sessionSource": "instagram",
                    "landingPage": "/",
                }
                metric_values = []
                for metric in metrics:
                    count = growth.daily(metric, day, campaign, content)
                    if metric == "keyEvents":
                        metric_values.append({"value": f"{count // 10}.0"})
                    else:
                        metric_values.append({"value": str(count)})
                rows.append({
                    "dimensionValues": [{"value": values.get(d, "(not set)")} for d in dimensions],
                    "metricValues": metric_values,
                })  # fmt: skip
        day += datetime.timedelta(days=1)
    return rows
