"""Plausible Stats API v2 (plausible.io or self-hosted): visits and visitors per day by
utm_campaign, and by utm_content for the partnerships' tracked links.

`POST {base}/api/v2/query` with `Authorization: Bearer <key>`. Metrics and dimensions
come back positionally, in the order asked. Errors are `{"error": "..."}` with real
statuses: 401 bad key or a site the key cannot read, 402 no Stats API in the plan,
429 over 600 requests an hour.
"""

from collections.abc import Iterator

import httpx

from common.crypto import Secret
from metrics.models import Metric
from metrics.services import Row

from .. import http
from ..errors import Malformed, ProviderError, RateLimited, Transient, Unauthorized
from . import TrafficTargets, TrafficTotals, Window, number, parse_day

SOURCE = "plausible"
BASE_URL = "https://plausible.io"
PAGE = 1000
# Asked for in this order, so they come back in this order.
METRICS = (("visits", Metric.SESSIONS), ("visitors", Metric.USERS))


def check(response: httpx.Response) -> dict:
    status = response.status_code
    if status == 200:
        body = http.json_of(response)
        if not isinstance(body, dict) or not isinstance(body.get("results"), list):
            raise Malformed("Plausible's answer has no list of results.")
        return body
    if status >= 500:
        raise Transient(f"Plausible had a server error (HTTP {status}).")
    if status == 429:
        raise RateLimited(
            "Plausible's limit of requests per hour was reached.",
            retry_after=http.retry_after(response),
        )
    if status == 401:
        raise Unauthorized("Plausible refused the API key, or the key cannot read this site.")
    if status == 402:
        raise Unauthorized(
            "Plausible's plan for this site has no Stats API, or the site is locked."
        )
    raise ProviderError(f"Plausible refused the query (HTTP {status}).")


def _query(client, base_url: str, key: Secret, body: dict) -> list[list]:
    """Every page of one query: [dimensions..., metrics...] per result."""
    url = f"{(base_url or BASE_URL).rstrip('/')}/api/v2/query"
    found, offset = [], 0
    while True:
        page = {
            **body,
            "include": {"total_rows": True},
            "pagination": {"limit": PAGE, "offset": offset},
        }
        response = http.send(
            client, "POST", url, json=page, headers={"Authorization": f"Bearer {key.reveal()}"}
        )
        answer = check(response)
        for result in answer["results"]:
            if not isinstance(result, dict):
                raise Malformed("A Plausible result is not an object.")
            dims, values = result.get("dimensions"), result.get("metrics")
            if not isinstance(dims, list) or len(dims) != len(body["dimensions"]):
                raise Malformed("A Plausible result has the wrong dimensions.")
            if not isinstance(values, list) or len(values) != len(body["metrics"]):
                raise Malformed("A Plausible result has the wrong metrics.")
            found.append([*dims, *values])
        total = (answer.get("meta") or {}).get("total_rows")
        offset += PAGE
        if len(answer["results"]) < PAGE or (isinstance(total, int) and offset >= total):
            return found


def traffic(
    client: httpx.Client, *, base_url: str, key: Secret, site_id: str, window: Window,
    targets: TrafficTargets,
) -> Iterator[list[Row]]:  # fmt: skip
    """Two answers, yielded one at a time so each is written before the next is asked:
    per campaign and day, then per campaign, utm_content and day (the partnerships)."""
    if not targets.campaigns:
        return
    base = {
        "site_id": site_id,
        "metrics": [name for name, _metric in METRICS],
        "date_range": [window.since.isoformat(), window.until.isoformat()],
        "filters": [
            ["is", "visit:utm_campaign", sorted(targets.campaigns), {"case_sensitive": False}]
        ],
    }
    per_campaign = TrafficTotals(SOURCE)
    for day, slug, *values in _query(
        client, base_url, key, {**base, "dimensions": ["time:day", "visit:utm_campaign"]}
    ):
        campaign = targets.campaigns.get(str(slug).lower())
        if campaign is None:
            continue
        for (name, metric), value in zip(METRICS, values, strict=True):
            per_campaign.add("campaign", campaign, metric, parse_day(day), number(value, name))
    yield per_campaign.rows()
    if targets.partnerships:
        per_partnership = TrafficTotals(SOURCE)
        dimensions = ["time:day", "visit:utm_campaign", "visit:utm_content"]
        for day, slug, content, *values in _query(
            client, base_url, key, {**base, "dimensions": dimensions}
        ):
            partnership = targets.partnerships.get((str(slug).lower(), str(content).lower()))
            if partnership is None:
                continue
            for (name, metric), value in zip(METRICS, values, strict=True):
                per_partnership.add(
                    "partnership", partnership, metric, parse_day(day), number(value, name)
                )
        yield per_partnership.rows()
