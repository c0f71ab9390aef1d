"""One way to call a provider: httpx with explicit timeouts, errors turned into types.

Credentials go in headers or form bodies, never in URLs: httpx logs request URLs, and
exceptions print them.
"""

import json
import logging
from typing import Any

import httpx
from django.conf import settings

from .errors import Malformed, Transient

log = logging.getLogger(__name__)


def client() -> httpx.Client:
    timeout = settings.COLLECTORS_HTTP_TIMEOUT
    return httpx.Client(
        timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
        follow_redirects=False,
        headers={"User-Agent": "partnerships-collector/1"},
    )


def send(http: httpx.Client, method: str, url: str, **kwargs) -> httpx.Response:
    """The response, whatever its status; a timeout or network failure is Transient."""
    try:
        return http.request(method, url, **kwargs)
    except httpx.TimeoutException:
        raise Transient("The provider did not answer in time.") from None
    except httpx.HTTPError as exc:
        raise Transient(f"Could not reach the provider ({type(exc).__name__}).") from None


def json_of(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
        raise Malformed(
            f"The provider answered something that is not JSON (HTTP {response.status_code})."
        ) from None


def retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None  # an HTTP date: rare from these providers; back off instead
