"""The fake provider server, started once per test session on a free port (the
collector tests get it from their conftest; a browser test imports the fixtures)."""

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
