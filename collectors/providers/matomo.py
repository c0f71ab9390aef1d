"""Matomo Reporting API (self-hosted): visits, visitors and converted visits per day by
campaign (`Referrers.getCampaigns`) and, with the MarketingCampaignsReporting plugin,
by utm_content per campaign (`MarketingCampaignsReporting.getContent` with a
`campaignName==…` segment) for the partnerships' tracked links.

`POST {base}/index.php`, form-encoded, `token_auth` in the body (secure-only tokens
refuse GET, and a body is never logged). Matomo can answer an error with HTTP 200 and
`{"result": "error", "message": …}`: the body decides, always. With `period=day` and a
date range the answer is keyed by date and a day without data is `[]`; campaign names
come back lowercased; `nb_uniq_visitors` can be missing.
"""

from collections.abc import Iterator

import httpx

from common.crypto import Secret
from metrics.models import Metric
from metrics.services import Row

from .. import http
from ..errors import Malformed, ProviderError, RateLimited, Transient, Unauthorized
from . import TrafficTargets, TrafficTotals, Window, number, parse_day

SOURCE = "matomo"
METRICS = (
    ("nb_visits", Metric.SESSIONS),
    ("nb_uniq_visitors", Metric.USERS),
    ("nb_visits_converted", Metric.CONVERSIONS),
)
ACCESS_WORDS = ("token_auth", "access", "authenticat", "login")


def endpoint(base_url: str) -> str:
    base = base_url.rstrip("/")
    return base if base.endswith(".php") else f"{base}/index.php"


def check(response: httpx.Response):
    status = response.status_code
    if status >= 500:
        raise Transient(f"Matomo had a server error (HTTP {status}).")
    if status == 429:
        raise RateLimited("Matomo asked us to slow down.", retry_after=http.retry_after(response))
    if status == 401:
        raise Unauthorized("Matomo refused the token, or it has no view access to this site.")
    body = http.json_of(response) if status == 200 else None
    if isinstance(body, dict) and body.get("result") == "error":
        message = str(body.get("message", ""))[:200]
        if any(word in message.lower() for word in ACCESS_WORDS):
            raise Unauthorized(f"Matomo refused the token: {message}")
        raise ProviderError(f"Matomo answered with an error: {message}")
    if status != 200:
        raise ProviderError(f"Matomo refused the request (HTTP {status}).")
    if not isinstance(body, dict):
        raise Malformed("Matomo's answer is not a report per day.")
    return body


def _report(client, base_url: str, token: Secret, site_id: str, window: Window, method: str,
            **extra) -> Iterator[tuple]:  # fmt: skip
    """(day, row) for every row of every day of one report."""
    form = {
        "module": "API",
        "method": method,
        "idSite": site_id,
        "period": "day",
        "date": f"{window.since.isoformat()},{window.until.isoformat()}",
        "format": "JSON",
        "filter_limit": "-1",
        **extra,
        "token_auth": token.reveal(),
    }
    body = check(http.send(client, "POST", endpoint(base_url), data=form))
    for day, rows in body.items():
        day = parse_day(day)
        if isinstance(rows, dict):  # a single row comes as an object (VisitsSummary style)
            rows = [rows]
        if not isinstance(rows, list):
            raise Malformed("A day of Matomo's report is not a list of rows.")
        for row in rows:
            if not isinstance(row, dict) or "label" not in row:
                raise Malformed("A row of Matomo's report has no label.")
            yield day, row


def _add(totals: TrafficTotals, subject: str, pk: int, day, row: dict) -> None:
    for name, metric in METRICS:
        if name in row:  # nb_uniq_visitors is left out in some periods
            totals.add(subject, pk, metric, day, number(row[name], name))


def traffic(
    client: httpx.Client, *, base_url: str, key: Secret, site_id: str, window: Window,
    targets: TrafficTargets,
) -> Iterator[list[Row]]:  # fmt: skip
    """Per campaign and day; then per campaign, utm_content and day (one answer per
    campaign with tracked links)."""
    if not targets.campaigns:
        return
    per_campaign = TrafficTotals(SOURCE)
    for day, row in _report(client, base_url, key, site_id, window, "Referrers.getCampaigns"):
        campaign = targets.campaigns.get(str(row["label"]).lower())
        if campaign is not None:
            _add(per_campaign, "campaign", campaign, day, row)
    yield per_campaign.rows()
    slugs = sorted({slug for slug, _content in targets.partnerships})
    for slug in slugs:
        per_partnership = TrafficTotals(SOURCE)
        try:
            rows = list(
                _report(client, base_url, key, site_id, window,
                        "MarketingCampaignsReporting.getContent", segment=f"campaignName=={slug}")
            )  # fmt: skip
        except ProviderError as exc:
            if "does not exist" in str(exc):
                raise Malformed(
                    "Matomo has no MarketingCampaignsReporting plugin: no numbers per tracked link."
                ) from None
            raise
        for day, row in rows:
            partnership = targets.partnerships.get((slug, str(row["label"]).lower()))
            if partnership is not None:
                _add(per_partnership, "partnership", partnership, day, row)
        yield per_partnership.rows()
