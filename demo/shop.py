"""The demo's shop: a Shopify connection with a known demo secret, so
`python manage.py fake_orders --connection <id>` can send it signed webhooks, and a few
weeks of orders with the demo partnerships' discount codes (and one in USD, one
refunded, one cancelled), read exactly as webhooks would be."""

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from shop.attribution import codes_in_force
from shop.models import Delivery, Provider, ShopConnection
from shop.services import connection_create, deliveries_process_all, deliveries_store
from shop.webhooks import payloads, samples

NAME = "Kopi Kita Shopify (demo)"
# Only for the demo's own connection; real shops' secrets are typed in on the Shops page.
DEMO_SECRET = "demo-shop-webhook-secret"  # noqa: S105
ORDERS = 40


def seed_demo(stdout) -> None:
    connection = ShopConnection.objects.filter(name=NAME).first() or connection_create(
        name=NAME, provider=Provider.SHOPIFY, secret=DEMO_SECRET
    )
    if Delivery.objects.filter(connection=connection).exists():
        stdout.write(f"  shop: {NAME} (id {connection.pk}) already has orders")
        return
    rng = random.Random(16)
    codes = sorted(codes_in_force())
    now = timezone.now()
    items = []
    for n in range(ORDERS if codes else 0):
        at = now - timedelta(days=rng.randint(1, 28), minutes=rng.randint(0, 600))
        amount = Decimal(rng.randint(2500, 18000)) / 100
        code = rng.choice(codes)
        order = samples.shopify_order(
            900_000 + n,
            subtotal=amount,
            currency="USD" if n == 7 else "MYR",
            codes=(code.upper() if n % 2 else code,),
            at=at,
            cancelled_at=at + timedelta(hours=5) if n == 11 else None,
        )
        items.append(payloads.read(Provider.SHOPIFY, "orders/create", order))
        if n % 9 == 4:
            refund = samples.shopify_refund(
                900_000 + n, 1, amount=amount / 2, at=at + timedelta(days=1)
            )
            items.append(payloads.read(Provider.SHOPIFY, "refunds/create", refund))
    deliveries_store(connection=connection, items=items)
    deliveries_process_all()
    stdout.write(f"  shop: {NAME} (id {connection.pk}) with {ORDERS} orders")
