"""Google Analytics 4 Data API (v1beta) over plain HTTP (REST, not the gRPC client):
sessions, active users and key events per day by utm_campaign
(`sessionManualCampaignName`, which unlike `sessionCampaignName` holds no Google Ads
campaigns) and by utm_content (`sessionManualAdContent`).

The credential is a service account's JSON key (the account added to the property as a
viewer). Each pull signs a JWT with it (RS256) and trades it for an access token at
Google's token endpoint (`expires_in` is read, never assumed); the token goes in an
`Authorization: Bearer` header. Values are strings and may be decimals (`keyEvents`
"7.0"); an empty report leaves out `rows` and `rowCount`; paging by `limit`/`offset`
up to `rowCount`. Quota: `RESOURCE_EXHAUSTED` per hour waits for the next hour, per day
pauses the connection until midnight Pacific time.
"""

import base64
import datetime
import json
import time
from collections.abc import Iterator

import httpx
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from common.crypto import Secret
from metrics.models import Metric
from metrics.services import Row

from .. import http
from ..errors import Malformed, ProviderError, QuotaExceeded, RateLimited, Transient, Unauthorized
from . import TrafficTargets, TrafficTotals, Window, number, parse_day
from .youtube import quota_resets_at

SOURCE = "ga4"
API_URL = "https://analyticsdata.googleapis.com"
TOKEN_URL = "https://oauth2.googleapis.com/token"  # noqa: S105 - a URL, not a secret
SCOPE = "https://www.googleapis.com/auth/analytics.readonly"
PAGE = 10_000
CAMPAIGN = "sessionManualCampaignName"
CONTENT = "sessionManualAdContent"
METRICS = (("sessions", Metric.SESSIONS), ("activeUsers", Metric.USERS),
           ("keyEvents", Metric.CONVERSIONS))  # fmt: skip


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@sensitive_variables("account")
def _service_account(key: Secret) -> dict:
    try:
        account = json.loads(key.reveal())
    except ValueError:
        raise Unauthorized("The GA4 credential is not a service account's JSON key.") from None
    if not isinstance(account, dict) or not all(
        isinstance(account.get(k), str) for k in ("client_email", "private_key")
    ):
        raise Unauthorized("The GA4 credential is not a service account's JSON key.")
    return account


@sensitive_variables("account", "private_key")
def _assertion(account: dict, audience: str) -> str:
    now = int(time.time())
    header = {"alg": "RS256", "typ": "JWT", "kid": account.get("private_key_id", "")}
    claims = {"iss": account["client_email"], "scope": SCOPE, "aud": audience,
              "iat": now, "exp": now + 3600}  # fmt: skip
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    try:
        private_key = serialization.load_pem_private_key(account["private_key"].encode(), None)
        signature = private_key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    except (ValueError, TypeError):
        raise Unauthorized("The GA4 service account's private key cannot be read.") from None
    return f"{signing_input}.{_b64(signature)}"


def access_token(client: httpx.Client, *, base_url: str, key: Secret) -> Secret:
    """A fresh access token for the service account (a self-hosted base URL, as the
    fake's, also serves the token endpoint at `/token`)."""
    url = f"{base_url.rstrip('/')}/token" if base_url else TOKEN_URL
    form = {
        "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
        "assertion": _assertion(_service_account(key), url if base_url else TOKEN_URL),
    }
    response = http.send(client, "POST", url, data=form)
    if response.status_code >= 500:
        raise Transient(f"Google's token service had a server error (HTTP {response.status_code}).")
    body = http.json_of(response)
    if response.status_code != 200 or not isinstance(body, dict) or "access_token" not in body:
        raise Unauthorized("Google refused the service account (key revoked or deleted).")
    return Secret(str(body["access_token"]))


