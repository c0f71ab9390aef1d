"""Creator-connection tests: the fake provider server answers every OAuth and insights
endpoint (CREATORS_FAKE_URL), and each provider's app is "registered"."""

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.urls import reverse

from tests.collectors.fake_fixtures import Fake, _fake_server, fake_providers  # noqa: F401
from tests.factories import ChannelFactory


@pytest.fixture(autouse=True)
def _creator_settings(settings, request):
    import uuid

    settings.COLLECTORS_RATE_LIMITS = {p: (1000.0, 1000) for p in settings.COLLECTORS_PROVIDERS}
    settings.COLLECTORS_RATE_LIMIT_PREFIX = f"test-bucket:{uuid.uuid4().hex}"
    settings.COLLECTORS_HTTP_TIMEOUT = 5.0
    settings.CREATORS_FAKE_URL = request.getfixturevalue("fake_providers").url
    settings.SITE_URL = "http://testserver"
    for name in ("INSTAGRAM_CLIENT_ID", "TIKTOK_CLIENT_KEY", "GOOGLE_CLIENT_ID"):
        setattr(settings, f"CREATORS_{name}", f"app-{name.lower()}")
    for name in ("INSTAGRAM", "TIKTOK", "GOOGLE"):
        setattr(settings, f"CREATORS_{name}_CLIENT_SECRET", f"app-secret-{name.lower()}-0000")


@pytest.fixture
def ig_channel(influencer_user, marketer):
    return ChannelFactory(
        platform="instagram", handle="demo.creator",
        influencer__user=influencer_user, influencer__owner=marketer,
    )  # fmt: skip


def start(client, channel) -> dict[str, str]:
    """Click Connect: the authorize URL's parameters (state, redirect_uri, …)."""
    response = client.post(reverse("portal:account_connect", args=[channel.pk]))
    assert response.status_code == 302, response
    return {k: v[-1] for k, v in parse_qs(urlsplit(response["Location"]).query).items()}, response[
        "Location"
    ]


def consent(authorize_url: str, *, username="demo.creator", decision="allow") -> str:
    """What the creator does on the platform's page: the redirect back (path and query)."""
    parts = urlsplit(authorize_url)
    host = parts.path.split("/")[2]
    params = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    response = httpx.get(
        f"{parts.scheme}://{parts.netloc}/creator/{host}/_decide",
        params={**params, "username": username, "decision": decision},
    )
    assert response.status_code == 302
    back = urlsplit(response.headers["Location"])
    return f"{back.path}?{back.query}"


def connect(client, channel, **kwargs):
    _params, url = start(client, channel)
    return client.get(consent(url, **kwargs), follow=True)
