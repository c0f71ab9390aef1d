"""Send signed sample order webhooks to a running app, as a shop would.

    python manage.py fake_orders --url http://127.0.0.1:8000 --connection 1 --count 20

Orders use the discount codes of partnerships' terms in force (in varying case), tracked
links' UTMs, or neither; every fifth order is then refunded in part and every seventh
cancelled. The connection's secret is read (decrypted) from the database.
"""

import random
from datetime import timedelta
from decimal import Decimal

import httpx
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone

from metrics.models import TrackedLink
from shop.attribution import codes_in_force
from shop.models import Provider, ShopConnection
from shop.services import connection_secret
from shop.webhooks import samples


class Command(BaseCommand):
    help = "Post signed sample Shopify or WooCommerce order webhooks to a running app."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="The app's base URL.")
        parser.add_argument("--connection", type=int, required=True, help="Shop connection id.")
        parser.add_argument("--count", type=int, default=10)
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument("--start-id", type=int, default=None, help="First order id.")

    def handle(self, *args, **options) -> None:
        connection = ShopConnection.objects.filter(pk=options["connection"]).first()
        if connection is None or connection.provider == Provider.CSV:
            raise CommandError("No shop connection with that id that sends webhooks.")
        rng = random.Random(options["seed"])
        secret = connection_secret(connection)
        url = options["url"].rstrip("/") + reverse(
            "shop:webhook", args=[connection.provider, connection.token]
        )
        codes = sorted(codes_in_force())
        links = list(TrackedLink.objects.exclude(utm_campaign="").order_by("pk")[:50])
        first = options["start_id"] or int(timezone.now().timestamp()) * 1000
        sent = 0
        for n in range(options["count"]):
            for topic, payload in self._messages(
                connection.provider, first + n, n, rng, codes, links
            ):
                body, headers = samples.signed(connection.provider, topic, payload, secret)
                sent += self._post(url, body, headers)
        self.stdout.write(f"{sent} webhooks accepted by {url}")

    def _messages(self, provider, order_id, n, rng, codes, links):
        at = timezone.now() - timedelta(days=rng.randint(0, 6), minutes=rng.randint(0, 600))
        amount = Decimal(rng.randint(2000, 30000)) / 100
        code, landing = (), ""
        if codes and n % 3 != 2:
            chosen = rng.choice(codes)
            code = (chosen.upper() if n % 2 else chosen,)
        elif links and n % 3 == 2:
            link = rng.choice(links)
            landing = "/" + link.target_url.split("/", 3)[-1] if "?" in link.target_url else ""
        if provider == Provider.SHOPIFY:
            yield (
                "orders/create",
                samples.shopify_order(
                    order_id, subtotal=amount, codes=code, landing=landing, at=at
                ),
            )
            if n % 5 == 4:
                refund = samples.shopify_refund(
                    order_id, order_id * 10 + 1, amount=amount / 2, at=at + timedelta(days=1)
                )
                yield "refunds/create", refund
            if n % 7 == 6:
                yield (
                    "orders/cancelled",
                    samples.shopify_order(
                        order_id,
                        subtotal=amount,
                        codes=code,
                        landing=landing,
                        at=at,
                        cancelled_at=at + timedelta(hours=3),
                    ),
                )
        else:
            yield (
                "order.created",
                samples.woo_order(order_id, total=amount, codes=code, landing=landing, at=at),
            )
            if n % 7 == 6:
                yield (
                    "order.updated",
                    samples.woo_order(
                        order_id,
                        total=amount,
                        codes=code,
                        landing=landing,
                        at=at,
                        status="cancelled",
                        modified=at + timedelta(hours=3),
                    ),
                )

    def _post(self, url: str, body: bytes, headers: dict) -> int:
        response = httpx.post(url, content=body, headers=headers, timeout=30)
        if response.status_code != 200:
            self.stderr.write(f"{url}: HTTP {response.status_code}")
        return int(response.status_code == 200)
