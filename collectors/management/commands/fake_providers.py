"""Serve the fake provider APIs (collectors.fake) until interrupted."""

from django.core.management.base import BaseCommand

from collectors.fake.server import FakeServer


class Command(BaseCommand):
    help = "Serve fake YouTube, Plausible, Matomo, Instagram and GA4 APIs on 127.0.0.1."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--latency", type=float, default=0.0, help="Milliseconds added to each answer."
        )

    def handle(self, *args, host: str, port: int, latency: float, **options) -> None:
        server = FakeServer(host, port, latency=latency / 1000)
        url = server.url
        self.stdout.write(
            f"Fake providers at {url}\n"
            f"  YouTube base URL:   {url}/youtube/v3\n"
            f"  Plausible, Matomo, Instagram, GA4 base URL: {url}\n"
            "Ctrl-C stops it."
        )
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
