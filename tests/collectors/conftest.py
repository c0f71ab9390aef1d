"""The fake provider server, started once per test session on a free port."""

import httpx
import pytest

from collectors.fake.server import FakeServer


class Fake:
    def __init__(self, server: FakeServer) -> None:
        self.server = server
        self.url = server.url

    def queue(self, provider: str, *modes: str, **options) -> None:
        httpx.post(
            f"{self.url}/_fake/modes", json={"provider": provider, "modes": list(modes), **options}
        )

    def contents(self, mapping: dict[str, list[str]]) -> None:
        httpx.post(f"{self.url}/_fake/contents", json=mapping)

    def requests(self) -> list[dict]:
        return httpx.get(f"{self.url}/_fake/requests").json()

    def reset(self) -> None:
        httpx.delete(f"{self.url}/_fake/modes")


@pytest.fixture(scope="session")
def _fake_server():
    server = FakeServer("127.0.0.1", 0)
    server.start_in_thread()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def fake_providers(_fake_server) -> Fake:
    fake = Fake(_fake_server)
    fake.reset()
    yield fake
    fake.reset()


@pytest.fixture(autouse=True)
def _collector_settings(settings):
    """Generous shared rate limits under a key of this test's own (the bucket tests set
    their own), and a short HTTP timeout so the hanging provider costs little."""
    import uuid

    settings.COLLECTORS_RATE_LIMITS = {p: (1000.0, 1000) for p in settings.COLLECTORS_PROVIDERS}
    settings.COLLECTORS_RATE_LIMIT_PREFIX = f"test-bucket:{uuid.uuid4().hex}"
    settings.COLLECTORS_HTTP_TIMEOUT = 5.0