def check(response: httpx.Response) -> dict:
    status = response.status_code
    if status >= 500:
        raise Transient(f"GA4 had a server error (HTTP {status}).")
    try:
        body = response.json()
    except ValueError:
        raise Malformed("GA4 answered something that is not JSON.") from None
    error = body.get("error") if isinstance(body, dict) else None
    if status == 200 and error is None:
        if not isinstance(body, dict):
            raise Malformed("GA4's answer is not a report.")
        return body
    state = error.get("status", "") if isinstance(error, dict) else ""
    message = str(error.get("message", "")) if isinstance(error, dict) else ""
    if status == 429 or state == "RESOURCE_EXHAUSTED":
        if "per day" in message.lower():
            raise QuotaExceeded("The GA4 property's tokens for today are used up.",
                                until=quota_resets_at())  # fmt: skip
        now = timezone.now()
        next_hour = now.replace(minute=0, second=0, microsecond=0) + datetime.timedelta(hours=1)
        raise RateLimited("The GA4 property's tokens for this hour are used up.",
                          retry_after=(next_hour - now).total_seconds())  # fmt: skip
    if status in (401, 403) or state in ("UNAUTHENTICATED", "PERMISSION_DENIED"):
        raise Unauthorized("GA4 refused the service account (not added to this property?).")
    raise ProviderError(f"GA4 refused the report request (HTTP {status}).")


def _report(client, base_url: str, token: Secret, property_id: str, window: Window,
            dimensions: list[str], campaigns: list[str]) -> Iterator[list]:  # fmt: skip
    url = f"{(base_url or API_URL).rstrip('/')}/v1beta/properties/{property_id}:runReport"
    days = {"startDate": window.since.isoformat(), "endDate": window.until.isoformat()}
    body = {
        "dateRanges": [days],
        "dimensions": [{"name": name} for name in dimensions],
        "metrics": [{"name": name} for name, _metric in METRICS],
        "dimensionFilter": {"filter": {"fieldName": CAMPAIGN, "inListFilter": {
            "values": campaigns, "caseSensitive": False}}},
        "limit": str(PAGE),
        "returnPropertyQuota": True,
    }  # fmt: skip
    offset = 0
    while True:
        response = http.send(
            client, "POST", url, json={**body, "offset": str(offset)},
            headers={"Authorization": f"Bearer {token.reveal()}"},
        )  # fmt: skip
        answer = check(response)
        rows = answer.get("rows", [])  # left out when the report is empty
        if not isinstance(rows, list):
            raise Malformed("GA4's rows are not a list.")
        for row in rows:
            dims = [
                d.get("value", "") for d in row.get("dimensionValues", []) if isinstance(d, dict)
            ]
            values = [
                m.get("value") or "0" for m in row.get("metricValues", []) if isinstance(m, dict)
            ]
            if len(dims) != len(dimensions) or len(values) != len(METRICS):
                raise Malformed("A GA4 row does not have the columns asked for.")
            yield [*dims, *values]
        total = answer.get("rowCount", 0)
        offset += PAGE
        if not rows or not isinstance(total, int) or offset >= total:
            return


def traffic(
    client: httpx.Client, *, base_url: str, key: Secret, site_id: str, window: Window,
    targets: TrafficTargets,
) -> Iterator[list[Row]]:  # fmt: skip
    if not targets.campaigns:
        return
    token = access_token(client, base_url=base_url, key=key)
    campaigns = sorted(targets.campaigns)
    per_campaign = TrafficTotals(SOURCE)
    for day, slug, *values in _report(client, base_url, token, site_id, window,
                                       ["date", CAMPAIGN], campaigns):  # fmt: skip
        campaign = targets.campaigns.get(slug.lower())
        if campaign is not None:
            for (name, metric), value in zip(METRICS, values, strict=True):
                per_campaign.add("campaign", campaign, metric, parse_day(day, "%Y%m%d"),
                                 number(value, name))  # fmt: skip
    yield per_campaign.rows()
    if targets.partnerships:
        per_partnership = TrafficTotals(SOURCE)
        for day, slug, content, *values in _report(
            client, base_url, token, site_id, window, ["date", CAMPAIGN, CONTENT], campaigns
        ):
            partnership = targets.partnerships.get((slug.lower(), content.lower()))
            if partnership is not None:
                for (name, metric), value in zip(METRICS, values, strict=True):
                    per_partnership.add("partnership", partnership, metric,
                                        parse_day(day, "%Y%m%d"), number(value, name))  # fmt: skip
        yield per_partnership.rows()
