"""Collector tests: the fake provider server and settings every test here wants."""

import pytest

from tests.collectors.fake_fixtures import Fake, _fake_server, fake_providers  # noqa: F401


@pytest.fixture(autouse=True)
def _collector_settings(settings):
    """Generous shared rate limits under a key of this test's own (the bucket tests set
    their own), and a short HTTP timeout so the hanging provider costs little."""
    import uuid

    settings.COLLECTORS_RATE_LIMITS = {p: (1000.0, 1000) for p in settings.COLLECTORS_PROVIDERS}
    settings.COLLECTORS_RATE_LIMIT_PREFIX = f"test-bucket:{uuid.uuid4().hex}"
    settings.COLLECTORS_HTTP_TIMEOUT = 5.0
